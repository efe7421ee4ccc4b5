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

from kg import __version__
from kg.errors import CheckFailed, SourceError
from kg.extract import extract
from kg.model import Document
from kg.namespaces import BUILD_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, document_graph
from kg.parsers import parse_file
from kg.paths import PROJECT_ROOT, reference_dir, sources_dir
from kg.rdf import build_provenance, document_to_graph
from kg.reference import LabelIndex, load_turtle_files, turtle_files
from kg.stance import load_curated, stance_graph
from kg.store import load_graphs, new_store


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
    store: Path
    triples: int
    documents: list[DocumentSummary] = field(default_factory=list)
    trig: Path | None = None


# A check over the complete dataset before it is written: returns findings, empty when fine.
Check = Callable[[Sequence[tuple[URIRef, Graph]]], list[str]]


@dataclass(frozen=True)
class Inputs:
    ontology: Graph
    reference: Graph
    index: LabelIndex


def load_inputs(data_dir: Path, ontology_dir: Path) -> Inputs:
    ontology = load_turtle_files(turtle_files(ontology_dir))
    reference = load_turtle_files(turtle_files(reference_dir(data_dir)))
    return Inputs(ontology, reference, LabelIndex.from_graph(reference))


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
    store_path: Path,
    ontology_dir: Path,
    trig: Path | None = None,
    checks: Sequence[Check] = (),
) -> BuildResult:
    started = datetime.now(UTC)
    inputs = load_inputs(data_dir, ontology_dir)
    documents = parse_documents(source_files(data_dir), inputs)
    curated_stances = load_curated(data_dir)
    # Everything is parsed and converted before the store is touched: bad input fails here.
    named: list[tuple[URIRef, Graph]] = [
        (ONTOLOGY_GRAPH, inputs.ontology),
        (REFERENCE_GRAPH, inputs.reference),
    ]
    summaries = []
    made: dict[URIRef, tuple[Document, int]] = {}
    for document in documents:
        graph = document_to_graph(document, inputs.index, inputs.reference)
        graph += stance_graph(
            document, inputs.index, inputs.reference, inputs.ontology, curated_stances
        )
        name = document_graph(document.identifier)
        named.append((name, graph))
        made[name] = (document, len(graph))
        summaries.append(_summary(document, len(graph)))
    provenance = build_provenance(made, __version__, _git_commit(), started, datetime.now(UTC))
    named.append((BUILD_GRAPH, provenance))
    findings = [finding for check in checks for finding in check(named)]
    if findings:
        raise CheckFailed(findings)
    with new_store(store_path) as store:
        triples = load_graphs(store, named)
        if trig is not None:
            _write_atomically(trig, lambda out: store.dump(out, ox.RdfFormat.TRIG))
    return BuildResult(Path(store_path), triples, summaries, trig)


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
