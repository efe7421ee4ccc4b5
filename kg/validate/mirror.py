"""An rdflib graph that answers SPARQL from an Oxigraph copy of itself, for pySHACL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.rdf import bindings
from kg.rdf.terms import OxTerm, OxToRdflib, to_ox

Triples = Graph | Iterable[tuple[Node, Node, Node]]
_Subject = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class GraphSet:
    """What one validation reads: the ontology and the reference data beside every document,
    the entities the documents name that nobody curated (``minted``), and the document graphs
    (name, triples) whose nodes it reports on."""

    ontology: Triples
    reference: Triples
    documents: Iterable[tuple[str, Triples]]
    minted: Triples = ()


class OxigraphMirrorGraph(Graph):
    """An rdflib graph whose SPARQL queries run on an Oxigraph copy of the same triples.

    pySHACL evaluates core constraints on rdflib (fast enough), but runs a SPARQL-based
    constraint once per focus node with $this as an initial binding; rdflib parses the query
    again each time and joins before it uses the binding (about 0.1 s a node). Oxigraph answers
    the same query in well under a millisecond. The copy is made on the first query; the graph
    is not changed while it is validated (no inference, no rules).

    The graph under validation is also kept in the copy as a named graph (``named``), so that
    a SPARQL constraint can tell its statements from those of the reference data beside it
    (``GRAPH ?g { ... }``): the ownership rule needs that.
    """

    def __init__(self) -> None:
        super().__init__()
        self._mirror: ox.Store | None = None
        self._to_rdflib = OxToRdflib()
        self.named: tuple[str, list[tuple[Node, Node, Node]]] | None = None

    def query(
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

            default = ox.DefaultGraph()
            # rdflib types each place of a triple as any Node; in a graph the subject is an IRI
            # or a blank node and the predicate an IRI (and Oxigraph refuses anything else).
            self._mirror.bulk_extend(
                ox.Quad(cast(_Subject, term(s)), cast(ox.NamedNode, term(p)), term(o), default)
                for s, p, o in self
            )
            if self.named is not None:
                name, triples = self.named
                graph = ox.NamedNode(name)
                self._mirror.bulk_extend(
                    ox.Quad(cast(_Subject, term(s)), cast(ox.NamedNode, term(p)), term(o), graph)
                    for s, p, o in triples
                )
        return self._mirror


def data_graph(*graphs: Triples, named: tuple[str, Triples] | None = None) -> OxigraphMirrorGraph:
    """One graph holding the triples of ``graphs`` and of ``named`` (a graph name and its
    triples: the graph under validation, which SPARQL also sees as that named graph)."""
    data = OxigraphMirrorGraph()
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    if named is not None:
        name, triples = named
        kept = list(triples)
        for triple in kept:
            data.add(triple)
        data.named = (name, kept)
    return data
