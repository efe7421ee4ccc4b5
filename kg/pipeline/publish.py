"""Writing a build into a store: one loop for the embedded and the remote store.

Order: the graphs of removed and changed documents are dropped (on a full build every graph
of ours), the changed documents written graph by graph, the ontology and reference data on a
full build, the minted graph (rebuilt from the claims of every document graph in the store on
a full build; on an incremental one, the descriptions of the entities whose claims changed are
made again from all their claims, ``kg.pipeline.minted_update``: the same graph as a full
build), and the build graph (the manifest) last. The embedded store gets this in a new
version that becomes current only when the build succeeds. A remote store has no version swap:
if a build fails half-way, the manifest still describes the old state of the graphs not yet
rewritten, so the next build redoes exactly those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kg.convert.minted import CLAIMS_QUERY, SOURCE_DOCUMENTS_QUERY, Claim, minted_graph
from kg.pipeline.convert_files import Processed, ntriples
from kg.pipeline.inputs import DocumentSummary, Inputs
from kg.pipeline.manifest import Digests, Entry, Plan, manifest_graph
from kg.pipeline.minted_update import MintedUpdate
from kg.rdf.namespaces import (
    BUILD_GRAPH,
    GRAPH,
    MINTED_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    document_graph,
)
from kg.rdf.terms import OxToRdflib
from kg.store import GraphStore


@dataclass
class BuildResult:
    store: Path | str
    triples: int
    documents: list[DocumentSummary] = field(default_factory=list)  # those (re)processed
    trig: Path | None = None
    full: bool = True  # False: an incremental build that kept the unchanged graphs
    changed: list[str] = field(default_factory=list)  # graphs (re)written
    removed: list[str] = field(default_factory=list)  # graphs dropped
    unchanged: int = 0  # document graphs kept as they were


def publish(
    store: GraphStore,
    plan: Plan,
    inputs: Inputs,
    documents: Iterable[Processed],
    digests: Digests,
    started: datetime,
    where: Path | str,
) -> BuildResult:
    """Write the plan's changes into ``store`` (reported as ``where``); ``documents`` are the
    changed documents, converted."""
    result = BuildResult(where, 0, full=plan.full, unchanged=len(plan.unchanged))
    ours = str(GRAPH)
    stale = (
        [name for name in store.named_graphs() if name.startswith(ours)]
        if plan.full
        else [str(document_graph(e.identifier)) for e in plan.removed]
    )
    update = None if plan.full else MintedUpdate.before(store, stale)
    for name in stale:
        store.drop_graph(name)
    result.removed = stale
    entries = list(plan.unchanged.values())
    store.replace_graphs(_recorded(documents, entries, result))
    if plan.full:
        store.replace_graph(str(ONTOLOGY_GRAPH), ntriples(inputs.ontology))
        store.replace_graph(str(REFERENCE_GRAPH), ntriples(inputs.reference))
    minted = None if update is None else update.apply(store, inputs, result.changed)
    if minted is None:
        minted = write_minted(store, inputs)
    provenance = manifest_graph(entries, digests, started, datetime.now(UTC))
    store.replace_graph(str(BUILD_GRAPH), ntriples(provenance))
    result.triples = (
        len(inputs.ontology)
        + len(inputs.reference)
        + len(provenance)
        + minted
        + sum(e.triples for e in entries)
    )
    return result


def _recorded(
    documents: Iterable[Processed], entries: list[Entry], result: BuildResult
) -> Iterator[tuple[str, bytes]]:
    """Each document's graph name and N-Triples, noting it in the manifest and the result."""
    for processed in documents:
        name = str(document_graph(processed.entry.identifier))
        yield name, processed.ntriples
        entries.append(processed.entry)
        result.documents.append(processed.summary)
        result.changed.append(name)


def write_minted(store: GraphStore, inputs: Inputs) -> int:
    """Rebuild the minted graph from the claims of every document graph in ``store`` (those
    this build wrote and those it kept); returns its size."""
    term = OxToRdflib().term
    claims = [
        Claim(
            *(term(row[name]) for name in ("claim", "document", "subject", "predicate", "object"))
        )
        for row in store.query(CLAIMS_QUERY)
    ]
    sources = [term(row["document"]) for row in store.query(SOURCE_DOCUMENTS_QUERY)]
    graph = minted_graph(claims, inputs.reference, sources)
    store.replace_graph(str(MINTED_GRAPH), ntriples(graph))
    return len(graph)
