"""kg.rdf.bindings: parameters as a VALUES block first in the outermost group, with the same
solutions as pyoxigraph's own substitutions (which 0.5 applies only after evaluation)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.query.library import list_queries
from kg.rdf import bindings
from kg.server.resource_page import DESCRIPTION, EVIDENCE, INCOMING, OUTGOING
from tests.support import PROJECT, solutions

PARAMETRISED = [q for q in list_queries(PROJECT.queries) if q.params]
NADI = ox.NamedNode("https://w3id.org/ai-beleid/id/instrument/nadi")
COMMITMENT = ox.NamedNode("https://w3id.org/ai-beleid/id/document/2026D32673/commitment/1")


def _rows(results) -> list:
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        return sorted(tuple(str(row[n]) for n in names) for row in results)
    return sorted(str(t) for t in results)


def test_the_library_has_parametrised_queries() -> None:
    assert len(PARAMETRISED) >= 2


@pytest.mark.parametrize("query", PARAMETRISED, ids=lambda q: q.name)
def test_values_block_gives_what_substitution_gives(query, seed_store: ox.Store) -> None:
    given = query.default_bindings()
    ours = bindings.query(seed_store, query.text, given, use_default_graph_as_union=True)
    theirs = seed_store.query(query.text, substitutions=given, use_default_graph_as_union=True)
    expected = _rows(theirs)
    assert expected, f"{query.name}: the default parameter selects nothing in the seed"
    assert _rows(ours) == expected


@pytest.mark.parametrize("text", [OUTGOING, INCOMING, EVIDENCE, DESCRIPTION])
@pytest.mark.parametrize("resource", [NADI, COMMITMENT], ids=["nadi", "commitment"])
def test_resource_page_queries_bound_either_way_agree(text, resource, seed_store) -> None:
    given = {ox.Variable("r"): resource}
    ours = bindings.query(seed_store, text, given, use_default_graph_as_union=True)
    theirs = seed_store.query(text, substitutions=given, use_default_graph_as_union=True)
    assert _rows(ours) == _rows(theirs)


def test_the_block_goes_into_the_where_group_not_a_construct_template() -> None:
    text = 'CONSTRUCT { ?r ?p "{" } WHERE { ?r ?p ?o }'
    bound = bindings.bind_values(text, {ox.Variable("r"): NADI})
    assert bound == (
        'CONSTRUCT { ?r ?p "{" } WHERE { VALUES (?r) '
        "{ (<https://w3id.org/ai-beleid/id/instrument/nadi>) }  ?r ?p ?o }"
    )


def test_a_literal_is_written_escaped_not_spliced() -> None:
    hostile = ox.Literal('x" } ; DROP ALL ; #')
    bound = bindings.bind_values("SELECT ?v WHERE { ?s ?p ?v }", {ox.Variable("v"): hostile})
    assert '"x\\" } ; DROP ALL ; #"' in bound
    store = ox.Store()
    store.add(ox.Quad(NADI, NADI, hostile))
    [row] = list(solutions(store.query(bound)))
    assert row["v"] == hostile


def test_a_blank_node_is_bound_by_substitution() -> None:
    node = ox.BlankNode()
    store = ox.Store()
    store.add(ox.Quad(node, NADI, ox.Literal("a")))
    store.add(ox.Quad(ox.BlankNode(), NADI, ox.Literal("b")))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"  # oxigraph substitutes only projected variables
    results = solutions(bindings.query(store, query, {ox.Variable("s"): node}))
    assert [row["o"] for row in results] == [ox.Literal("a")]
    with pytest.raises(QueryError, match=r"parameter \?s: a blank node cannot be written"):
        bindings.bind_values("SELECT ?o WHERE { ?s ?p ?o }", {ox.Variable("s"): node})
