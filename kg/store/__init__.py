"""Where the dataset lives: one small interface, two implementations.

- ``EmbeddedStore`` (``kg.store.embedded``): the Oxigraph database that ``kg build`` writes
  atomically (``kg.store.versions``), the default.
- ``RemoteStore`` (``kg.store.remote``): any SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB,
  QLever) over the SPARQL 1.1 Protocol, written with SPARQL 1.1 Update or the Graph Store HTTP
  Protocol.

Queries run over the union of the named graphs. The embedded store does that with Oxigraph's
``use_default_graph_as_union``; a remote store relies on the server's default graph being the
union of its graphs (see ``kg.store.remote`` for what that means per server).

``open_store(spec)`` picks the implementation: an ``http(s)://`` URL is a remote store, anything
else a path to an embedded one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@runtime_checkable
class GraphStore(Protocol):
    """What the rest of the package needs from a store."""

    def query(self, text: str, substitutions: Mapping[ox.Variable, Term] | None = None):
        """Run a SPARQL query over the union of the graphs; ``substitutions`` bind variables
        to RDF terms (never spliced into the text). Returns pyoxigraph result objects."""
        ...

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs in the store."""
        ...

    def drop_graph(self, name: str) -> None:
        """Remove a named graph and all its triples (no error if it is not there)."""
        ...

    def replace_graph(self, name: str, ntriples: bytes) -> None:
        """Make the graph ``name`` hold exactly these triples (N-Triples)."""
        ...

    def add_to_graph(self, name: str, ntriples: bytes) -> None:
        """Add these triples (N-Triples) to the graph ``name``."""
        ...

    def load_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Add quads (each in its named graph); returns how many were written."""
        ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of the named graph ``graph``, or of every named graph when ``None``."""
        ...


def is_remote(spec: str | Path) -> bool:
    return str(spec).startswith(("http://", "https://"))


def open_store(spec: str | Path, **remote_options) -> GraphStore:
    """An existing store to read: a remote endpoint URL or a path built by ``kg build``."""
    if is_remote(spec):
        from kg.store.remote import RemoteStore

        return RemoteStore(str(spec), **remote_options)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore.open(Path(spec))
