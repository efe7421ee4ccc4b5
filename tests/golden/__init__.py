"""Golden query results: one small TSV file per query in queries/, for a reviewer to read in a diff.

A file holds the header (the result columns) and one line per row. Terms are written compactly:
IRIs as prefixed names where a known prefix fits (else ``<iri>``), literals as JSON strings with
``@lang`` or ``^^datatype`` (none for xsd:string), blank nodes as ``_:`` (their labels are not
stable), unbound as an empty cell. Rows are sorted unless the query has ORDER BY.

Written only by ``python -m tests.golden regenerate`` (or ``python tasks.py golden``), never by
the test that compares them (tests/test_queries.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.query.library import NamedQuery
from kg.rdf.terms import prefixed_name

FOLDER = Path(__file__).resolve().parent
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


CORPUS_FOLDER = FOLDER / "corpus"  # results on the multi-document corpus (tests.golden.corpus)


def golden_path(query: NamedQuery, folder: Path = FOLDER) -> Path:
    return folder / f"{query.name}.tsv"


def is_ordered(query: NamedQuery) -> bool:
    return "ORDER BY" in query.text.upper()


def term_text(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:"
    text = json.dumps(term.value, ensure_ascii=False)
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype.value != XSD_STRING:
        return f"{text}^^{_iri(term.datatype.value)}"
    return text


def _iri(iri: str) -> str:
    return prefixed_name(iri) or f"<{iri}>"


def render(query: NamedQuery, results: ox.QuerySolutions) -> str:
    """The golden file text for ``results`` of ``query``."""
    columns = [v.value for v in results.variables]
    lines = ["\t".join(term_text(row[v]) for v in columns) for row in results]
    return _lines(["\t".join(columns)], lines if is_ordered(query) else sorted(lines))


def _lines(header: list[str], rows: Iterable[str]) -> str:
    return "\n".join([*header, *rows]) + "\n"
