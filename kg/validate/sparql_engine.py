"""The SPARQL engine: compiled shapes evaluated over all selected document graphs at once.

The queries run over the union of the graphs of a store (``kg.validate.data.validation_store``:
ontology, reference data, the minted graph and the selected documents, in place). Which graph a
result belongs to, and so whether it is reported at all, follows the pySHACL engine (``kg.validate.pyshacl_engine``): a
focus node is reported once for every selected document graph where it is a subject or a class
used as a type, and once for the reference graph when it is there and not in the first selected
document (the pySHACL engine validates the reference data in the run of the first document).

Where the engines can differ: pySHACL sees one document graph at a time, this engine all of
them together. A node that several document graphs describe (stance rules, posts, the debate)
is checked against the union of those descriptions. ``kg build`` writes such descriptions
alike, and then the results are the same (``tests/test_build_validate.py`` checks it on
generated corpora, as built and damaged). And a graph held in rdflib (``validate_graph``:
fixtures) is copied into Oxigraph, which keeps a number or boolean in canonical form, so a
literal whose lexical form rdflib already changed (``"abc"^^xsd:boolean`` becomes an
ill-typed ``"false"``) is ill typed to pySHACL only; from a store both engines read the same
lexical forms (``tests/test_validate_datatypes.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.project import default_jobs
from kg.rdf.namespaces import SH
from kg.rdf.terms import OxTerm, OxToRdflib
from kg.store.embedded import EmbeddedStore
from kg.validate.compiler import Check, CompiledShapes
from kg.validate.conditions import WELL_TYPED, well_typed
from kg.validate.focus_info import FocusInfo, focus_info, graphs_holding
from kg.validate.report import ValidationResult, path_text, term_text


@dataclass(frozen=True)
class Scope:
    """The graphs whose nodes are reported on: document graphs in order, and the reference
    graph (None: not reported) and the minted graph beside it; ``names`` gives the name a graph
    is reported under."""

    documents: Sequence[str]
    reference: str | None
    names: dict[str, str]
    minted: str | None = None

    @property
    def context(self) -> list[str]:
        """Graphs reported on like the reference data, in the order pySHACL's parts have."""
        return [g for g in (self.reference, self.minted) if g is not None]

    @property
    def graphs(self) -> list[str]:
        return [*self.documents, *self.context]


@dataclass(frozen=True)
class Finding:
    check: Check
    focus: Node
    value: Node | None
    messages: tuple[Literal, ...]
    path: Node | None = None  # a SPARQL constraint's ?path (SHACL 5.3.2), when its shape has none


def evaluate(
    store: EmbeddedStore,
    compiled: CompiledShapes,
    shapes: Graph,
    scope: Scope,
    converter: OxToRdflib | None = None,
    jobs: int | None = 1,
) -> tuple[list[ValidationResult], Graph]:
    """The results of the compiled checks about nodes of ``scope``, unsorted, and their
    sh:ValidationResult nodes (without the report node). ``converter`` turns the store's terms
    into the rdflib terms the results name (the original ones, for graphs held in memory).
    ``jobs``: queries run at once (None: one per core, ``kg.project.default_jobs``)."""
    converter = converter or OxToRdflib()
    run = _Run(store, converter, {ox.NamedNode(WELL_TYPED): _well_typed(converter)})
    run.prefetch(compiled.checks, jobs)
    findings = [f for c in compiled.checks for f in _findings(run, c)]
    foci = {f.focus for f in findings}
    holding = graphs_holding(store, converter, foci, scope.graphs)
    info = focus_info(store, converter, foci, scope.graphs)
    results: list[ValidationResult] = []
    report = Graph()
    copies: dict[Node, Node] = {}  # one copy of a path in the report, as in pySHACL's
    for finding in findings:
        for graph in _reported_in(holding.get(finding.focus, set()), scope):
            results.append(_result(finding, shapes, scope.names.get(graph, graph), info, graph))
            _add_result_node(report, shapes, finding, copies)
    return results, report


def _reported_in(graphs: set[str], scope: Scope) -> Iterator[str]:
    # As in the pySHACL engine: the context graphs are reported on in the run of the first
    # document, where the first part holding the node (document, reference, minted) gets it.
    first = scope.documents[0] if scope.documents else None
    if first not in graphs:
        yield from [g for g in scope.context if g in graphs][:1]
    for document in scope.documents:
        if document in graphs:
            yield document


def _well_typed(converter: OxToRdflib):
    """``conditions.WELL_TYPED`` for one run: rdflib's judgment of the literal as pySHACL
    sees it (the original term, for graphs held in memory: ``converter``)."""
    verdicts: dict[OxTerm, ox.Literal] = {}

    def judge(value: OxTerm) -> ox.Literal:
        found = verdicts.get(value)
        if found is None:
            found = verdicts[value] = ox.Literal(well_typed(converter.term(value)))
        return found

    return judge


@dataclass
class _Run:
    """What the queries of one evaluation share: the store, the conversion of its terms, the
    custom functions, and the rows of each query text (checks that share a query run it once)."""

    store: EmbeddedStore
    converter: OxToRdflib
    functions: dict
    answers: dict[str, list[dict[str, Node]]] = field(default_factory=dict)

    def prefetch(self, checks: Sequence[Check], jobs: int | None) -> None:
        """The rows of every query, ``jobs`` queries at a time. Oxigraph releases the GIL
        while it evaluates a query, so threads share the cores: the 243 queries of the
        project's shapes over 1M triples in place took 31.6 s one at a time. The SPARQL
        constraints, the longest, go first."""
        ordered = sorted(checks, key=lambda check: check.kind != "sparql")
        distinct = list(dict.fromkeys(check.query for check in ordered))
        workers = default_jobs() if jobs is None else jobs
        if workers <= 1 or len(distinct) <= 1:
            for query in distinct:
                self.rows(query)
            return
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(self.rows, distinct))

    def rows(self, query: str) -> list[dict[str, Node]]:
        """The query's rows as rdflib terms by variable name."""
        if query not in self.answers:
            dataset = getattr(self.store, "dataset", {"use_default_graph_as_union": True})
            solutions = self.store.store.query(query, custom_functions=self.functions, **dataset)
            assert isinstance(solutions, ox.QuerySolutions)  # every compiled check is a SELECT
            names = [variable.value for variable in solutions.variables]
            term = self.converter.term
            self.answers[query] = [
                {name: term(row[i]) for i, name in enumerate(names) if row[i] is not None}
                for row in solutions
            ]
        return self.answers[query]


def _findings(run: _Run, check: Check) -> Iterator[Finding]:
    for row in run.rows(check.query):
        bound = dict(row)
        focus = bound.get("this")
        if focus is None:
            continue
        if check.kind == "count":
            assert check.count_limit is not None
            compare, limit = check.count_limit
            count = int(str(bound["count"]))  # a COUNT: an xsd:integer literal
            if count < limit if compare == "<" else count > limit:
                yield Finding(check, focus, None, check.messages)
        elif check.kind == "value":
            yield Finding(check, focus, bound.get("value"), check.messages)
        elif check.kind == "node":
            yield Finding(check, focus, focus, check.messages)
        elif check.kind == "focus":
            yield Finding(check, focus, None, check.messages)
        else:
            yield _sparql_finding(check, bound)


def _sparql_finding(check: Check, bound: dict[str, Node]) -> Finding:
    """One row of a SPARQL-based constraint as pySHACL reports it: ``?value`` (or, for a node
    shape, the focus node) as the value, and the messages with ``{?var}`` filled in."""
    focus = bound.pop("this")
    row_path = bound.pop("path", None) if check.path is None else None
    value = bound.pop("value", None)
    if value is None and check.path is None:
        value = focus
    fill = dict(bound)
    fill["this"] = focus
    if row_path is not None:
        fill["path"] = row_path
    if value is not None:
        fill["value"] = value
    messages = [
        Literal(_format(str(m.value), fill))
        for m in check.constraint_messages
        if m not in check.messages
    ]
    messages += [Literal(_format(str(m.value), fill)) for m in check.messages]
    return Finding(check, focus, value, tuple(messages), row_path)


def _format(message: str, fill: dict[str, Node]) -> str:
    # as pySHACL does it, replacement text included (re.sub, str() of the term)
    for name, term in fill.items():
        message = re.sub(f"{{[?$]{name}}}", str(term), message)
    return message


def _result(
    finding: Finding, shapes: Graph, graph_name: str, info: FocusInfo, graph: str
) -> ValidationResult:
    check = finding.check
    name = shapes.value(check.shape, SH.name)
    messages = sorted(str(m) for m in finding.messages)
    return ValidationResult(
        severity=str(check.severity).removeprefix(str(SH)),
        shape=str(check.shape),
        shape_name=str(name) if name is not None else None,
        component=str(check.component),
        constraint=str(check.constraint) if isinstance(check.constraint, URIRef) else None,
        focus=str(finding.focus),
        focus_label=info.label(finding.focus, graph),
        path=_path_text(shapes, check.path) if check.path is not None else term_text(finding.path),
        value=term_text(finding.value),
        message=messages[0] if messages else "does not conform",
        graph=graph_name,
        source=info.source(finding.focus, graph),
        line=info.line(finding.focus, graph),
    )


def _path_text(shapes: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    return str(path) if isinstance(path, URIRef) else path_text(shapes, path)


def _add_result_node(
    report: Graph, shapes: Graph, finding: Finding, copies: dict[Node, Node]
) -> None:
    check = finding.check
    node = BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.sourceConstraintComponent, check.component))
    report.add((node, SH.sourceShape, check.shape))
    report.add((node, SH.resultSeverity, check.severity))
    report.add((node, SH.focusNode, finding.focus))
    if finding.value is not None:
        report.add((node, SH.value, finding.value))
    if check.path is not None:
        report.add((node, SH.resultPath, _copied(shapes, check.path, report, copies)))
    elif finding.path is not None:
        report.add((node, SH.resultPath, finding.path))
    if check.constraint is not None:
        constraint = _copied(shapes, check.constraint, report, copies)
        report.add((node, SH.sourceConstraint, constraint))
    for message in finding.messages:
        report.add((node, SH.resultMessage, message))


def _copied(shapes: Graph, node: Node, into: Graph, copies: dict[Node, Node]) -> Node:
    """``node``, with the blank nodes it owns copied from the shapes graph under new labels
    (as pySHACL copies a path into its report), once per report."""
    if not isinstance(node, BNode):
        return node
    if node not in copies:
        copies[node] = BNode()
        for p, o in shapes.predicate_objects(node):
            into.add((copies[node], p, _copied(shapes, o, into, copies)))
    return copies[node]
