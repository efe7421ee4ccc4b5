"""The graphs to validate, read from a store through the ``GraphStore`` protocol
(``kg.store``): embedded or remote alike."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf import bindings
from kg.rdf.namespaces import BUILD_GRAPH, GRAPH, MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
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


def validation_store(store: GraphStore, documents: Sequence[str]) -> EmbeddedStore:
    """What the SPARQL engine queries: the ontology, the reference data, the minted graph and
    ``documents`` of ``store``, as one dataset.

    An embedded store is queried in place, never copied: every document graph selected (a
    full build, ``kg validate`` of the whole store) is the store's union graph
    (``in_place``); a few (an incremental build, ``kg add``, ``--document``) are named as
    the query's dataset (``GraphView``). Only a remote store, or a large part of an embedded
    one, is copied into memory (``working_copy``). Copying 1.17M quads into memory took 13 s
    and as much memory again as the data (1M triples, 2 cores, load 4); the queries over
    the store in place take longer than in memory (32 s against 8.5 s), but without the copy
    the whole check takes less, and memory stays that of the build (benchmarks/REPORT.md).
    """
    if isinstance(store, EmbeddedStore):
        graphs = [*CONTEXT_GRAPHS, *documents]
        if in_place(store, graphs):
            return GraphView(store.store, None)
        if len(documents) <= LISTED_GRAPHS:
            return GraphView(store.store, graphs)
    return working_copy(store, documents)


CONTEXT_GRAPHS = (str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH), str(MINTED_GRAPH))
# Oxigraph evaluates a dataset of listed graphs graph by graph: one query over a few is as
# fast as over a copy of them, over all 777 graphs of 1M triples 600 s instead of 0.7 s.
LISTED_GRAPHS = 16


class GraphView(EmbeddedStore):
    """An embedded store's graphs, queried in place as one dataset: the union of all of them
    (``graphs`` None) or the default graph made of ``graphs``, which are also the only named
    graphs a query sees (``GRAPH ?g``)."""

    def __init__(self, store: ox.Store, graphs: Sequence[str] | None) -> None:
        super().__init__(store)
        if graphs is None:
            self.dataset: dict = {"use_default_graph_as_union": True}
        else:
            named = [ox.NamedNode(g) for g in graphs]
            self.dataset = {"default_graph": named, "named_graphs": named}

    def query(self, text: str, substitutions=None):
        return bindings.query(self.store, text, substitutions, **self.dataset)


# A node the build graph describes that also occurs in another graph: then the union of the
# store is not the graphs to validate (it never is for a store kg build wrote).
_BUILD_REACHED = f"""ASK {{
  GRAPH <{BUILD_GRAPH}> {{ ?node ?p ?o }}
  GRAPH ?graph {{ {{ ?node ?q ?r }} UNION {{ ?s ?q ?node }} }}
  FILTER (?graph != <{BUILD_GRAPH}>)
}}"""


def in_place(store: EmbeddedStore, graphs: Sequence[str]) -> bool:
    """Whether the union graph of ``store`` holds exactly ``graphs``, as far as validation
    can tell: besides them the store has at most the build graph, whose nodes (the graphs,
    the build, its software and the digests of the sources) no shape reaches from a node of
    the data, because none of them occurs in another graph (one ASK: milliseconds)."""
    extra = set(store.named_graphs()) - set(graphs)
    if not extra:
        return True
    return extra == {str(BUILD_GRAPH)} and not store.store.query(_BUILD_REACHED)


def working_copy(store: GraphStore, documents: Sequence[str]) -> EmbeddedStore:
    """The ontology, the reference data, the minted graph and ``documents`` of ``store`` in
    an in-memory Oxigraph store: for a remote store (validated with exactly the queries and
    semantics of an embedded one) and a large part of an embedded one."""
    copy = ox.Store()
    for name in (*CONTEXT_GRAPHS, *documents):
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
