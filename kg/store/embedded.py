"""The embedded store: a pyoxigraph ``Store`` behind the ``GraphStore`` interface."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.rdf import bindings
from kg.store import Term


class EmbeddedStore:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: Path) -> EmbeddedStore:
        from kg.store.versions import open_store

        return cls(open_store(path))

    def query(self, text: str, substitutions: Mapping[ox.Variable, Term] | None = None):
        return bindings.query(self.store, text, substitutions, use_default_graph_as_union=True)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def drop_graph(self, name: str) -> None:
        graph = ox.NamedNode(name)
        if self.store.contains_named_graph(graph):
            self.store.remove_graph(graph)

    def replace_graph(self, name: str, ntriples: bytes) -> None:
        self.drop_graph(name)
        self.add_to_graph(name, ntriples)

    def add_to_graph(self, name: str, ntriples: bytes) -> None:
        self.store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))

    def bulk_load_nquads(self, data: bytes) -> None:
        """Oxigraph's bulk loader: fast, not transactional (for a store no one reads yet)."""
        self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph) if graph is not None else None
        for quad in self.store.quads_for_pattern(None, None, None, name):
            if isinstance(quad.graph_name, ox.NamedNode):  # the default graph is not ours
                yield quad

    def load_quads(self, quads: Iterable[ox.Quad]) -> int:
        counted = _Counter(quads)
        self.store.bulk_extend(counted)
        return counted.count


class _Counter:
    """Counts the quads an iterator yields, without materialising them."""

    def __init__(self, items: Iterable[ox.Quad]) -> None:
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> ox.Quad:
        item = next(self.items)
        self.count += 1
        return item
