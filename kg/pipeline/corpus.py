"""Adding and removing source documents as a user would: ``kg add FILE...``, ``kg remove ID``.

Both are all or nothing. ``add`` parses each file first (so a bad file is named before anything
is copied), copies the files into ``data/sources/`` as ``{identifier}{suffix}``, rebuilds the
store with the checks, and on any error removes the copies again; ``kg build`` itself leaves
the previous store as it was when it fails. ``remove`` moves the file aside, rebuilds, and puts
it back if the build fails.

Checks (``kg.pipeline.build.Check``) run over the complete dataset before it is written. The default
ones here check what a build can check itself (every evidence quote is exactly the text at its
offsets; every document has questions and every answer answers one), then the SHACL shapes of
``kg validate``: a document whose graph violates a shape is not added.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg import project as paths
from kg.errors import SourceError
from kg.extract.candidates import Candidate, find_candidates
from kg.extract.mentions import extract
from kg.pipeline.build import BuildResult, Check, build, load_inputs, source_files
from kg.project import sources_dir
from kg.rdf.namespaces import AIP, OA, document_graph
from kg.sources.identifiers import document_identifiers
from kg.sources.metadata import sidecar_of
from kg.sources.model import Document
from kg.sources.parsers import parse_file
from kg.validate.shacl import shacl_check


def check_evidence_quotes(named: Sequence[tuple[URIRef, Graph]]) -> list[str]:
    """Every oa:TextQuoteSelector's exact text is the document text at its positions."""
    findings = []
    for name, graph in named:
        if not str(name).startswith(str(document_graph(""))):
            continue
        texts = {s: str(o) for s, o in graph.subject_objects(RDF.value)}
        for target in graph.subjects(RDF.type, OA.SpecificResource):
            source = graph.value(target, OA.hasSource)
            text = texts.get(source)
            position = quote = None
            for selector in graph.objects(target, OA.hasSelector):
                kind = graph.value(selector, RDF.type)
                position = selector if kind == OA.TextPositionSelector else position
                quote = selector if kind == OA.TextQuoteSelector else quote
            if text is None or position is None or quote is None:
                findings.append(f"{target}: evidence without text, position or quote")
                continue
            start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
            if text[start:end] != str(graph.value(quote, OA.exact)):
                findings.append(f"{target}: quote differs from the text at {start}-{end}")
    return findings


def check_questions_answered(named: Sequence[tuple[URIRef, Graph]]) -> list[str]:
    """Every document has questions; every answer answers a question of the same graph."""
    findings = []
    for name, graph in named:
        if not str(name).startswith(str(document_graph(""))):
            continue
        questions = set(graph.subjects(RDF.type, AIP.Question))
        if not questions:
            findings.append(f"{name}: no questions")
        for answer in graph.subjects(RDF.type, AIP.Answer):
            targets = set(graph.objects(answer, AIP.answers))
            if not targets or not targets <= questions:
                findings.append(f"{answer}: answers no question of its document")
    return findings


DEFAULT_CHECKS: tuple[Check, ...] = (
    check_evidence_quotes,
    check_questions_answered,
    shacl_check(paths.SHAPES_DIR),  # kg validate's shapes: no violation may enter the store
)


@dataclass
class Added:
    document: Document
    target: Path
    cited: int
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class AddResult:
    added: list[Added]
    build: BuildResult


def add_documents(
    files: Sequence[Path],
    data_dir: Path,
    store_path: Path,
    ontology_dir: Path,
    checks: Sequence[Check] = DEFAULT_CHECKS,
) -> AddResult:
    inputs = load_inputs(data_dir, ontology_dir)
    folder = sources_dir(data_dir)
    existing = {parse_file(p).identifier: p for p in source_files(data_dir)}
    planned: list[tuple[Path, Path, Document]] = []
    for path in files:
        path = Path(path)
        if not path.is_file():
            raise SourceError(path, "no such file; expected a document to add")
        document = extract(parse_file(path), inputs.index)
        target = folder / f"{document.identifier}{''.join(path.suffixes[-1:])}"
        if document.identifier in existing:
            target = existing[document.identifier]
        if target.exists() or any(d.identifier == document.identifier for _, _, d in planned):
            raise SourceError(
                path,
                f"document {document.identifier} is already in {target}; "
                f"remove it first with 'kg remove {document.identifier}'",
            )
        planned.append((path, target, document))
    copied: list[Path] = []
    try:
        for path, target, _ in planned:
            shutil.copyfile(path, target)
            copied.append(target)
            if sidecar_of(path).is_file():  # its metadata.xml (kg add --id / --metadata)
                shutil.copyfile(sidecar_of(path), sidecar_of(target))
                copied.append(sidecar_of(target))
        result = build(data_dir, store_path, ontology_dir, checks=checks)
    except BaseException:
        for target in copied:
            target.unlink(missing_ok=True)
        raise
    added = [
        Added(
            document=document,
            target=target,
            cited=len(
                {
                    i.key
                    for text in [f.text for f in document.footnotes]
                    + [s.text for s in document.questions + document.answers]
                    for i in document_identifiers(text)
                }
            ),
            candidates=find_candidates(document, inputs.index),
        )
        for _, target, document in planned
    ]
    return AddResult(added, result)


def find_source(data_dir: Path, identifier: str) -> Path:
    """The source file holding the document with this identifier."""
    for path in source_files(data_dir):
        if path.stem == identifier:
            return path
    for path in source_files(data_dir):
        try:
            if parse_file(path).identifier == identifier:
                return path
        except SourceError:
            continue
    raise SourceError(sources_dir(data_dir), f"no document {identifier}; see 'kg build' output")


def remove_document(
    identifier: str,
    data_dir: Path,
    store_path: Path,
    ontology_dir: Path,
    checks: Sequence[Check] = DEFAULT_CHECKS,
) -> tuple[Path, BuildResult]:
    path = find_source(data_dir, identifier)
    with tempfile.TemporaryDirectory(prefix="kg-remove-") as aside:
        moved = [p for p in (path, sidecar_of(path)) if p.is_file()]
        for p in moved:
            shutil.move(p, Path(aside) / p.name)
        try:
            result = build(data_dir, store_path, ontology_dir, checks=checks)
        except BaseException:
            for p in moved:
                shutil.move(Path(aside) / p.name, p)
            raise
    return path, result


def candidates_in(data_dir: Path, ontology_dir: Path) -> list[tuple[str, list[Candidate]]]:
    """Uncurated names per source document, for ``kg candidates``."""
    inputs = load_inputs(data_dir, ontology_dir)
    return [
        (document.identifier, find_candidates(document, inputs.index))
        for document in (extract(parse_file(path), inputs.index) for path in source_files(data_dir))
    ]
