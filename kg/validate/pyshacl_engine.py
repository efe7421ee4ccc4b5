"""pySHACL over each document graph on its own, with ontology and reference data beside it.

The reference data is validated once; each document graph is validated with the reference
data and ontology beside it so that ``sh:class`` and the ontology check can see the classes
of curated entities. Only nodes that are subjects in the graph under validation are focus
nodes, so the cost grows with the documents validated, not with the corpus.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from kg.errors import ShapesError
from kg.rdf.namespaces import AIP, GRAPH, MINTED_GRAPH, REFERENCE_GRAPH, SH
from kg.validate.mirror import GraphSet, Triples, data_graph
from kg.validate.partition import pyshacl_reports
from kg.validate.report import (
    ValidationResult,
    copy_result,
    finished,
    result_from_report,
)
from kg.validate.shapes import one_line

# The name an in-memory graph validated on its own is kept under for SPARQL constraints.
VALIDATED_GRAPH = str(GRAPH["validated"])


class GraphPart:
    """A named graph whose nodes a run reports on: its subjects and the classes it uses as
    types, and the source file they came from."""

    def __init__(self, name: str, triples: Triples) -> None:
        self.name = name
        self.focus: set[Node] = set()
        files: dict[Node, str] = {}
        documents: set[Node] = set()
        has_pref_label = False
        for s, p, o in triples:
            self.focus.add(s)
            if p == RDF.type:
                self.focus.add(o)
                if o == AIP.SourceDocument:
                    documents.add(s)
            elif p == AIP.sourceFile:
                files[s] = str(o)
            elif p == SKOS.prefLabel:
                has_pref_label = True
        # the source file of a document graph (its document's, not a curated stance file's);
        # the reference folder for the reference graph
        self.source = min((files[d] for d in documents if d in files), default=None)
        if self.source is None and has_pref_label and name != str(MINTED_GRAPH):
            self.source = "data/reference/*.ttl"  # kg.validate.locations names file and line


def validate_graphs(
    graphs: GraphSet, shapes: Graph, include_reference: bool = True, jobs: int | None = None
) -> tuple[list[ValidationResult], Graph]:
    """Each document graph with ontology and reference beside it; only results about nodes of
    the graph being validated are kept. Sorted, with the report node in the graph."""
    return finished(*collect_results(graphs, shapes, include_reference, jobs))


def collect_results(
    graphs: GraphSet, shapes: Graph, include_reference: bool = True, jobs: int | None = None
) -> tuple[list[ValidationResult], Graph]:
    """``validate_graphs``' results unsorted, and their result nodes without a report node.

    The reference data is validated once, in the same pySHACL run as the first document (its
    nodes are focus nodes of every run anyway, since ``sh:class`` needs them in the data):
    results about reference nodes are kept from that run only. Without documents it gets a
    run of its own. ``minted`` (entities the documents name that nobody curated) is beside
    every document like the reference data, and reported on with it. Each document graph is
    also a named graph in the data SPARQL constraints see (the ownership rule needs that)."""
    results: list[ValidationResult] = []
    report_graph = Graph()
    ontology, reference = graphs.ontology, graphs.reference
    minted = graphs.minted if isinstance(graphs.minted, Graph) else list(graphs.minted)
    context_parts = (
        [GraphPart(str(REFERENCE_GRAPH), reference), GraphPart(str(MINTED_GRAPH), minted)]
        if include_reference
        else []
    )
    described = _by_subject(minted)
    for name, document in graphs.documents:
        parts = [GraphPart(name, document), *context_parts]
        # The minted graph grows with the corpus: beside a document goes only the description
        # of what it links to (enough for sh:class), except in the run that reports on it.
        beside = minted if context_parts else _described(document, described)
        context_parts = []
        data = data_graph(ontology, reference, beside, named=(name, document))
        _run(data, shapes, parts, results, report_graph, jobs)
    if context_parts:
        data = data_graph(ontology, reference, minted)
        _run(data, shapes, context_parts, results, report_graph, jobs)
    return results, report_graph


def _by_subject(triples: Triples) -> dict[Node, list[tuple[Node, Node, Node]]]:
    found: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for triple in triples:
        found.setdefault(triple[0], []).append(triple)
    return found


def _described(document: Triples, described: dict[Node, list]) -> list:
    """The triples of ``described`` about the objects of ``document``."""
    objects = {o for _, _, o in document}
    return [t for node in objects for t in described.get(node, ())]


def collect_graph_results(
    data: Graph, shapes: Graph, context: Graph | None = None, name: str = ""
) -> tuple[list[ValidationResult], Graph]:
    """The results about the subjects of one in-memory graph, unsorted, and their result
    nodes (``kg.validate.runner.validate_graph``). SPARQL constraints see the graph as the
    named graph ``name`` too (default: graph/validated)."""
    results: list[ValidationResult] = []
    report_graph = Graph()
    named = (name or VALIDATED_GRAPH, data)
    combined = data_graph(*([] if context is None else [context]), named=named)
    _run(combined, shapes, [GraphPart("", data)], results, report_graph)
    return results, report_graph


def _run(
    data: Graph,
    shapes: Graph,
    parts: Sequence[GraphPart],
    results: list[ValidationResult],
    report_graph: Graph,
    jobs: int | None = None,
) -> None:
    """Validate ``data`` and keep the results about nodes of ``parts`` (the first part that
    has the focus node gets the result).

    pySHACL's own focus_nodes option is not used: in pySHACL 0.40 it also filters the value
    nodes of nested shapes (sh:qualifiedValueShape), which gives wrong results.
    """
    relevant = set().union(*(part.focus for part in parts))
    try:
        reports = pyshacl_reports(data, shapes, jobs, relevant)
    except Exception as err:  # a broken constraint only shows when pySHACL runs it
        raise ShapesError(f"shapes cannot be run: {one_line(err)}") from None
    for report in reports:
        # the report's own results: not those nested in them as sh:detail (sh:node gives some)
        for node in dict.fromkeys(report.objects(None, SH.result)):
            focus = report.value(node, SH.focusNode)
            part = next((part for part in parts if focus in part.focus), None)
            if part is None:
                continue
            results.append(result_from_report(report, node, data, shapes, part.name, part.source))
            copy_result(report, node, report_graph)
