"""The graphs to validate, read from a store through the ``GraphStore`` protocol
(``kg.store``): embedded or remote alike."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.namespaces import GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.rdf.terms import OxToRdflib
from kg.store import GraphStore

DOCUMENT_GRAPH_PREFIX = str(GRAPH["document/"])

Triple = tuple[Node, Node, Node]


def document_graph_names(store: GraphStore) -> list[str]:
    return [name for name in sorted(store.named_graphs()) if name.startswith(DOCUMENT_GRAPH_PREFIX)]


def graph_triples(
    store: GraphStore, name: str, converter: OxToRdflib | None = None
) -> list[Triple]:
    """The triples of one named graph as rdflib terms; pass one ``converter`` to every call
    of a run so that the graphs share their rdflib terms."""
    return (converter or OxToRdflib()).triples(store.quads(name))


def load_graph(store: GraphStore, name: str) -> Graph:
    graph = Graph()
    for triple in graph_triples(store, name):
        graph.add(triple)
    return graph


def check_store(store: GraphStore) -> None:
    """A clear error for a store that was not built by ``kg build``."""
    names = set(store.named_graphs())
    missing = [str(g) for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH) if str(g) not in names]
    if missing:
        raise StoreError(f"the store has no graph {missing[0]}; rebuild it with 'kg build'")


def select_documents(store: GraphStore, documents: Sequence[str] | None) -> list[str]:
    """Graph IRIs of the wanted documents (identifiers such as ``2026D32673``, or graph IRIs);
    None means every document graph in the store."""
    available = document_graph_names(store)
    if documents is None:
        return available
    chosen = []
    for wanted in documents:
        name = wanted if wanted.startswith("http") else str(GRAPH[f"document/{wanted}"])
        if name not in available:
            raise StoreError(f"no document graph {wanted} in the store")
        chosen.append(name)
    return chosen
