"""One named graph of a store as an rdflib graph that reads its triples only when first used."""

from __future__ import annotations

from rdflib import Graph

from kg.rdf.terms import OxToRdflib
from kg.store.protocol import GraphStore


class StoreGraph(Graph):
    """One named graph of a store as an rdflib graph, read from the store the first time its
    triples are needed. The SPARQL validation engine never needs them: given StoreGraphs of one
    store (what ``kg build`` hands its checks), it queries that store, and the graph is never
    converted to rdflib terms and back. Every rdflib reader goes through ``triples`` or
    ``__len__``; writing reads the graph first."""

    def __init__(self, store: GraphStore, name: str) -> None:
        super().__init__()
        self.source_store = store
        self.source_name = name
        self._loaded = False

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            for triple in OxToRdflib().triples(self.source_store.quads(self.source_name)):
                super().add(triple)

    def triples(self, triple):
        self._load()
        return super().triples(triple)

    def __len__(self) -> int:
        self._load()
        return super().__len__()

    def add(self, triple):
        self._load()
        return super().add(triple)

    def remove(self, triple):
        self._load()
        return super().remove(triple)
