"""What a build reads: the ontology, the reference data, the curated stances and the sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import SourceError
from kg.extract.mentions import extract
from kg.extract.reference import LabelIndex, load_turtle_files, turtle_files
from kg.extract.stance import load_curated
from kg.project import published_path, reference_dir, sources_dir
from kg.sources.metadata import is_sidecar
from kg.sources.model import Document
from kg.sources.parsers import parse_file


@dataclass(frozen=True)
class Inputs:
    ontology: Graph
    reference: Graph
    index: LabelIndex
    stances: dict[Path, Graph] = field(default_factory=dict)  # curated, per file


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
        if p.is_file()
        and not p.name.startswith(".")
        and not p.name.upper().startswith("README")
        and not is_sidecar(p)  # a source's metadata.xml is read with it, not as a source
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
        document.path = relative_path(path)
        documents.append(document)
    return documents


def relative_path(path: Path) -> str:
    """The path a source is published and recorded under: relative to the project folder."""
    return published_path(path)


def summary(document: Document, triples: int) -> DocumentSummary:
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
