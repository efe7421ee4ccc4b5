"""What the commands call: validate a built store, or the graphs a build wrote, with either
engine: ``sparql`` (the shapes compiled to SPARQL and run on Oxigraph over all graphs at once,
pySHACL for any shape it cannot compile) or ``pyshacl`` (the reference, one document graph at
a time). Both give the same results: differential tests in ``tests/test_shapes.py`` (every
fixture), ``tests/test_validate.py`` (the seed, mutated) and ``tests/test_build_validate.py``
(generated corpora, as built and damaged) hold them to it."""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Identifier

from kg.rdf.namespaces import MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.rdf.terms import OxTerm, OxToRdflib, to_ox
from kg.store import GraphStore
from kg.store.embedded import EmbeddedStore
from kg.store.lazy_graph import StoreGraph
from kg.validate.compiler import CompiledShapes, Unsupported, compile_shapes
from kg.validate.data import (
    DOCUMENT_GRAPH_PREFIX,
    check_store,
    graph_triples,
    select_documents,
    validation_store,
)
from kg.validate.locations import locate, reference_locations
from kg.validate.mirror import GraphSet, Triples
from kg.validate.partition import targets_of_only
from kg.validate.pyshacl_engine import collect_graph_results, collect_results
from kg.validate.render import compact
from kg.validate.report import (
    ValidationReport,
    ValidationResult,
    finished,
)
from kg.validate.shapes import check_shapes, check_shapes_once, load_shapes
from kg.validate.sparql_engine import Scope, evaluate

ENGINES = ("sparql", "pyshacl")
DEFAULT_ENGINE = "sparql"

Results = tuple[list[ValidationResult], Graph]


def validate_store(
    store: GraphStore,
    shapes: Graph,
    documents: Sequence[str] | None = None,
    include_reference: bool = True,
    check: bool = True,
    shapes_dir: Path | None = None,
    jobs: int | None = None,
    engine: str = DEFAULT_ENGINE,
    progress: Callable[[int, int], None] | None = None,
    reference_dir: Path | None = None,
) -> ValidationReport:
    """Validate the reference graph once and each (selected) document graph.

    ``documents`` are document identifiers (``2026D32673``) or graph IRIs; None means all.
    ``check`` runs meta-SHACL on the shapes first; given ``shapes_dir`` (the folder the shapes
    were loaded from) only when those files have not passed it before. ``progress`` is told
    (document graphs done, document graphs selected). ``reference_dir``: the Turtle files the
    store's reference graph was built from, read again for the file and line of each result
    about curated data (only when they are what the store holds).
    """
    check_store(store)
    checked = time.perf_counter()
    ran = False
    if check and shapes_dir is not None:
        ran = check_shapes_once(shapes_dir, shapes)
    elif check:
        check_shapes(shapes)
        ran = True
    if engine == "pyshacl":
        import pyshacl  # noqa: F401  loaded before the clock: seconds are the validation itself

    started = time.perf_counter()
    shapes_seconds = started - checked if ran else None
    selected = select_documents(store, documents)
    if engine == "pyshacl":
        results, graph = _pyshacl_on_store(
            store, shapes, selected, include_reference, jobs, progress
        )
    else:
        results, graph = _sparql_on_store(store, shapes, selected, include_reference, jobs)
        if progress is not None:  # all graphs at once: done when the queries are
            progress(len(selected), len(selected))
    results, graph = finished(_located(results, reference_dir, store), graph)
    seconds = time.perf_counter() - started
    return ValidationReport(results, include_reference, selected, seconds, graph, shapes_seconds)


def _located(
    results: list[ValidationResult],
    reference_dir: Path | None,
    store: GraphStore | Callable[[], GraphStore],
) -> list[ValidationResult]:
    """The results with the file and line of those about reference data and minted entities
    (``kg.validate.locations``); the reference files are read, and ``store`` made when it is
    a function, only when a result needs them."""
    graphs = {r.graph for r in results}
    reference = None
    if reference_dir is not None and str(REFERENCE_GRAPH) in graphs:
        reference = reference_locations(reference_dir)
    claims = None
    if str(MINTED_GRAPH) in graphs:
        claims = store() if callable(store) else store
    return locate(results, reference, claims)


def _pyshacl_on_store(
    store: GraphStore,
    shapes: Graph,
    selected: Sequence[str],
    include_reference: bool,
    jobs: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    converter = OxToRdflib()  # one rdflib term per Oxigraph term, shared by every graph
    ontology = graph_triples(store, str(ONTOLOGY_GRAPH), converter)
    reference = graph_triples(store, str(REFERENCE_GRAPH), converter)
    minted = graph_triples(store, str(MINTED_GRAPH), converter)
    loaded = _loaded(store, selected, converter, progress)
    graphs = GraphSet(ontology, reference, loaded, minted)
    return collect_results(graphs, shapes, include_reference, jobs)


def _loaded(store: GraphStore, selected: Sequence[str], converter: OxToRdflib, progress):
    """Each selected document graph as it is needed (so memory follows one document, not the
    corpus), reporting how many have been handed on."""
    for done, name in enumerate(selected):
        if progress is not None:
            progress(done, len(selected))
        yield name, graph_triples(store, name, converter)
    if progress is not None:
        progress(len(selected), len(selected))


def _sparql_on_store(
    store: GraphStore,
    shapes: Graph,
    selected: Sequence[str],
    include_reference: bool,
    jobs: int | None,
) -> Results:
    compiled = _compiled(shapes)
    if compiled is None:
        return _pyshacl_on_store(store, shapes, selected, include_reference, jobs)
    reference = str(REFERENCE_GRAPH) if include_reference else None
    minted = str(MINTED_GRAPH) if include_reference else None
    scope = Scope(selected, reference, {}, minted)
    results, graph = evaluate(validation_store(store, selected), compiled, shapes, scope, jobs=jobs)
    if compiled.fallback:
        fallback = targets_of_only(shapes, set(compiled.fallback))
        more, more_graph = _pyshacl_on_store(store, fallback, selected, include_reference, jobs)
        results.extend(more)
        graph += more_graph
    return results, graph


def _compiled(shapes: Graph) -> CompiledShapes | None:
    """The compiled shapes, or None when pySHACL must run them all. Compiling costs about
    fifteen times what reading the graph's triples does, and a process often validates with
    the same shapes again (kg add after its build, kg serve, the tests): the compilation is
    kept per content of the shapes graph, so a changed graph is compiled anew."""
    return _compiled_for(_ShapesContent(frozenset(shapes), shapes))


@dataclass(frozen=True)
class _ShapesContent:
    triples: frozenset
    graph: Graph = field(compare=False, hash=False)


@functools.lru_cache(maxsize=8)
def _compiled_for(content: _ShapesContent) -> CompiledShapes | None:
    try:
        return compile_shapes(content.graph)
    except Unsupported:
        return None


def validate_named_graphs(
    graphs: GraphSet,
    shapes: Graph,
    engine: str = DEFAULT_ENGINE,
    jobs: int | None = None,
    reference_dir: Path | None = None,
    violations_only: bool = False,
) -> Results:
    """Graphs held in memory (what a build wrote), validated as ``validate_store`` validates a
    store: sorted results and the report graph. ``reference_dir``: the Turtle files of
    ``graphs.reference``, for the file and line of results about them. ``violations_only``:
    give only the violations a file and line (the others are returned unlocated), for a
    caller that reports nothing else: locating the warnings about minted entities took
    0.4-0.5 s of a kg add at 1M triples, growing with the corpus."""
    graphs = dataclasses.replace(graphs, documents=list(graphs.documents))  # read twice
    if engine == "pyshacl":
        results, graph = collect_results(graphs, shapes, True, jobs)
    else:
        results, graph = _sparql_in_memory(graphs, shapes, jobs)
    kept: list[ValidationResult] = []
    if violations_only:
        kept = [r for r in results if r.severity != "Violation"]
        results = [r for r in results if r.severity == "Violation"]
    located = _located(results, reference_dir, lambda: _claims_store(graphs))
    return finished(located + kept, graph)


def _claims_store(graphs: GraphSet) -> GraphStore:
    """A store holding the minted graph and the document graphs whose claims it was made
    from: the store a build wrote them to, else the graphs in memory."""
    if isinstance(graphs.minted, StoreGraph):
        return graphs.minted.source_store
    named = [(str(MINTED_GRAPH), graphs.minted), *graphs.documents]
    return memory_store(named)[0]


def _sparql_in_memory(graphs: GraphSet, shapes: Graph, jobs: int | None) -> Results:
    compiled = _compiled(shapes)
    if compiled is None:
        return collect_results(graphs, shapes, True, jobs)
    documents = list(graphs.documents)
    names = [name for name, _ in documents]
    scope = Scope(names, str(REFERENCE_GRAPH), {}, str(MINTED_GRAPH))
    written = _one_store(documents)
    if written is not None:  # graphs that kg build wrote: that store holds them all
        results, graph = evaluate(
            validation_store(written, names), compiled, shapes, scope, jobs=jobs
        )
    else:
        named = [
            (str(ONTOLOGY_GRAPH), graphs.ontology),
            (str(REFERENCE_GRAPH), graphs.reference),
            (str(MINTED_GRAPH), graphs.minted),
            *documents,
        ]
        store, originals = memory_store(named)
        results, graph = evaluate(store, compiled, shapes, scope, originals, jobs)
    if compiled.fallback:
        fallback = targets_of_only(shapes, set(compiled.fallback))
        more, more_graph = collect_results(
            dataclasses.replace(graphs, documents=documents), fallback, True, jobs
        )
        results.extend(more)
        graph += more_graph
    return results, graph


class OriginalTerms(OxToRdflib):
    """Oxigraph terms back to the rdflib terms they were made from (a plain literal stays
    plain rather than becoming an xsd:string one), others converted as usual."""

    def __init__(self, originals: dict[OxTerm | ox.Triple, Identifier]) -> None:
        super().__init__()
        self.originals = originals

    def term(self, term: OxTerm | ox.Triple) -> Identifier:
        found = self.originals.get(term)
        return found if found is not None else super().term(term)


def _one_store(documents: Sequence[tuple[str, Triples]]) -> GraphStore | None:
    """The store that every one of ``documents`` was read from, if there is one."""
    stores = {id(g.source_store): g.source_store for _, g in documents if isinstance(g, StoreGraph)}
    if len(stores) != 1 or not all(isinstance(g, StoreGraph) for _, g in documents):
        return None
    return next(iter(stores.values()))


def memory_store(named: Iterable[tuple[str, Triples]]) -> tuple[EmbeddedStore, OriginalTerms]:
    """An in-memory Oxigraph store holding ``named`` graphs (name, rdflib triples), and the
    converter back to the original terms."""
    store = ox.Store()
    cache: dict[Identifier, OxTerm] = {}  # terms repeat: convert each once

    def term(t):
        found = cache.get(t)
        if found is None:
            found = cache[t] = to_ox(t)
        return found

    for name, triples in named:
        graph = ox.NamedNode(name)
        store.bulk_extend(ox.Quad(term(s), term(p), term(o), graph) for s, p, o in triples)
    return EmbeddedStore(store), OriginalTerms({ox_term: term for term, ox_term in cache.items()})


# where validate_graph puts its graphs in an in-memory store
_DATA, _CONTEXT = "urn:kg:validate:data", "urn:kg:validate:context"


def validate_graph(
    data: Graph, shapes: Graph, context: Graph | None = None, engine: str = DEFAULT_ENGINE
) -> ValidationReport:
    """Validate one in-memory graph (fixtures, tests), with ``context`` (the ontology) beside
    it: results about the nodes of ``data`` only."""
    started = time.perf_counter()
    compiled = _compiled(shapes) if engine == "sparql" else None
    if compiled is None:
        results, graph = collect_graph_results(data, shapes, context)
    else:
        named: list[tuple[str, Triples]] = [
            (_DATA, data),
            (_CONTEXT, context if context is not None else []),
        ]
        store, originals = memory_store(named)
        scope = Scope([_DATA], None, {_DATA: ""})
        results, graph = evaluate(store, compiled, shapes, scope, originals)
        if compiled.fallback:
            fallback = targets_of_only(shapes, set(compiled.fallback))
            more, more_graph = collect_graph_results(data, fallback, context)
            results.extend(more)
            graph += more_graph
    results, graph = finished(results, graph)
    return ValidationReport(results, False, [], time.perf_counter() - started, graph)


def shacl_check(
    shapes_dir: Path,
    engine: str = DEFAULT_ENGINE,
    reference_dir: Path | None = None,
    reports: list[ValidationReport] | None = None,
) -> Callable[[Sequence[tuple[URIRef, Graph]]], list[str]]:
    """A build check (``kg.pipeline.build.Check``) that fails the build on any SHACL violation:
    what ``kg add`` and ``kg build`` run on the graphs they wrote before the new dataset
    replaces the store. The shapes get their meta-SHACL check first (once per shapes change).

    ``reference_dir``: the Turtle files of the reference data the build read, for the file and
    line of results about them. ``reports``: each run's report is appended to it, so that the
    command line can show the findings as ``kg validate`` does, in any of its formats."""

    def check(named: Sequence[tuple[URIRef, Graph]]) -> list[str]:
        shapes = load_shapes(shapes_dir)
        check_shapes_once(shapes_dir, shapes)
        graphs = {str(name): graph for name, graph in named}
        documents = [(n, g) for n, g in graphs.items() if n.startswith(DOCUMENT_GRAPH_PREFIX)]
        written = GraphSet(
            graphs[str(ONTOLOGY_GRAPH)],
            graphs[str(REFERENCE_GRAPH)],
            documents,
            graphs.get(str(MINTED_GRAPH), ()),
        )
        started = time.perf_counter()
        # without reports, only the violations are shown: only they need a file and line
        results, graph = validate_named_graphs(
            written, shapes, engine, reference_dir=reference_dir, violations_only=reports is None
        )
        if reports is not None:
            reports.append(
                ValidationReport(
                    results, True, [n for n, _ in documents], time.perf_counter() - started, graph
                )
            )
        return [
            f"{compact(r.focus)}"
            + (f" ({r.source}:{r.line})" if r.source and r.line else "")
            + f": {r.shape_name or compact(r.shape)}: {r.message}"
            for r in results
            if r.severity == "Violation"
        ]

    return check
