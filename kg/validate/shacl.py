"""SHACL validation of the built store: load shapes, select graphs, run pySHACL, report.

The reference data is validated once (with the ontology beside it); each document graph is
validated on its own, with the reference data and ontology beside it so that ``sh:class`` and
the ontology check can see the classes of curated entities. Only nodes that are subjects in the
graph under validation are focus nodes, so the cost grows with the documents validated, not
with the corpus, and ``documents=`` limits a run to the documents that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.errors import ShapesError, StoreError
from kg.rdf import bindings
from kg.rdf.namespaces import (
    AIP,
    GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REFERENCE_GRAPH,
    SH,
    SHAPES,
)
from kg.store.versions import to_ox

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
FORMATS = ("text", "turtle", "json")


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


# -- shapes -------------------------------------------------------------------------------------


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``*.ttl`` in the folder, parsed into one shapes graph; a clear error if malformed."""
    shapes_dir = Path(shapes_dir)
    if not shapes_dir.is_dir():
        raise ShapesError(f"{shapes_dir}: no shapes folder")
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise ShapesError(f"{shapes_dir}: no .ttl shapes files found")
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several unrelated types for bad syntax
            line = getattr(err, "lines", None)
            why = getattr(err, "_why", None) or _one_line(err)
            where = f"{path}:{line}" if line is not None else str(path)
            raise ShapesError(f"{where}: not valid Turtle: {why}") from None
    if not any(graph.subjects(RDF.type, SH.NodeShape)):
        raise ShapesError(f"{shapes_dir}: no sh:NodeShape in {', '.join(f.name for f in files)}")
    _join_query_lines(graph)
    return graph


def _join_query_lines(shapes: Graph) -> None:
    """Put each SPARQL constraint's query on one line. pySHACL 0.40 scans the query text with
    multi-line regular expressions once per focus node, and that cost grows with the number
    of lines (about two thirds of the seed's validation time went there). Queries with a
    comment or a long string literal, where a line break means something, stay as written."""
    for predicate in (SH.select, SH.ask):
        for node, text in list(shapes.subject_objects(predicate)):
            query = str(text)
            if "#" in query or "'''" in query or '"""' in query:
                continue
            joined = re.sub(r"\s*\n\s*", " ", query).strip()
            if joined != query:
                shapes.set((node, predicate, Literal(joined, datatype=text.datatype)))


def check_shapes(shapes: Graph) -> None:
    """Validate the shapes graph against SHACL-for-SHACL (pySHACL's meta-SHACL shapes)."""
    from pyshacl.entrypoints import meta_validate

    try:
        conforms, report, _ = meta_validate(shapes, inference="none")
    except Exception as err:  # pySHACL raises its own load errors for broken constraints
        raise ShapesError(f"shapes cannot be loaded: {_one_line(err)}") from None
    if conforms:
        return
    first = sorted(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultMessage)),
            _term_text(report.value(r, SH.value)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )[0]
    focus, path, message, value = first
    value_text = f" = {value}" if value is not None else ""
    raise ShapesError(
        f"shapes are not valid SHACL: {compact(focus)} {compact(path)}{value_text}: {message}"
    )


def shapes_digest(shapes_dir: Path) -> str:
    """SHA-256 over the shapes files (names and bytes) and the pySHACL version: what the
    meta-SHACL verdict depends on."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"pyshacl {version('pyshacl')}\n".encode())
    for path in sorted(Path(shapes_dir).glob("*.ttl")):
        digest.update(f"{path.name}\n".encode())
        digest.update(path.read_bytes())
        digest.update(b"\n")
    return digest.hexdigest()


def check_shapes_once(shapes_dir: Path, shapes: Graph, cache_dir: Path | None = None) -> bool:
    """``check_shapes``, skipped when these exact shapes files already passed it.

    Only a pass is remembered (a marker file named by ``shapes_digest`` in ``cache_dir``,
    default build/cache/shapes-checked), so a changed or broken shape is always checked again.
    True when meta-SHACL ran."""
    if cache_dir is None:
        from kg.project import Project, project_root_of

        # The project holding the shapes, else the one the command runs in.
        root = project_root_of(Path(shapes_dir).resolve()) or project_root_of(Path.cwd())
        if root is None:  # no project at all: nowhere to remember the pass
            check_shapes(shapes)
            return True
        cache_dir = Project.at(root).build / "cache" / "shapes-checked"
    marker = Path(cache_dir) / shapes_digest(shapes_dir)
    if marker.is_file():
        return False
    check_shapes(shapes)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{Path(shapes_dir).resolve()}: conforms to SHACL-for-SHACL\n")
    except OSError:  # a read-only checkout only loses the shortcut
        pass
    return True


def _one_line(err: Exception) -> str:
    text = str(getattr(err, "message", None) or err).strip() or type(err).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2])


# -- graphs from the store ----------------------------------------------------------------------


def graph_names(store) -> list[str]:
    """Named graphs of an embedded Oxigraph store or of a remote store (``kg.store``)."""
    if isinstance(store, ox.Store):
        return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return sorted(store.named_graphs())


def document_graph_names(store: ox.Store) -> list[str]:
    prefix = str(GRAPH["document/"])
    return [name for name in graph_names(store) if name.startswith(prefix)]


def load_graph(store: ox.Store, name: str) -> Graph:
    graph = Graph()
    for triple in graph_triples(store, name):
        graph.add(triple)
    return graph


GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?graph { ?s ?p ?o } }"


def graph_triples(store, name: str) -> list[tuple[Node, Node, Node]]:
    return _converted(_ox_triples(store, name), {})


def _ox_triples(store, name: str) -> list[ox.Triple]:
    if isinstance(store, ox.Store):
        return [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))]
    # a remote store: the graph name is bound as a term, never spliced in
    return list(store.query(GRAPH_TRIPLES, {ox.Variable("graph"): ox.NamedNode(name)}))


def _converted(triples: Iterable[ox.Triple], cache: dict) -> list[tuple[Node, Node, Node]]:
    """Oxigraph triples as rdflib triples; ``cache`` shares one rdflib term per Oxigraph term
    (predicates, classes and document IRIs repeat, and converting is most of the cost)."""

    def term(t) -> Node:
        found = cache.get(t)
        if found is None:
            found = cache[t] = from_ox(t)
        return found

    return [(term(t.subject), term(t.predicate), term(t.object)) for t in triples]


def _check_store(store: ox.Store) -> None:
    names = set(graph_names(store))
    missing = [str(g) for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH) if str(g) not in names]
    if missing:
        raise StoreError(f"the store has no graph {missing[0]}; rebuild it with 'kg build'")


# -- running pySHACL ----------------------------------------------------------------------------


def validate_store(
    store: ox.Store,
    shapes: Graph,
    documents: Sequence[str] | None = None,
    include_reference: bool = True,
    check: bool = True,
    shapes_dir: Path | None = None,
    jobs: int | None = None,
) -> ValidationReport:
    """Validate the reference graph once and each (selected) document graph on its own.

    ``documents`` are document identifiers (``2026D32673``) or graph IRIs; None means all.
    ``check`` runs meta-SHACL on the shapes first; given ``shapes_dir`` (the folder the shapes
    were loaded from) only when those files have not passed it before.
    """
    _check_store(store)
    checked = time.perf_counter()
    ran = False
    if check and shapes_dir is not None:
        ran = check_shapes_once(shapes_dir, shapes)
    elif check:
        check_shapes(shapes)
        ran = True
    import pyshacl  # noqa: F401  loaded before the clock: seconds are the validation itself

    started = time.perf_counter()
    shapes_seconds = started - checked if ran else None
    cache: dict = {}  # one rdflib term per Oxigraph term, shared by every graph of this run
    ontology = _converted(_ox_triples(store, str(ONTOLOGY_GRAPH)), cache)
    reference = _converted(_ox_triples(store, str(REFERENCE_GRAPH)), cache)
    selected = _select_documents(store, documents)
    # Document graphs are loaded one at a time, so memory follows one document, not the corpus.
    loaded = ((name, _converted(_ox_triples(store, name), cache)) for name in selected)
    results, report_graph = validate_graphs(
        ontology, reference, loaded, shapes, include_reference, jobs
    )
    seconds = time.perf_counter() - started
    return ValidationReport(
        results, include_reference, selected, seconds, report_graph, shapes_seconds
    )


Triples = Graph | Sequence[tuple[Node, Node, Node]]


def validate_graphs(
    ontology: Triples,
    reference: Triples,
    documents: Iterable[tuple[str, Triples]],
    shapes: Graph,
    include_reference: bool = True,
    jobs: int | None = None,
) -> tuple[list[ValidationResult], Graph]:
    """Each document graph with ontology and reference beside it; only results about nodes of
    the graph being validated are kept.

    The reference data is validated once, in the same pySHACL run as the first document (its
    nodes are focus nodes of every run anyway, since ``sh:class`` needs them in the data):
    results about reference nodes are kept from that run only. Without documents it gets a
    run of its own."""
    results: list[ValidationResult] = []
    report_graph = Graph()
    reference_part = _Part(str(REFERENCE_GRAPH), reference) if include_reference else None
    for name, document in documents:
        parts = [_Part(name, document)]
        if reference_part is not None:
            parts.append(reference_part)
            reference_part = None
        data = _data_graph(ontology, reference, document)
        _run(data, shapes, parts, results, report_graph, jobs)
    if reference_part is not None:
        data = _data_graph(ontology, reference)
        _run(data, shapes, [reference_part], results, report_graph, jobs)
    results.sort(key=_sort_key)
    _finish_report_graph(report_graph, results)
    return results, report_graph


def shacl_check(shapes_dir: Path) -> Callable[[Sequence[tuple[URIRef, Graph]]], list[str]]:
    """A build check (``kg.pipeline.build.Check``) that fails the build on any SHACL violation: what
    ``kg add`` and ``kg build`` run on the graphs they wrote before the new dataset replaces
    the store. The shapes get their meta-SHACL check first (once per shapes change)."""

    def check(named: Sequence[tuple[URIRef, Graph]]) -> list[str]:
        shapes = load_shapes(shapes_dir)
        check_shapes_once(shapes_dir, shapes)
        graphs = {str(name): graph for name, graph in named}
        documents = [(n, g) for n, g in graphs.items() if n.startswith(str(GRAPH["document/"]))]
        results, _ = validate_graphs(
            graphs[str(ONTOLOGY_GRAPH)], graphs[str(REFERENCE_GRAPH)], documents, shapes
        )
        return [
            f"{compact(r.focus)}"
            + (f" ({r.source}:{r.line})" if r.source and r.line else "")
            + f": {r.shape_name or compact(r.shape)}: {r.message}"
            for r in results
            if r.severity == "Violation"
        ]

    return check


def validate_graph(data: Graph, shapes: Graph, context: Graph | None = None) -> ValidationReport:
    """Validate one in-memory graph (fixtures, tests): its subjects are the focus nodes."""
    started = time.perf_counter()
    results: list[ValidationResult] = []
    report_graph = Graph()
    combined = _data_graph(data) if context is None else _data_graph(context, data)
    _run(combined, shapes, [_Part("", data)], results, report_graph)
    results.sort(key=_sort_key)
    _finish_report_graph(report_graph, results)
    return ValidationReport(results, False, [], time.perf_counter() - started, report_graph)


def _select_documents(store: ox.Store, documents: Sequence[str] | None) -> list[str]:
    available = document_graph_names(store)
    if documents is None:
        return available
    chosen = []
    for wanted in documents:
        name = wanted if wanted.startswith("http") else str(GRAPH[f"document/{wanted}"])
        if name not in available:
            raise StoreError(f"no document graph {wanted} in the store")
        chosen.append(name)
    return chosen


class _OxigraphSparqlGraph(Graph):
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
        if self._mirror is None:
            self._mirror = ox.Store()
            cache: dict[Node, object] = {}  # terms repeat: convert each once

            def term(t: Node):
                found = cache.get(t)
                if found is None:
                    found = cache[t] = to_ox(t)
                return found

            self._mirror.bulk_extend(
                ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in self
            )
        substitutions = {ox.Variable(str(k)): to_ox(v) for k, v in (initBindings or {}).items()}
        answer = bindings.query(self._mirror, query_object, substitutions)
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
            return out
        if not isinstance(answer, ox.QuerySolutions):
            return super().query(query_object, processor, result, initNs, initBindings, **kwargs)
        names = [Variable(v.value) for v in answer.variables]
        out = Result("SELECT")
        out.vars = names
        out.bindings = [
            {name: from_ox(row[i]) for i, name in enumerate(names) if row[i] is not None}
            for row in answer
        ]
        return out


def from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _data_graph(*graphs: Triples) -> Graph:
    data = _OxigraphSparqlGraph()
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    return data


class _Part:
    """A named graph whose nodes a run reports on: its subjects and the classes it uses as
    types, and the source file they came from."""

    def __init__(self, name: str, triples: Triples) -> None:
        self.name = name
        self.focus: set[Node] = set()
        files: set[str] = set()
        has_pref_label = False
        for s, p, o in triples:
            self.focus.add(s)
            if p == RDF.type:
                self.focus.add(o)
            elif p == AIP.sourceFile:
                files.add(str(o))
            elif p == SKOS.prefLabel:
                has_pref_label = True
        # the source file of a document graph; the reference folder for the reference graph
        self.source = min(files) if files else None
        if self.source is None and has_pref_label:
            self.source = "data/reference/*.ttl"


def _run(
    data: Graph,
    shapes: Graph,
    parts: Sequence[_Part],
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
        reports = _pyshacl_reports(data, shapes, jobs, relevant)
    except Exception as err:  # a broken constraint only shows when pySHACL runs it
        raise ShapesError(f"shapes cannot be run: {_one_line(err)}") from None
    for report in reports:
        for node in report.subjects(RDF.type, SH.ValidationResult):
            focus = report.value(node, SH.focusNode)
            part = next((part for part in parts if focus in part.focus), None)
            if part is None:
                continue
            results.append(_result(report, node, data, shapes, part.name, part.source))
            _copy_result(report, node, report_graph)


# Below this many data triples one pySHACL run is quicker than starting worker processes.
PARALLEL_MIN_TRIPLES = 2_000


def _pyshacl_reports(
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
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    groups = _shape_groups(data, shapes, jobs if len(data) >= PARALLEL_MIN_TRIPLES else 1, relevant)
    if groups is None:
        return [_pyshacl_report(data, shapes)]
    if not groups:
        return []  # no shape targets a node whose results would be kept
    if len(groups) < 2:
        return [
            _pyshacl_report(data, _targets_of_group_only(shapes, {URIRef(s) for s in groups[0]}))
        ]
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
    shapes = _targets_of_group_only(_WORKER["shapes"], {URIRef(s) for s in group})
    report = _pyshacl_report(_WORKER["data"], shapes)
    return report.serialize(format="nt", encoding="utf-8")


def _targets_of_group_only(shapes: Graph, group: set[URIRef]) -> Graph:
    kept = Graph()
    for triple in shapes:
        if triple[0] in group or triple[1] not in TARGETS:
            kept.add(triple)
    return kept


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
CLASSES = (RDFS.Class, OWL.Class)


def _shape_nodes(shapes: Graph) -> set[Node]:
    return {
        s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)
    } | {s for t in TARGETS for s in shapes.subjects(t, None)}


def _shape_groups(
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
    for cost, shape in costs:
        groups.sort(key=lambda g: g[0])
        total, members = groups[0]
        groups[0] = (total + cost, [*members, shape])
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


def _result(
    report: Graph, node: Node, data: Graph, shapes: Graph, graph_name: str, source: str | None
) -> ValidationResult:
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
        path=str(path)
        if isinstance(path, URIRef)
        else (_path_text(report, path) if path else None),
        value=_term_text(one(SH.value)),
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
    by_lang = {getattr(label, "language", None): str(label) for label in labels}
    for lang in ("en", "nl", None):
        if lang in by_lang:
            return by_lang[lang]
    return str(labels[0]) if labels else None


def _line_of(data: Graph, node: Node | None) -> int | None:
    span = data.value(node, AIP.evidence) if node is not None else None
    line = data.value(span, AIP.startLine) if span is not None else None
    if line is None and node is not None:  # the node is itself a span, or a span's selector
        line = data.value(node, AIP.startLine)
    return int(line) if isinstance(line, Literal) else None


def _source_of(data: Graph, node: Node | None) -> str | None:
    document = data.value(node, DCTERMS.isPartOf) if node is not None else None
    source = data.value(document, AIP.sourceFile) if document is not None else None
    return str(source) if source is not None else None


def _path_text(report: Graph, path: Node) -> str:
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        from rdflib.collection import Collection

        return " | ".join(str(p) for p in Collection(report, alternatives))
    return str(path)


def _term_text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


def _sort_key(result: ValidationResult) -> tuple:
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


def _copy_result(report: Graph, node: Node, into: Graph) -> None:
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


def _finish_report_graph(graph: Graph, results: list[ValidationResult]) -> None:
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(r.severity == "Violation" for r in results)
    graph.add((report, SH.conforms, Literal(conforms)))
    for node in list(graph.subjects(RDF.type, SH.ValidationResult)):
        graph.add((report, SH.result, node))
    for prefix, namespace in {**PREFIXES, "shapes": SHAPES}.items():
        graph.bind(prefix, namespace)


# -- rendering ----------------------------------------------------------------------------------


def compact(iri: str | None) -> str:
    if iri is None:
        return "-"
    for prefix, namespace in {"shapes": SHAPES, **PREFIXES}.items():
        if iri.startswith(str(namespace)):
            local = iri[len(str(namespace)) :]
            if local and all(c.isalnum() or c in "-_" for c in local):
                return f"{prefix}:{local}"
    return iri if iri.startswith('"') else f"<{iri}>"


def summary(report: ValidationReport, warnings: bool) -> str:
    graphs = len(report.documents)
    parts = ["reference data once and" if report.reference_validated else ""]
    parts.append(f"{graphs} document graph{'s' if graphs != 1 else ''} one by one")
    what = " ".join(p for p in parts if p)
    counts = f"{len(report.violations)} violation{'s' if len(report.violations) != 1 else ''}"
    if warnings:
        counts += f", {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}"
    verdict = "conforms" if report.conforms else "does not conform"
    checked = ""
    if report.shapes_seconds is not None:
        checked = f" (shapes checked with meta-SHACL first, {report.shapes_seconds:.2f} s)"
    return f"{verdict}: validated {what} in {report.seconds:.2f} s{checked}; {counts}"


def render(report: ValidationReport, fmt: str, warnings: bool = False) -> str:
    shown = report.results if warnings else report.violations
    if fmt == "json":
        return _json(report, shown, warnings)
    if fmt == "turtle":
        return _turtle(report, shown)
    return _text(report, shown, warnings)


def _text(report: ValidationReport, shown: list[ValidationResult], warnings: bool) -> str:
    lines: list[str] = []
    groups: dict[tuple[str, str], list[ValidationResult]] = {}
    for result in shown:
        groups.setdefault((result.severity, result.shape), []).append(result)
    for (severity, shape), items in groups.items():
        name = f" ({items[0].shape_name})" if items[0].shape_name else ""
        count = f"{len(items)} result{'s' if len(items) != 1 else ''}"
        lines.append(f"{severity}: {compact(shape)}{name}: {count}")
        for r in items:
            label = f' "{r.focus_label}"' if r.focus_label else ""
            where = r.source or compact(r.graph)
            if r.line is not None:
                where += f":{r.line}"
            lines.append(f"  {compact(r.focus)}{label}  [{where}]")
            lines.append(f"    path: {_compact_path(r.path)}   value: {_value_text(r.value)}")
            constraint = compact(r.constraint) if r.constraint else compact(r.component)
            lines.append(f"    {r.message}  ({constraint})")
        lines.append("")
    lines.append(summary(report, warnings))
    return "\n".join(lines) + "\n"


def _compact_path(path: str | None) -> str:
    if path is None:
        return "-"
    return " | ".join(compact(p.strip()) for p in path.split("|"))


def _value_text(value: str | None) -> str:
    if value is None:
        return "-"
    text = value if value.startswith('"') else compact(value)
    return text if len(text) <= 100 else text[:97] + "..."


def _json(report: ValidationReport, shown: list[ValidationResult], warnings: bool) -> str:
    body = {
        "conforms": report.conforms,
        "seconds": round(report.seconds, 3),
        "reference_validated": report.reference_validated,
        "documents": report.documents,
        "summary": summary(report, warnings),
        "results": [asdict(r) for r in shown],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _turtle(report: ValidationReport, shown: list[ValidationResult]) -> str:
    graph = report.results_graph
    if len(shown) != len(report.results):  # drop warnings the caller did not ask for
        graph = Graph()
        for prefix, namespace in report.results_graph.namespaces():
            graph.bind(prefix, namespace)
        for triple in report.results_graph:
            graph.add(triple)
        for node in list(graph.subjects(RDF.type, SH.ValidationResult)):
            if graph.value(node, SH.resultSeverity) != SH.Violation:
                graph.remove((node, None, None))
                graph.remove((None, SH.result, node))
    return graph.serialize(format="turtle")


def shapes_in(shapes: Graph) -> Iterable[URIRef]:
    """The named node shapes of a shapes graph."""
    return sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
