"""The graphs to validate, read from a store through the ``GraphStore`` protocol
(``kg.store``): embedded or remote alike."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.namespaces import GRAPH, MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.rdf.terms import OxToRdflib
from kg.store import GraphStore
from kg.store.embedded import EmbeddedStore
from kg.store.lazy_graph import StoreGraph

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


def load_graph(store: GraphStore, name: str) -> StoreGraph:
    """The named graph ``name`` of ``store`` as an rdflib graph (read when first used)."""
    return StoreGraph(store, name)


def working_copy(store: GraphStore, documents: Sequence[str]) -> EmbeddedStore:
    """The ontology, the reference data and ``documents`` of ``store`` in an in-memory
    Oxigraph store: what the SPARQL engine queries. Oxigraph answers its queries several
    times faster from memory than from its on-disk store, by more than the copy costs; a run
    over a few documents reads those, not the corpus; and a remote store is validated with
    exactly the queries and semantics of an embedded one."""
    copy = ox.Store()
    for name in (str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH), str(MINTED_GRAPH), *documents):
        copy.bulk_extend(store.quads(name))
    return EmbeddedStore(copy)


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
