"""The ``GraphStore`` protocol: what the rest of the package needs from a store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from kg.rdf.terms import Term

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

    def replace_graphs(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        """``replace_graph`` for many graphs, as fast as the store can take them."""
        ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of the named graph ``graph``, or of every named graph when ``None``."""
        ...
