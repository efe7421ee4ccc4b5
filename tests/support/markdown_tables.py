"""The Markdown tables of a benchmark report, read back by the benchmarks' smoke tests."""

from __future__ import annotations


def table_rows(text: str, first_header: str) -> list[dict[str, str]]:
    """The rows of every Markdown table in ``text`` whose first column is ``first_header``."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        cells = (
            [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("|")
            else None
        )
        if cells is None:
            header = None
        elif header is None:
            header = cells if cells[0] == first_header else []
        elif header and not set(cells[0]) <= {"-"}:
            rows.append(dict(zip(header, cells, strict=False)))
    return rows


def ragged_tables(text: str) -> list[str]:
    """The first line of every Markdown table in ``text`` whose rows differ in their number of
    cells (a renderer shows such a table as plain text)."""
    ragged, table = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if len({row.strip().count("|") for row in table}) > 1:
            ragged.append(table[0])
        table = []
    return ragged
