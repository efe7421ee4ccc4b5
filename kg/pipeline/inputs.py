"""What a build reads: the ontology, the reference data, the curated stances and the sources."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import SourceError, printable
from kg.extract.bounded import extract_bounded
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
        document = extract_bounded(parse_file(path), inputs.index)
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


# Names of the copies a ``kg add`` has put into data/sources and not yet seen built. A hidden
# file, so it is never read as a source; removed when the add ends, however it ends, short of
# SIGKILL or a power cut: then it names what is left.
PENDING_ADD = ".kg-add-pending"


def pending_adds(data_dir: Path) -> list[str]:
    """The source names an unfinished ``kg add`` left in data/sources."""
    journal = sources_dir(data_dir) / PENDING_ADD
    try:
        names = journal.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [name for name in names if name]


def refuse_interrupted_add(data_dir: Path, adding: Collection[str] = ()) -> None:
    """A build must not silently take in what an interrupted ``kg add`` copied: refuse, naming
    the files and both ways out. ``adding``: names the running ``kg add`` is adding itself."""
    left = [name for name in pending_adds(data_dir) if name not in adding]
    if not left:
        return
    folder = sources_dir(data_dir)
    present = [name for name in left if (folder / name).exists()]
    if not present:  # the copies are gone already: nothing to build by mistake
        (folder / PENDING_ADD).unlink(missing_ok=True)
        return
    listed = ", ".join(printable(name) for name in present)
    raise SourceError(
        folder / PENDING_ADD,
        f"{listed} in {printable(folder)} was copied by a 'kg add' that did not finish; to "
        f"discard it, delete it and this list; to build it, delete only this list",
    )


@contextmanager
def pending_add(data_dir: Path, names: Sequence[str]) -> Iterator[None]:
    """While the block runs, ``names`` are listed as being added; the list is removed when the
    block ends (the caller removes the copies on failure)."""
    journal = sources_dir(data_dir) / PENDING_ADD
    refuse_interrupted_add(data_dir)
    journal.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    try:
        yield
    finally:
        journal.unlink(missing_ok=True)
