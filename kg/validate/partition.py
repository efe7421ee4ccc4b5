"""pySHACL runs, split over forked worker processes by groups of targeted shapes."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.project import default_jobs
from kg.rdf.namespaces import SH

# Below this many data triples one pySHACL run is quicker than starting worker processes.
PARALLEL_MIN_TRIPLES = 2_000
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
CLASSES = (RDFS.Class, OWL.Class)


def pyshacl_reports(
    data: Graph, shapes: Graph, jobs: int | None, relevant: set[Node] | None = None
) -> list[Graph]:
    """pySHACL's report graph(s) for ``data``, for the focus nodes in ``relevant`` (None:
    all). A shape whose targets hold no relevant node cannot give a result that is kept, so
    it loses its targets (the reference data's shapes in a run for one document). pySHACL
    runs on one core, so on a larger graph the remaining targeted shapes are split into
    ``jobs`` groups of about equal work, each validated in a forked worker with a shapes graph
    where only its group keeps its targets. A shape without targets is only checked where
    another shape refers to it, so the union of the groups' results is the result of one run.
    (pySHACL's ``use_shapes`` option would do this, but in 0.40 it reports nothing for our
    shapes.)"""
    jobs = jobs if jobs is not None else default_jobs()
    groups = shape_groups(data, shapes, jobs if len(data) >= PARALLEL_MIN_TRIPLES else 1, relevant)
    if groups is None:
        return [_pyshacl_report(data, shapes)]
    if not groups:
        return []  # no shape targets a node whose results would be kept
    if len(groups) < 2:
        return [_pyshacl_report(data, targets_of_only(shapes, {URIRef(s) for s in groups[0]}))]
    return _reports_in_workers(data, shapes, groups)


def _reports_in_workers(data: Graph, shapes: Graph, groups: list[list[str]]) -> list[Graph]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pyshacl  # noqa: F401  imported once here, not again in every worker

    context = multiprocessing.get_context("fork")  # the workers inherit data and shapes
    with ProcessPoolExecutor(
        len(groups), mp_context=context, initializer=_init_worker, initargs=(data, shapes)
    ) as pool:
        answers = list(pool.map(_report_in_worker, groups))
    reports = []
    for answer in answers:
        report = Graph()  # a parse of its own: blank nodes of two workers never merge
        report.parse(data=answer, format="nt")
        reports.append(report)
    return reports


def _pyshacl_report(data: Graph, shapes: Graph) -> Graph:
    from pyshacl import validate

    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, inplace=True
    )
    return report


_WORKER: dict[str, Graph] = {}  # set in each worker process by its initializer only


def _init_worker(data: Graph, shapes: Graph) -> None:
    _WORKER["data"], _WORKER["shapes"] = data, shapes


def _report_in_worker(group: list[str]) -> bytes:
    shapes = targets_of_only(_WORKER["shapes"], {URIRef(s) for s in group})
    report = _pyshacl_report(_WORKER["data"], shapes)
    return report.serialize(format="nt", encoding="utf-8")


def targets_of_only(shapes: Graph, group: set[URIRef]) -> Graph:
    """The shapes graph with the targets of every shape outside ``group`` removed."""
    kept = Graph()
    for triple in shapes:
        if triple[0] in group or triple[1] not in TARGETS:
            kept.add(triple)
    return kept


def _shape_nodes(shapes: Graph) -> set[Node]:
    return {
        s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)
    } | {s for t in TARGETS for s in shapes.subjects(t, None)}


def shape_groups(
    data: Graph, shapes: Graph, jobs: int, relevant: set[Node] | None = None
) -> list[list[str]] | None:
    """The targeted shapes that have a relevant focus node, in up to ``jobs`` groups of about
    equal estimated work (focus nodes times property shapes), largest first into the
    lightest group. None when shapes cannot be told apart safely: a targeted shape without an
    IRI to name it by, or a shape that is also a class (its implicit target cannot be
    switched off)."""
    targeted = {s for t in TARGETS for s in shapes.subjects(t, None)}
    if not targeted or any(not isinstance(s, URIRef) for s in targeted):
        return None
    if any((s, RDF.type, c) in shapes for s in _shape_nodes(shapes) for c in CLASSES):
        return None
    costs = []
    for shape in targeted:
        focus = _focus_estimate(data, shapes, shape)
        if relevant is None or not focus.isdisjoint(relevant):
            costs.append((len(focus) * _constraint_weight(shapes, shape), str(shape)))
    costs.sort(reverse=True)
    groups: list[tuple[float, list[str]]] = [
        (0.0, []) for _ in range(max(1, min(jobs, len(costs))))
    ]
    for cost, name in costs:
        groups.sort(key=lambda g: g[0])
        total, members = groups[0]
        groups[0] = (total + cost, [*members, name])
    return [members for _, members in groups if members]


def _focus_estimate(data: Graph, shapes: Graph, shape: Node) -> set[Node]:
    """The shape's focus nodes in ``data`` (sh:targetClass with the subclasses that ``data``
    declares, as SHACL's "SHACL instance" does)."""
    focus: set[Node] = set()
    for target in shapes.objects(shape, SH.targetClass):
        for cls in data.transitive_subjects(RDFS.subClassOf, target):
            focus.update(data.subjects(RDF.type, cls))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        focus.update(data.subjects(predicate, None))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        focus.update(data.objects(None, predicate))
    focus.update(shapes.objects(shape, SH.targetNode))
    return focus


def _constraint_weight(shapes: Graph, shape: Node) -> int:
    # pySHACL checks each property shape per focus node; a SPARQL constraint costs about as
    # much as five core ones (measured on the seed)
    weight = 1 + 5 * len(list(shapes.objects(shape, SH.sparql)))
    for prop in shapes.objects(shape, SH.property):
        weight += 1 + 5 * len(list(shapes.objects(prop, SH.sparql)))
    return weight
