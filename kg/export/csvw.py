"""``csv-metadata.json``: the W3C CSV on the Web (CSVW) description of every exported table.

One table group; per table its file, Dutch and English title and description, and per column
its name (the header cell), Dutch and English titles, datatype, language, and for IRI columns
a ``valueUrl`` template so CSVW tools turn the cell back into an IRI. Tables whose rows each
describe one thing have an ``aboutUrl`` naming it. The file name is the one CSVW processors
look for beside a CSV file (https://www.w3.org/TR/tabular-data-model/#default-locations).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from kg.export.tables import MAIN_LANGUAGE, TABLES, OutputColumn, Table

METADATA_FILE = "csv-metadata.json"
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"


def _texts(nl: str, en: str) -> list[dict[str, str]]:
    return [{"@value": nl, "@language": "nl"}, {"@value": en, "@language": "en"}]


def column_description(column: OutputColumn) -> dict:
    # The header cell is among the titles (language "und"), so a CSVW validator matches the
    # file's header row against this description.
    described: dict = {
        "name": column.name,
        "titles": {"und": [column.name], "nl": [column.title_nl], "en": [column.title_en]},
        "datatype": column.datatype,
    }
    if column.value_url:
        described["valueUrl"] = column.value_url
    if column.lang:
        described["lang"] = column.lang
    if column.separator:
        described["separator"] = column.separator
    return described


def table_description(table: Table) -> dict:
    schema: dict = {"columns": [column_description(c) for c in table.output_columns()]}
    if table.about:
        schema["aboutUrl"] = f"{{+{table.about}}}"
    return {
        "url": table.filename,
        "dc:title": _texts(table.title_nl, table.title_en),
        "dc:description": _texts(table.description_nl, table.description_en),
        "tableSchema": schema,
    }


def metadata(tables: Sequence[Table] = TABLES) -> dict:
    return {
        "@context": [CSVW_CONTEXT, {"@language": MAIN_LANGUAGE}],
        "dc:title": _texts(
            "Tabellen van de AI-beleid kennisgraaf", "Tables of the AI policy knowledge graph"
        ),
        "dialect": {"encoding": "utf-8", "lineTerminators": ["\r\n"], "header": True},
        "tables": [table_description(t) for t in tables],
    }


def write_metadata(folder: Path, tables: Sequence[Table] = TABLES) -> Path:
    path = folder / METADATA_FILE
    text = json.dumps(metadata(tables), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["METADATA_FILE", "metadata", "table_description", "write_metadata"]
