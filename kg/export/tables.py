"""CSV tables for people who do not use RDF: one SELECT query each (the query library's where it
fits, else kg/export/queries/), written with a header row, UTF-8, IRIs in full."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg import project as paths
from kg.query.library import NamedQuery, parse_query_file, render, run
from kg.store import GraphStore

EXPORT_QUERIES = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class Table:
    filename: str
    query: Path
    title: str


TABLES = (
    Table("instruments.csv", paths.QUERIES_DIR / "instruments.rq", "Beleidsinstrumenten"),
    Table("eu-packages.csv", EXPORT_QUERIES / "eu-packages.rq", "EU-pakketten en -initiatieven"),
    Table("organisations.csv", EXPORT_QUERIES / "organisations.rq", "Organisaties"),
    Table("questions-and-answers.csv", paths.QUERIES_DIR / "questions.rq", "Vragen en antwoorden"),
    Table("mentions.csv", paths.QUERIES_DIR / "mentions.rq", "Vermeldingen"),
    Table("commitments.csv", paths.QUERIES_DIR / "commitments.rq", "Toezeggingen"),
)


def table_query(table: Table) -> NamedQuery:
    return parse_query_file(table.query)


def write_table(store: GraphStore, folder: Path, table: Table) -> Path:
    path = folder / table.filename
    text = render(run(store, table_query(table)), "csv")
    path.write_text(text, encoding="utf-8", newline="")
    return path


def write_tables(store: GraphStore, folder: Path) -> list[Path]:
    return [write_table(store, folder, table) for table in TABLES]


__all__ = ["TABLES", "Table", "table_query", "write_table", "write_tables"]
