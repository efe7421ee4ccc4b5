"""CSV tables for people who do not use RDF: one SELECT query each (the query library's where it
fits, else kg/export/queries/), written with a header row, UTF-8, IRIs in full."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.project import Project
from kg.query.library import NamedQuery, parse_query_file, render, run
from kg.store import GraphStore

EXPORT_QUERIES = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class Table:
    filename: str
    query: str  # file name, in the project's query library if ``library``, else in EXPORT_QUERIES
    title: str
    library: bool = False


TABLES = (
    Table("instruments.csv", "instruments.rq", "Beleidsinstrumenten", library=True),
    Table("eu-packages.csv", "eu-packages.rq", "EU-pakketten en -initiatieven"),
    Table("organisations.csv", "organisations.rq", "Organisaties"),
    Table("questions-and-answers.csv", "questions.rq", "Vragen en antwoorden", library=True),
    Table("mentions.csv", "mentions.rq", "Vermeldingen", library=True),
    Table("commitments.csv", "commitments.rq", "Toezeggingen", library=True),
)


def table_query(table: Table, queries_dir: Path | None = None) -> NamedQuery:
    """``queries_dir``: the query library (default: the project's queries folder)."""
    if not table.library:
        return parse_query_file(EXPORT_QUERIES / table.query)
    return parse_query_file((queries_dir or Project.find().queries) / table.query)


def write_table(
    store: GraphStore, folder: Path, table: Table, queries_dir: Path | None = None
) -> Path:
    path = folder / table.filename
    text = render(run(store, table_query(table, queries_dir)), "csv")
    path.write_text(text, encoding="utf-8", newline="")
    return path


def write_tables(store: GraphStore, folder: Path, queries_dir: Path | None = None) -> list[Path]:
    return [write_table(store, folder, table, queries_dir) for table in TABLES]


__all__ = ["TABLES", "Table", "table_query", "write_table", "write_tables"]
