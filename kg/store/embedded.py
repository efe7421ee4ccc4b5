"""The embedded store: a pyoxigraph ``Store`` behind the ``GraphStore`` interface.

``kg.store.versions`` keeps the database atomic (a new version per build, swapped in with one
``rename``); this class is the only way the rest of the package reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.rdf import bindings
from kg.store import versions
from kg.store.protocol import Term

# Oxigraph's bulk loader writes sorted files per call: few large calls load fastest.
LOAD_BATCH_TRIPLES = 200_000


class EmbeddedStore:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        # Files to write beside the database of a new version (see ``new_version``).
        self.files: dict[str, bytes] = {}

    @classmethod
    def open(cls, path: Path) -> EmbeddedStore:
        """The current version of a store built by ``kg build``, read-only."""
        return cls(versions.open_store(path))

    @classmethod
    @contextmanager
    def new_version(cls, path: Path, from_current: bool = False) -> Iterator[EmbeddedStore]:
        """A new version of the store at ``path``, current once the block ends without error
        (see ``kg.store.versions.new_store``); ``from_current`` starts it as a copy. What the
        block puts in the version's ``files`` is written into its folder, in the same swap."""
        files: dict[str, bytes] = {}
        with versions.new_store(path, from_current=from_current, files=files) as store:
            version = cls(store)
            version.files = files
            del store
            try:
                yield version
            finally:
                del version.store  # the writer must close before its folder is removed

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

    def replace_graphs(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        """With Oxigraph's bulk loader: fast but not transactional, which is safe because the
        only writer is a build, on a new version that no one reads until it is swapped in."""
        batch: list[bytes] = []
        batched = 0
        for name, ntriples in graphs:
            self.drop_graph(name)
            batch.append(nquads(ntriples, name))
            batched += ntriples.count(b"\n")
            if batched >= LOAD_BATCH_TRIPLES:
                self.store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)
                batch, batched = [], 0
        if batch:
            self.store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph) if graph is not None else None
        for quad in self.store.quads_for_pattern(None, None, None, name):
            if isinstance(quad.graph_name, ox.NamedNode):  # the default graph is not ours
                yield quad

    def load_quads(self, quads: Iterable[ox.Quad]) -> int:
        counted = _Counter(quads)
        self.store.bulk_extend(counted)
        return counted.count

    def dump_trig(self, out: BinaryIO) -> None:
        self.store.dump(out, ox.RdfFormat.TRIG)

    def __len__(self) -> int:
        return len(self.store)


def nquads(ntriples_data: bytes, graph: str) -> bytes:
    """N-Triples as N-Quads in ``graph``: a raw newline only ends a line in N-Triples
    (newlines in literals are escaped), so every line ending ' .' gets the graph name."""
    return ntriples_data.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode())


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
