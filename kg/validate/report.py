"""Validation results and reports, built from pySHACL's report graph."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.rdf.namespaces import AIP, PREFIXES, SH, SHAPES

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult, with where its focus node came from."""

    severity: str  # Violation, Warning or Info
    shape: str  # sh:sourceShape (a named property shape, or the node shape)
    shape_name: str | None  # sh:name of that shape
    component: str  # sh:sourceConstraintComponent
    constraint: str | None  # sh:sourceConstraint (SPARQL-based constraints)
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    graph: str  # the named graph the focus node was validated in
    source: str | None  # the file the node came from
    line: int | None  # line in that file where the node's text span starts


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    reference_validated: bool
    documents: list[str]
    seconds: float
    results_graph: Graph = field(repr=False)
    shapes_seconds: float | None = None  # time spent checking the shapes (meta-SHACL)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def result_from_report(
    report: Graph, node: Node, data: Graph, shapes: Graph, graph_name: str, source: str | None
) -> ValidationResult:
    """The result node ``node`` of a pySHACL report, with the label, source file and line of
    its focus node looked up in ``data``."""

    def one(predicate: URIRef) -> Node | None:
        return report.value(node, predicate)

    focus = one(SH.focusNode)
    shape = one(SH.sourceShape)
    severity = str(one(SH.resultSeverity) or SH.Violation).removeprefix(str(SH))
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    path = one(SH.resultPath)
    constraint = one(SH.sourceConstraint)
    return ValidationResult(
        severity=severity,
        shape=str(shape),
        shape_name=_shape_name(shapes, shape),
        component=str(one(SH.sourceConstraintComponent)),
        constraint=str(constraint) if isinstance(constraint, URIRef) else None,
        focus=str(focus),
        focus_label=_label(data, focus),
        path=str(path) if isinstance(path, URIRef) else (path_text(report, path) if path else None),
        value=term_text(one(SH.value)),
        message=messages[0] if messages else "does not conform",
        graph=graph_name,
        source=_source_of(data, focus) or source,
        line=_line_of(data, focus),
    )


def _shape_name(shapes: Graph, shape: Node | None) -> str | None:
    name = shapes.value(shape, SH.name) if shape is not None else None
    return str(name) if name is not None else None


def _label(data: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    labels = list(data.objects(node, RDFS.label)) or list(data.objects(node, SKOS.prefLabel))
    return preferred_label(labels)


def preferred_label(labels: list[Node]) -> str | None:
    """English, else Dutch, else untagged, else any; the first in order among equals, so
    that a report does not depend on the order a store gives them in."""
    for lang in ("en", "nl", None):
        found = sorted(str(x) for x in labels if getattr(x, "language", None) == lang)
        if found:
            return found[0]
    return min((str(x) for x in labels), default=None)


def _line_of(data: Graph, node: Node | None) -> int | None:
    """The first line of the node's text span; else of the node itself (a span, or a span's
    selector)."""
    if node is None:
        return None
    spans = list(data.objects(node, AIP.evidence))
    lines = line_numbers(line for span in spans for line in data.objects(span, AIP.startLine))
    return lines or line_numbers(data.objects(node, AIP.startLine))


def line_numbers(lines: Iterable[Node]) -> int | None:
    """The smallest of the whole-number literals among ``lines``, or None."""
    numbers = [x.value for x in lines if isinstance(x, Literal) and isinstance(x.value, int)]
    return min(numbers, default=None)


def _source_of(data: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    documents = list(data.objects(node, DCTERMS.isPartOf))
    return min((str(f) for d in documents for f in data.objects(d, AIP.sourceFile)), default=None)


def path_text(graph: Graph, path: Node) -> str:
    """A path that is not one IRI: alternatives joined by `` | ``, a sequence by `` / ``
    (other paths by their blank node)."""
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return " | ".join(str(p) for p in Collection(graph, alternatives))
    if graph.value(path, RDF.first) is not None:
        return " / ".join(str(p) for p in Collection(graph, path))
    return str(path)


def term_text(term: Node | None) -> str | None:
    """A value as the report shows it: literals in N-Triples form, IRIs bare."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


def sort_key(result: ValidationResult) -> tuple:
    # total, so that a report reads the same whatever order pySHACL found the results in
    return (
        SEVERITY_ORDER.get(result.severity, 9),
        result.shape,
        result.focus,
        result.value or "",
        result.component,
        result.path or "",
        result.message,
    )


def copy_result(report: Graph, node: Node, into: Graph) -> None:
    """Copy one result node and the blank nodes it owns (paths, details) into ``into``."""
    todo, seen = [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for p, o in report.predicate_objects(subject):
            into.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def finished(results: list[ValidationResult], graph: Graph) -> tuple[list[ValidationResult], Graph]:
    """Results in report order, and ``graph`` with its sh:ValidationReport node over them:
    what every engine and entry point hands back, however the results were collected."""
    results.sort(key=sort_key)
    finish_report_graph(graph, results)
    return results, graph


def finish_report_graph(graph: Graph, results: list[ValidationResult]) -> None:
    """The sh:ValidationReport node over the result nodes copied into ``graph``."""
    _own_blank_nodes(graph)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(r.severity == "Violation" for r in results)
    graph.add((report, SH.conforms, Literal(conforms)))
    for node in list(graph.subjects(RDF.type, SH.ValidationResult)):
        graph.add((report, SH.result, node))
    for prefix, namespace in {**PREFIXES, "shapes": SHAPES}.items():
        graph.bind(prefix, namespace)


def _own_blank_nodes(graph: Graph) -> None:
    """Give every result its own copy of a blank node it shares with another result (a path
    such as ``[ sh:alternativePath (...) ]``, copied once per run): Turtle can then write each
    inside its result, where a shared one stands apart as a statement of its own that reads
    like a stray triple."""
    seen: set[Node] = set()
    for result in sorted(graph.subjects(RDF.type, SH.ValidationResult), key=str):
        for predicate, value in list(graph.predicate_objects(result)):
            if not isinstance(value, BNode):
                continue
            if value in seen:
                graph.remove((result, predicate, value))
                graph.add((result, predicate, _copy_tree(graph, value)))
            else:
                seen.add(value)


def _copy_tree(graph: Graph, node: Node) -> Node:
    if not isinstance(node, BNode):
        return node
    copy = BNode()
    for predicate, value in list(graph.predicate_objects(node)):
        graph.add((copy, predicate, _copy_tree(graph, value)))
    return copy
