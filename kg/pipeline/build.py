"""``kg build``: sources -> parsed documents -> RDF -> store, all or nothing."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.convert.stance import load_curated
from kg.errors import CheckFailed, SourceError, StoreError
from kg.extract.mentions import extract
from kg.extract.reference import LabelIndex, load_turtle_files, turtle_files
from kg.project import PROJECT_ROOT, reference_dir, sources_dir
from kg.rdf.namespaces import BUILD_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, document_graph
from kg.sources.model import Document
from kg.sources.parsers import parse_file
from kg.store.embedded import EmbeddedStore
from kg.store.versions import load_graphs, new_store

# Oxigraph's bulk loader writes sorted files per call: few large calls load fastest.
LOAD_BATCH_TRIPLES = 200_000


@dataclass(frozen=True)
class DocumentSummary:
    identifier: str
    path: str
    questions: int
    answers: int
    footnotes: int
    cross_references: int
    commitments: int
    mentions: int
    triples: int


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


# A check over the complete dataset before it is written: returns findings, empty when fine.
Check = Callable[[Sequence[tuple[URIRef, Graph]]], list[str]]


@dataclass(frozen=True)
class Inputs:
    ontology: Graph
    reference: Graph
    index: LabelIndex
    stances: dict[Path, Graph] = field(default_factory=dict)  # curated, per file


def load_inputs(data_dir: Path, ontology_dir: Path) -> Inputs:
    ontology = load_turtle_files(turtle_files(ontology_dir))
    reference = load_turtle_files(turtle_files(reference_dir(data_dir)))
    return Inputs(ontology, reference, LabelIndex.from_graph(reference), load_curated(data_dir))


def source_files(data_dir: Path) -> list[Path]:
    folder = sources_dir(data_dir)
    if not folder.is_dir():
        raise SourceError(folder, "no sources folder; expected data/sources/ with documents")
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.upper().startswith("README")
    )
    if not files:
        raise SourceError(folder, "no source documents found")
    return files


def parse_documents(files: list[Path], inputs: Inputs) -> list[Document]:
    documents: list[Document] = []
    seen: dict[str, Path] = {}
    for path in files:
        document = extract(parse_file(path), inputs.index)
        if document.identifier in seen:
            raise SourceError(
                path, f"document {document.identifier} is also in {seen[document.identifier]}"
            )
        seen[document.identifier] = path
        document.path = _relative(path)
        documents.append(document)
    return documents


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def build(
    data_dir: Path,
    store_path: Path | str,
    ontology_dir: Path,
    trig: Path | None = None,
    *,
    full: bool = False,
    jobs: int | None = None,
    remote_options: dict | None = None,
    checks: Sequence[Check] = (),
) -> BuildResult:
    """Build the dataset; reprocess only the documents that changed since the last build
    (``full`` forces everything). See ``kg.pipeline.incremental`` for how, and why it stays atomic.

    ``checks`` run on the graphs this build wrote (with the ontology and reference data) in
    the new store version, before it becomes current: a finding raises ``CheckFailed`` and the
    previous store stays as it was (what ``kg add`` relies on).
    """
    from kg.pipeline import incremental as inc
    from kg.store import is_remote

    started = datetime.now(UTC)
    inputs = load_inputs(data_dir, ontology_dir)
    files = source_files(data_dir)
    digests = inc.input_digests(data_dir, ontology_dir)
    remote = is_remote(store_path)
    manifest = None
    if not full:
        manifest = inc.current_manifest(store_path, **(remote_options or {}))
    plan = inc.plan(files, manifest, digests)
    if remote:
        if checks:
            raise StoreError(
                "checks before publishing need the embedded store; a remote store "
                "has no version to discard (validate it with kg validate instead)"
            )
        from kg.pipeline.remote import build_remote

        return build_remote(str(store_path), plan, inputs, digests, started, jobs, remote_options)
    store_path = Path(store_path)
    result = BuildResult(store_path, 0, full=plan.full)
    with new_store(store_path, from_current=not plan.full) as store:
        target = EmbeddedStore(store)
        for entry in plan.removed:
            target.drop_graph(str(document_graph(entry.identifier)))
        result.removed = [str(document_graph(e.identifier)) for e in plan.removed]
        entries = _load_changed(target, plan, inputs, jobs, result)
        named: list[tuple[URIRef, Graph]] = []
        if plan.full:
            named += [(ONTOLOGY_GRAPH, inputs.ontology), (REFERENCE_GRAPH, inputs.reference)]
        target.drop_graph(str(BUILD_GRAPH))
        provenance = inc.manifest_graph(entries, digests, started, datetime.now(UTC))
        named.append((BUILD_GRAPH, provenance))
        load_graphs(store, named)
        result.triples = (
            len(inputs.ontology)
            + len(inputs.reference)
            + len(provenance)
            + sum(e.triples for e in entries)
        )
        if checks:
            _run_checks(store, checks, inputs, result.changed, provenance)
        if trig is not None:
            _write_atomically(trig, lambda out: store.dump(out, ox.RdfFormat.TRIG))
    result.trig = trig
    return result


def _run_checks(
    store: ox.Store, checks: Sequence[Check], inputs: Inputs, changed: list[str], provenance: Graph
) -> None:
    from kg.validate import load_graph

    written = EmbeddedStore(store)
    named: list[tuple[URIRef, Graph]] = [
        (ONTOLOGY_GRAPH, inputs.ontology),
        (REFERENCE_GRAPH, inputs.reference),
        *((URIRef(name), load_graph(written, name)) for name in changed),
        (BUILD_GRAPH, provenance),
    ]
    findings = [finding for check in checks for finding in check(named)]
    if findings:
        raise CheckFailed(findings)


def _load_changed(target, plan, inputs: Inputs, jobs: int | None, result: BuildResult) -> list:
    """Convert and load the changed documents one by one; the manifest entries of all."""
    from kg.pipeline import incremental as inc

    seen = {e.identifier: e.path for e in plan.unchanged.values()}
    entries = list(plan.unchanged.values())
    batch: list[bytes] = []
    batched = 0
    for processed in inc.convert_all(plan.changed, inputs, jobs):
        inc.check_identifiers(processed, seen)
        name = str(document_graph(processed.entry.identifier))
        batch.append(inc.nquads(processed.ntriples, name))
        batched += processed.entry.triples
        if batched >= LOAD_BATCH_TRIPLES:
            target.bulk_load_nquads(b"".join(batch))
            batch, batched = [], 0
        entries.append(processed.entry)
        result.documents.append(processed.summary)
        result.changed.append(name)
    if batch:
        target.bulk_load_nquads(b"".join(batch))
    result.unchanged = len(plan.unchanged)
    return entries


def _summary(document: Document, triples: int) -> DocumentSummary:
    return DocumentSummary(
        identifier=document.identifier,
        path=document.path,
        questions=len(document.questions),
        answers=len(document.answers),
        footnotes=len(document.footnotes),
        cross_references=len(document.cross_references),
        commitments=len(document.commitments),
        mentions=len(document.mentions),
        triples=triples,
    )


def _write_atomically(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a dump is for everyone to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
