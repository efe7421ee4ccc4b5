"""An rdflib graph that answers SPARQL from an Oxigraph copy of itself, for pySHACL."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.rdf import bindings
from kg.rdf.terms import OxTerm, OxToRdflib, to_ox

Triples = Graph | Iterable[tuple[Node, Node, Node]]


class OxigraphMirrorGraph(Graph):
    """An rdflib graph whose SPARQL queries run on an Oxigraph copy of the same triples.

    pySHACL evaluates core constraints on rdflib (fast enough), but runs a SPARQL-based
    constraint once per focus node with $this as an initial binding; rdflib parses the query
    again each time and joins before it uses the binding (about 0.1 s a node). Oxigraph answers
    the same query in well under a millisecond. The copy is made on the first query; the graph
    is not changed while it is validated (no inference, no rules).
    """

    def __init__(self) -> None:
        super().__init__()
        self._mirror: ox.Store | None = None
        self._to_rdflib = OxToRdflib()

    def query(  # type: ignore[override]
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,
        initBindings=None,
        use_store_provided=True,
        **kwargs,
    ):
        if not isinstance(query_object, str) or initNs:
            return super().query(
                query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
            )
        substitutions = {ox.Variable(str(k)): to_ox(v) for k, v in (initBindings or {}).items()}
        answer = bindings.query(self._oxigraph(), query_object, substitutions)
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
            return out
        if not isinstance(answer, ox.QuerySolutions):
            return super().query(query_object, processor, result, initNs, initBindings, **kwargs)
        names = [Variable(v.value) for v in answer.variables]
        out = Result("SELECT")
        out.vars = names
        term = self._to_rdflib.term
        out.bindings = [
            {name: term(row[i]) for i, name in enumerate(names) if row[i] is not None}
            for row in answer
        ]
        return out

    def _oxigraph(self) -> ox.Store:
        if self._mirror is None:
            self._mirror = ox.Store()
            cache: dict[Node, OxTerm] = {}  # terms repeat: convert each once

            def term(t: Node) -> OxTerm:
                found = cache.get(t)
                if found is None:
                    found = cache[t] = to_ox(t)
                return found

            self._mirror.bulk_extend(
                ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in self
            )
        return self._mirror


def data_graph(*graphs: Triples) -> OxigraphMirrorGraph:
    """One graph holding the triples of ``graphs``."""
    data = OxigraphMirrorGraph()
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    return data
