"""Every query in queries/ against the seed graph, compared with its golden result set.

Regenerate after an intended change with:  pytest tests/test_queries.py --regenerate-golden
(then read the diff of tests/golden/ before committing it).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.query.library import NamedQuery, list_queries, run
from tests.support import PROJECT

GOLDEN = Path(__file__).parent / "golden"
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


def rows(results: ox.QuerySolutions) -> tuple[list[str], list[tuple]]:
    variables = [v.value for v in results.variables]
    return variables, [tuple(solution[v] for v in variables) for solution in results]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_matches_golden_result(
    query: NamedQuery, seed_store: ox.Store, request: pytest.FixtureRequest
) -> None:
    golden = GOLDEN / f"{query.name}.srj"
    results = run(seed_store, query, query.default_bindings())
    if request.config.getoption("--regenerate-golden"):
        raw = run(seed_store, query, query.default_bindings()).serialize(
            format=ox.QueryResultsFormat.JSON
        )
        # Indented, so that a regenerated golden file shows a readable diff.
        golden.write_text(json.dumps(json.loads(raw), indent=1, ensure_ascii=False) + "\n")
    assert golden.exists(), f"no golden result {golden}; run pytest --regenerate-golden"
    variables, actual = rows(results)
    expected_vars, expected = rows(
        ox.parse_query_results(path=str(golden), format=ox.QueryResultsFormat.JSON)
    )
    assert variables == expected_vars
    assert query.columns == variables, "the '#+ columns:' header must list the result columns"
    assert actual, "a research query that returns nothing on the seed tests nothing"
    if "ORDER BY" in query.text.upper():
        assert actual == expected
    else:
        assert Counter(actual) == Counter(expected)


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
