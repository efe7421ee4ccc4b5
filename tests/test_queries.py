"""Every query in queries/ against the seed graph, compared with its golden result set.

Regenerate after an intended change with:  python -m tests.golden regenerate
(then read the diff of tests/golden/ before committing it). This test never writes them.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.query.library import NamedQuery, list_queries, run
from tests.golden import golden_path, render
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
    assert actual.count("\n") > 1, "a research query that returns nothing on the seed tests nothing"
    assert actual == golden.read_text(encoding="utf-8")


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
