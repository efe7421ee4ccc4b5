"""SELECT answers written by Oxigraph's own writers, counted and cut as they are written
(kg.server.result_writer): whole answers are the engine's bytes; a cut answer is a complete
document holding the first rows, as many as fit, even when values hold what separates rows."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.server import formats
from kg.server.query_job import QueryJob, run_query
from kg.server.result_writer import RESULTS_FORMATS, write_solutions
from tests.support import solutions

EX = "http://example.org/"
# Values that hold each format's row separators and quoting: JSON's '},{', XML's '<result>',
# CSV's quotes and line ends, TSV's escapes; long enough that rows span the writer's chunks.
VALUES = [
    'a},{"b":{"type":"uri"}},{',
    "<result></result>&amp;",
    'line\r\nbreak, "quoted" ""twice""\n',
    "tab\there\\ and \\\\ back\\",
    "ünïcödé ✓ 𝔘",
    "",
    "x" * 9000,
    '"',
    "\\",
]
QUERY = "SELECT ?s ?value ?missing WHERE { ?s <http://example.org/p> ?value } ORDER BY ?s"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(120):
        value = VALUES[i % len(VALUES)]
        literal = (
            ox.Literal(value, language="nl")
            if i % 3 == 0
            else ox.Literal(f"{value}{i}")
            if i % 3 == 1
            else ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#int"))
        )
        subject = ox.BlankNode(f"b{i:03}") if i % 7 == 0 else ox.NamedNode(f"{EX}s{i:03}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}p"), literal))
    return store


def rows_of(body: bytes, fmt: str) -> list[tuple]:
    """The rows of an answer, read back by a parser of the format."""
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert table[0] == ["s", "value", "missing"]
        return [tuple(row) for row in table[1:]]
    results = solutions(ox.parse_query_results(body, format=RESULTS_FORMATS[fmt]))
    assert [v.value for v in results.variables] == ["s", "value", "missing"]
    return [tuple(str(solution[v]) for v in results.variables) for solution in results]


def select(store: ox.Store, query: str = QUERY) -> ox.QuerySolutions:
    return solutions(store.query(query))


def whole(store: ox.Store, fmt: str) -> bytes:
    body = select(store).serialize(format=RESULTS_FORMATS[fmt])
    assert body is not None
    return body


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_an_answer_within_the_limits_is_the_engines_own(store: ox.Store, fmt: str) -> None:
    written = write_solutions(select(store), fmt, max_rows=120, max_bytes=10**7)
    assert not written.cut and written.rows is None
    assert written.body == whole(store, fmt)
    assert len(rows_of(written.body, fmt)) == 120


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
@pytest.mark.parametrize("max_rows", [1, 2, 9, 50, 119])
def test_rows_beyond_max_rows_are_cut(store: ox.Store, fmt: str, max_rows: int) -> None:
    written = write_solutions(select(store), fmt, max_rows=max_rows, max_bytes=10**7)
    assert written.cut and written.rows == max_rows
    assert rows_of(written.body, fmt) == rows_of(whole(store, fmt), fmt)[:max_rows]


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_exactly_max_rows_is_not_cut(store: ox.Store, fmt: str) -> None:
    written = write_solutions(select(store, QUERY + " LIMIT 40"), fmt, max_rows=40, max_bytes=10**7)
    assert not written.cut
    assert len(rows_of(written.body, fmt)) == 40


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_the_byte_limit_keeps_the_most_rows_that_fit(store: ox.Store, fmt: str) -> None:
    everything = rows_of(whole(store, fmt), fmt)
    for max_bytes in (9_500, 12_000, 20_000, 33_333, 60_000, 100_000):
        written = write_solutions(select(store), fmt, max_rows=1000, max_bytes=max_bytes)
        assert written.rows is not None
        assert len(written.body) <= max_bytes
        kept = rows_of(written.body, fmt)
        assert kept == everything[: written.rows]
        # one row more would not have fitted
        more = write_solutions(select(store), fmt, max_rows=written.rows + 1, max_bytes=10**7)
        assert len(more.body) > max_bytes


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_no_rows_when_not_even_the_first_fits(store: ox.Store, fmt: str) -> None:
    written = write_solutions(select(store), fmt, max_rows=1000, max_bytes=40)
    assert written.cut and written.rows == 0 and written.body == b""


@pytest.mark.parametrize("fmt", list(RESULTS_FORMATS))
def test_an_empty_answer(store: ox.Store, fmt: str) -> None:
    query = "SELECT ?s ?value ?missing WHERE { ?s <http://example.org/nothing> ?value }"
    written = write_solutions(select(store, query), fmt, max_rows=10, max_bytes=10**6)
    assert not written.cut
    assert rows_of(written.body, fmt) == []


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_select_star_columns_in_the_order_the_query_names_them(store: ox.Store, fmt: str) -> None:
    job = QueryJob(
        "SELECT * WHERE { ?s <http://example.org/p> ?value BIND(1 AS ?another) } LIMIT 3",
        {formats.TABULAR: fmt},
    )
    outcome = run_query(store, job)
    assert outcome.status == 200
    header = {
        "csv": b"s,value,another\r\n",
        "tsv": b"?s\t?value\t?another\n",
        "json": b'{"head":{"vars":["s","value","another"]}',
    }[fmt]
    assert outcome.body.startswith(header)


def test_the_outcome_says_how_many_rows_a_cut_answer_holds(store: ox.Store) -> None:
    outcome = run_query(store, QueryJob(QUERY, {formats.TABULAR: "json"}, max_rows=7))
    assert (outcome.status, outcome.truncated, outcome.count) == (200, True, 7)
    too_small = run_query(store, QueryJob(QUERY, {formats.TABULAR: "xml"}, max_bytes=100))
    assert too_small.status == 400
    assert "one result alone is larger than 100 bytes" in too_small.message


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"])), max_size=30),
    max_rows=st.integers(1, 40),
    max_bytes=st.integers(1, 4000),
    fmt=st.sampled_from(list(RESULTS_FORMATS)),
)
def test_any_values_any_limits(values: list[str], max_rows: int, max_bytes: int, fmt: str) -> None:
    store = ox.Store()
    for i, value in enumerate(values):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:03}"), ox.NamedNode(f"{EX}p"), ox.Literal(value)))
    everything = rows_of(whole(store, fmt), fmt)
    written = write_solutions(select(store), fmt, max_rows, max_bytes)
    if written.rows is None:
        assert written.body == whole(store, fmt)
        assert len(everything) <= max_rows and len(written.body) <= max_bytes
    elif written.rows == 0:
        first = write_solutions(select(store), fmt, 1, 10**6)
        assert len(first.body) > max_bytes
    else:
        assert len(written.body) <= max_bytes
        assert rows_of(written.body, fmt) == everything[: written.rows]
        assert written.rows == max_rows or (
            len(write_solutions(select(store), fmt, written.rows + 1, 10**6).body) > max_bytes
        )
