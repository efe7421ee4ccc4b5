"""Every query in queries/ against the seed graph and against the multi-document fixture corpus
(tests/golden/corpus.py), compared with their golden result sets; on the corpus no query may
return a row twice.

Regenerate after an intended change with:  python -m tests.golden regenerate
(then read the diff of tests/golden/ before committing it). This test never writes them.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from kg.pipeline.build import build
from kg.query.library import NamedQuery, list_queries, run
from tests.golden import CORPUS_FOLDER, golden_path, render, term_text
from tests.golden.compare import assert_matches_golden
from tests.golden.corpus import corpus_project
from tests.support import PROJECT

QUERIES = list_queries(PROJECT.queries)
CONTRACT_COLUMNS = {
    "questions": ["document", "number", "question", "answer"],
    "mentions": ["document", "number", "entity", "label", "kind", "exact", "start", "end"],
    "cross-references": ["document", "from", "to"],
    "commitments": ["document", "number", "text", "timing"],
    "footnotes": ["document", "number", "text", "url", "cites"],
    "instruments": [
        "instrument",
        "labelNl",
        "labelEn",
        "type",
        "level",
        "responsible",
        "amountMin",
        "amountMax",
        "currency",
    ],
}


def test_the_glob_found_the_queries() -> None:
    assert len(QUERIES) >= 15
    assert set(CONTRACT_COLUMNS) <= {q.name for q in QUERIES}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_matches_golden_result(query: NamedQuery, seed_store: ox.Store) -> None:
    golden = golden_path(query)
    assert golden.exists(), f"no golden result {golden}; run python -m tests.golden regenerate"
    results = run(seed_store, query, query.default_bindings())
    assert query.columns == [v.value for v in results.variables], (
        "the '#+ columns:' header must list the result columns"
    )
    actual = render(query, results)
    corpus_golden = golden_path(query, CORPUS_FOLDER)
    assert actual.count("\n") > 1 or corpus_golden.read_text().count("\n") > 1, (
        "a research query that returns nothing on the seed or the corpus tests nothing"
    )
    assert_matches_golden(actual, golden, f"python -m tests.golden regenerate {query.name}")


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    root = tmp_path_factory.mktemp("corpus")
    build(corpus_project(root / "project"), root / "store", PROJECT.ontology)
    return ox.Store.read_only(str(root / "store"))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_matches_golden_result_on_the_corpus(
    query: NamedQuery, corpus_store: ox.Store
) -> None:
    golden = golden_path(query, CORPUS_FOLDER)
    assert golden.exists(), f"no golden result {golden}; run python -m tests.golden regenerate"
    actual = render(query, run(corpus_store, query, query.default_bindings()))
    assert_matches_golden(actual, golden, f"python -m tests.golden regenerate {query.name}")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_no_duplicate_rows_on_the_corpus(query: NamedQuery, corpus_store: ox.Store) -> None:
    results = run(corpus_store, query, query.default_bindings())
    columns = [v.value for v in results.variables]
    rows = Counter(tuple(term_text(row[c]) for c in columns) for row in results)
    assert [row for row, times in rows.items() if times > 1] == []


def label_columns(query: NamedQuery) -> list[str]:
    """The columns that name a thing of another column: its label, its signer's name."""
    return [c for c in query.columns if c.lower().endswith("label") or c in NAME_COLUMNS]


NAME_COLUMNS = {"labelNl", "labelEn", "committedBy", "addressee"}
LABELLED = [q for q in QUERIES if label_columns(q)]


def test_the_glob_found_labelled_queries() -> None:
    assert {"mentions", "commitments-by-whom", "instruments"} <= {q.name for q in LABELLED}


@pytest.mark.parametrize("query", LABELLED, ids=lambda q: q.name)
def test_each_thing_is_labelled_once_on_the_corpus(
    query: NamedQuery, corpus_store: ox.Store
) -> None:
    """One label per thing and language: two rows that differ only in a label column would be
    one thing with two labels (every label listed instead of the preferred one)."""
    results = run(corpus_store, query, query.default_bindings())
    rows = [{c: term_text(row[c]) for c in query.columns} for row in results]
    for column in label_columns(query):
        labels: dict[tuple[str, ...], set[str]] = {}
        for row in rows:
            rest = tuple(v for c, v in row.items() if c != column)
            labels.setdefault(rest, set()).add(row[column])
        assert [(rest, names) for rest, names in labels.items() if len(names) > 1] == [], column


@pytest.mark.parametrize("name", sorted(CONTRACT_COLUMNS))
def test_contract_query_columns(name: str) -> None:
    [query] = [q for q in QUERIES if q.name == name]
    assert query.columns == CONTRACT_COLUMNS[name]


def count(store: ox.Store, name: str) -> int:
    [query] = [q for q in QUERIES if q.name == name]
    return len(list(run(store, query)))


def test_seed_counts_through_the_contract_queries(seed_store: ox.Store) -> None:
    assert count(seed_store, "questions") == 12
    assert count(seed_store, "footnotes") == 7
    assert count(seed_store, "cross-references") == 4
    assert count(seed_store, "commitments") == 4


def test_commitment_timings(seed_store: ox.Store) -> None:
    [query] = [q for q in QUERIES if q.name == "commitments"]
    timings = [(int(r["number"].value), r["timing"].value) for r in run(seed_store, query)]
    assert timings == [
        (1, "Na de zomer"),
        (3, "Zodra deze inventarisatie is afgerond"),
        (7, "op korte termijn"),
        (9, "spoedig"),
    ]


def test_parameters_are_bound_as_rdf_terms(seed_store: ox.Store) -> None:
    [query] = [q for q in QUERIES if q.name == "mentions"]
    nadi = ox.NamedNode("https://w3id.org/ai-beleid/id/instrument/nadi")
    bound = list(run(seed_store, query, {ox.Variable("entity"): nadi}))
    assert len(bound) == 8
    assert {r["entity"] for r in bound} == {nadi}
    # A string that looks like SPARQL stays a literal and matches nothing.
    injected = ox.Literal('x" } UNION { ?s ?p ?o } #')
    assert list(run(seed_store, query, {ox.Variable("entity"): injected})) == []
