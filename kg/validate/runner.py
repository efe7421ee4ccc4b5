"""What the commands call: validate a built store, or the graphs a build wrote."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from kg.rdf.namespaces import MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.rdf.terms import OxToRdflib
from kg.store import GraphStore
from kg.validate.data import DOCUMENT_GRAPH_PREFIX, check_store, graph_triples, select_documents
from kg.validate.pyshacl_engine import validate_graphs
from kg.validate.render import compact
from kg.validate.report import ValidationReport
from kg.validate.shapes import check_shapes, check_shapes_once, load_shapes


def validate_store(
    store: GraphStore,
    shapes: Graph,
    documents: Sequence[str] | None = None,
    include_reference: bool = True,
    check: bool = True,
    shapes_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate the reference graph once and each (selected) document graph on its own.

    ``documents`` are document identifiers (``2026D32673``) or graph IRIs; None means all.
    ``check`` runs meta-SHACL on the shapes first; given ``shapes_dir`` (the folder the shapes
    were loaded from) only when those files have not passed it before. ``progress`` is told
    (document graphs loaded, document graphs selected) as they are handed to the validator.
    """
    check_store(store)
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
    converter = OxToRdflib()  # one rdflib term per Oxigraph term, shared by every graph
    ontology = graph_triples(store, str(ONTOLOGY_GRAPH), converter)
    reference = graph_triples(store, str(REFERENCE_GRAPH), converter)
    minted = graph_triples(store, str(MINTED_GRAPH), converter)
    selected = select_documents(store, documents)
    # Document graphs are loaded one at a time, so memory follows one document, not the corpus.
    loaded = _loaded(store, selected, converter, progress)
    results, report_graph = validate_graphs(
        ontology, reference, loaded, shapes, include_reference, jobs, minted
    )
    seconds = time.perf_counter() - started
    return ValidationReport(
        results, include_reference, selected, seconds, report_graph, shapes_seconds
    )


def _loaded(store: GraphStore, selected: Sequence[str], converter: OxToRdflib, progress):
    """Each selected document graph as it is needed, reporting how many have been handed on."""
    for done, name in enumerate(selected):
        if progress is not None:
            progress(done, len(selected))
        yield name, graph_triples(store, name, converter)
    if progress is not None:
        progress(len(selected), len(selected))


def shacl_check(shapes_dir: Path) -> Callable[[Sequence[tuple[URIRef, Graph]]], list[str]]:
    """A build check (``kg.pipeline.build.Check``) that fails the build on any SHACL violation:
    what ``kg add`` and ``kg build`` run on the graphs they wrote before the new dataset
    replaces the store. The shapes get their meta-SHACL check first (once per shapes change)."""

    def check(named: Sequence[tuple[URIRef, Graph]]) -> list[str]:
        shapes = load_shapes(shapes_dir)
        check_shapes_once(shapes_dir, shapes)
        graphs = {str(name): graph for name, graph in named}
        documents = [(n, g) for n, g in graphs.items() if n.startswith(DOCUMENT_GRAPH_PREFIX)]
        results, _ = validate_graphs(
            graphs[str(ONTOLOGY_GRAPH)],
            graphs[str(REFERENCE_GRAPH)],
            documents,
            shapes,
            minted=graphs.get(str(MINTED_GRAPH), ()),
        )
        return [
            f"{compact(r.focus)}"
            + (f" ({r.source}:{r.line})" if r.source and r.line else "")
            + f": {r.shape_name or compact(r.shape)}: {r.message}"
            for r in results
            if r.severity == "Violation"
        ]

    return check
