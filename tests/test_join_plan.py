"""The join planning of SPARQL-based constraints (``kg.validate.join_plan``): the same rows as
the query as written, and the query as written wherever the group is more than triple patterns
and filters."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.validate.join_plan import group_end, planned_group, tokens
from tests.support import solutions

FOCUS = "{ SELECT DISTINCT ?this WHERE { ?this a <urn:Q> } }"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
UNIQUE = """
    $this <urn:number> ?value ; <urn:partOf> ?document .
    ?other a <urn:Q> ; <urn:number> ?value ; <urn:partOf> ?document .
    FILTER (?other != $this)
"""


def _store() -> ox.Store:
    store = ox.Store()
    rows = [  # (node, number, document): q1 and q2 share a number in d1, q4 a number elsewhere
        ("q1", 1, "d1"),
        ("q2", 1, "d1"),
        ("q3", 2, "d1"),
        ("q4", 1, "d2"),
        ("q5", 3, "d2"),
    ]
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    for node, number, document in rows:
        subject = ox.NamedNode(f"urn:{node}")
        store.add(
            ox.Quad(subject, ox.NamedNode("urn:number"), ox.Literal(str(number), datatype=integer))
        )
        store.add(ox.Quad(subject, ox.NamedNode("urn:partOf"), ox.NamedNode(f"urn:{document}")))
        store.add(ox.Quad(subject, RDF_TYPE, ox.NamedNode("urn:Q")))
    return store


def _rows(store: ox.Store, group: str) -> set[tuple[str, ...]]:
    query = f"SELECT DISTINCT ?this ?value ?other WHERE {{ {group} }}"
    return {tuple(str(term) for term in row) for row in solutions(store.query(query))}


def test_an_independent_star_becomes_a_subquery_with_the_same_rows() -> None:
    planned = planned_group(UNIQUE, FOCUS)
    assert planned is not None
    assert planned.count("SELECT * WHERE") == 2
    store = _store()
    written = _rows(store, f"{FOCUS} {UNIQUE}")
    assert len(written) == 2  # q1 and q2, each naming the other
    assert _rows(store, planned) == written


@pytest.mark.parametrize(
    "body",
    [
        "$this <urn:p> ?value . OPTIONAL { ?other <urn:p> ?value }",
        "$this <urn:p> ?value . BIND (1 AS ?x) ?other a <urn:Q> ; <urn:p> ?value .",
        "GRAPH ?g { $this <urn:p> ?value . ?other a <urn:Q> ; <urn:p> ?value }",
        "$this <urn:p> [ <urn:q> ?value ] . ?other a <urn:Q> ; <urn:p> ?value .",
        "$this <urn:p> ?value, ?other .",  # ?other is reached from $this: no star
        "$this <urn:p> ?value . ?other <urn:p> ?value .",  # nothing to start the star from
    ],
)
def test_other_groups_stay_as_written(body: str) -> None:
    assert planned_group(body, FOCUS) is None


def test_paths_literals_and_filters_are_read_whole() -> None:
    body = (
        "$this (<urn:a>/<urn:b>)* ?value ; ^<urn:c> ?document . "
        '?other <urn:kind> "x"@nl ; <urn:n> "2"^^<urn:int> ; <urn:a>|<urn:b> ?value ; '
        "<urn:c> ?document . FILTER NOT EXISTS { ?other <urn:gone> ?g } "
        'FILTER (STR(?other) != "}") FILTER regex(?value, "a{2}")'
    )
    planned = planned_group(body, FOCUS)
    assert planned is not None
    assert 'FILTER (STR(?other) != "}")' in planned
    assert 'FILTER regex(?value, "a{2}")' in planned
    assert '?other <urn:kind> "x"@nl .' in planned


def test_the_end_of_a_group_skips_braces_in_strings_and_iris() -> None:
    text = 'WHERE { ?s <urn:p> "{" . FILTER (?s != "}") } ORDER BY ?s'
    end = group_end(text, text.index("{"))
    assert end is not None and text[end:] == " ORDER BY ?s"
    assert tokens("?s <urn:p> `") is None
