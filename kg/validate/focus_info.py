"""What a report says about a focus node beyond the result: the graphs that hold it, its label,
the source file and the line, looked up in the store for all focus nodes of a run at once
(the SPARQL engine's counterpart of ``kg.validate.report``'s lookups in an rdflib graph)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.rdf.namespaces import AIP, MINTED_GRAPH
from kg.rdf.terms import OxTerm, OxToRdflib, to_ox
from kg.store import GraphStore
from kg.validate.report import line_numbers, preferred_label

CHUNK = 500  # focus nodes per VALUES block


def _rows(
    store: GraphStore, converter: OxToRdflib, text: str, nodes: Iterable[Node]
) -> Iterator[list[Node]]:
    """The rows of ``text`` (which names ``?node``) for each of ``nodes``, as rdflib terms;
    the queries here bind every variable in every row (a row that did not would be left out).
    IRIs and literals go into a ``VALUES`` block, a blank node is bound on its own (a blank
    node label in a query would be a fresh variable)."""
    named = [n for n in nodes if not isinstance(n, BNode)]
    chunks = [named[i : i + CHUNK] for i in range(0, len(named), CHUNK)]
    runs: list[tuple[str, dict[ox.Variable, OxTerm] | None]] = [
        (
            text.replace("#VALUES", f"VALUES ?node {{ {' '.join(str(to_ox(n)) for n in chunk)} }}"),
            None,
        )
        for chunk in chunks
    ]
    runs += [
        (text.replace("#VALUES", ""), {ox.Variable("node"): to_ox(n)})
        for n in nodes
        if isinstance(n, BNode)
    ]
    for query, binding in runs:
        solutions = store.query(query, binding)
        width = len(solutions.variables)
        for row in solutions:
            values = [row[i] for i in range(width)]
            if all(value is not None for value in values):
                yield [converter.term(value) for value in values]


HOLDERS = f"""SELECT DISTINCT ?node ?graph WHERE {{ #VALUES
  {{ GRAPH ?graph {{ ?node ?p ?o }} }} UNION {{ GRAPH ?graph {{ ?s <{RDF.type}> ?node }} }} }}"""


def graphs_holding(
    store: GraphStore, converter: OxToRdflib, foci: set[Node], graphs: Sequence[str]
) -> dict[Node, set[str]]:
    """For each focus node, which of ``graphs`` have it as a subject or as a type."""
    wanted = set(graphs)
    holding: dict[Node, set[str]] = {}
    for node, graph in _rows(store, converter, HOLDERS, foci):
        if str(graph) in wanted:
            holding.setdefault(node, set()).add(str(graph))
    return holding


LABELS = f"""SELECT ?node ?label ?kind WHERE {{ #VALUES
  {{ ?node <{RDFS.label}> ?label BIND (1 AS ?kind) }}
  UNION {{ ?node <{SKOS.prefLabel}> ?label BIND (2 AS ?kind) }} }}"""
SOURCES = f"""SELECT ?node ?source WHERE {{ #VALUES
  ?node <{DCTERMS.isPartOf}> ?document . ?document <{AIP.sourceFile}> ?source }}"""
LINES = f"""SELECT ?node ?line ?kind WHERE {{ #VALUES
  {{ ?node <{AIP.evidence}> ?span . ?span <{AIP.startLine}> ?line BIND (1 AS ?kind) }}
  UNION {{ ?node <{AIP.startLine}> ?line BIND (2 AS ?kind) }} }}"""
# A document graph's source is its document's file; curated parts of it (stances from
# data/reference/stances/) carry files of their own, which would otherwise sort first.
GRAPH_SOURCES = f"""SELECT ?graph (MIN(STR(?file)) AS ?source) WHERE {{
  GRAPH ?graph {{ ?s <{AIP.sourceFile}> ?file ; a <{AIP.SourceDocument}> }} }} GROUP BY ?graph"""
LABELLED = f"ASK {{ GRAPH ?graph {{ ?s <{SKOS.prefLabel}> ?o }} }}"


@dataclass
class FocusInfo:
    labels: dict[Node, list[tuple[int, Node]]] = field(default_factory=dict)
    sources: dict[Node, list[str]] = field(default_factory=dict)
    lines: dict[Node, list[tuple[int, Node]]] = field(default_factory=dict)
    graph_sources: dict[str, str] = field(default_factory=dict)

    def label(self, node: Node, graph: str) -> str | None:
        found = self.labels.get(node, [])
        labels = [x for kind, x in found if kind == 1] or [x for kind, x in found if kind == 2]
        return preferred_label(labels)

    def source(self, node: Node, graph: str) -> str | None:
        return min(self.sources.get(node, []), default=None) or self.graph_sources.get(graph)

    def line(self, node: Node, graph: str) -> int | None:
        found = self.lines.get(node, [])
        via_span = line_numbers(x for kind, x in found if kind == 1)
        return via_span or line_numbers(x for kind, x in found if kind == 2)


def focus_info(
    store: GraphStore, converter: OxToRdflib, foci: set[Node], graphs: Sequence[str]
) -> FocusInfo:
    info = FocusInfo()
    if not foci:
        return info
    for node, label, kind in _rows(store, converter, LABELS, foci):
        info.labels.setdefault(node, []).append((int(str(kind)), label))
    for node, source in _rows(store, converter, SOURCES, foci):
        info.sources.setdefault(node, []).append(str(source))
    for node, line, kind in _rows(store, converter, LINES, foci):
        info.lines.setdefault(node, []).append((int(str(kind)), line))
    wanted = set(graphs)
    for row in store.query(GRAPH_SOURCES):
        if row[0] is not None and row[0].value in wanted and row[1] is not None:
            info.graph_sources[row[0].value] = row[1].value
    for graph in wanted - set(info.graph_sources) - {str(MINTED_GRAPH)}:
        # as kg.validate.pyshacl_engine.GraphPart: a graph of curated, labelled entities
        if bool(store.query(LABELLED, {ox.Variable("graph"): ox.NamedNode(graph)})):
            info.graph_sources[graph] = "data/reference/*.ttl"
    return info
