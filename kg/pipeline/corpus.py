"""Adding and removing source documents as a user would: ``kg add FILE...``, ``kg remove ID``.

Both are all or nothing. ``add`` parses each file first (so a bad file is named before anything
is copied), copies the files into ``data/sources/`` as ``{identifier}{suffix}``, rebuilds the
store with the checks, and on any error removes the copies again; ``kg build`` itself leaves
the previous store as it was when it fails. ``remove`` moves the file aside, rebuilds, and puts
it back if the build fails.

Checks (``kg.pipeline.build.Check``) run over the graphs a build wrote before the new store
version becomes current. The command line passes ``kg validate``'s SHACL shapes (which also
check that every evidence quote is the text at its offsets and every answer answers a question
of its document): a document whose graph violates a shape is not added.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from kg.errors import CheckFailed, SourceError, StoreError, printable
from kg.extract.bounded import extract_bounded
from kg.extract.candidates import Candidate, find_candidates
from kg.pipeline.build import BuildResult, Check, build
from kg.pipeline.convert_files import PARALLEL_THRESHOLD
from kg.pipeline.duplicates import Holders
from kg.pipeline.inputs import Inputs, load_inputs, pending_add, source_files
from kg.pipeline.manifest import Seen, code_digest, read_manifest, source_key
from kg.project import sources_dir
from kg.rdf.namespaces import document_graph
from kg.sources.document_id import inside, source_file_name
from kg.sources.identifiers import document_identifiers
from kg.sources.metadata import sidecar_of
from kg.sources.model import Document
from kg.sources.parsers import parse_file
from kg.store import EmbeddedStore


@dataclass
class Added:
    document: Document
    target: Path
    cited: int
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Rejected:
    """A document of a batch whose graph failed the checks: left out, the others added."""

    document: Document
    source: Path  # the file as the user named it
    findings: list[str]


@dataclass
class AddResult:
    added: list[Added]
    build: BuildResult
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class Incoming:
    """A file given to ``kg add``, read once: the file as given, its parsed document (converted
    as it is, never parsed again) and the name it is copied to in the sources."""

    path: Path
    document: Document
    target: Path


@dataclass
class Reading:
    """The files given to ``kg add``: those read and accepted, and those refused (a batch)."""

    accepted: list[Incoming] = field(default_factory=list)
    refused: list[tuple[Path, SourceError]] = field(default_factory=list)
    # Sources already there that had to be parsed for their identifiers (see
    # ``known_identifiers``), by source key: the build converts these readings.
    sources: dict[str, Document] = field(default_factory=dict)
    # The manifest and the sources' digests read for the identifiers: the build's plan uses them.
    seen: Seen | None = None


def read_sources(
    files: Iterable[Path],
    data_dir: Path,
    store_path: Path,
    shapes_dir: Path | None = None,
    batch: bool = False,
) -> Reading:
    """Parse each file once, before anything is copied, and refuse an unreadable one and one
    whose identifier is already there (``Holders``: in the sources, or given before it). The
    sources' identifiers come from the store's manifest (``known_identifiers``). Not a
    ``batch``: the first refusal is raised; a batch refuses the file and reads on."""
    seen = Seen()
    known, parsed = known_identifiers(data_dir, store_path, code_digest(shapes_dir), seen)
    holders = Holders(known)
    folder = sources_dir(data_dir)
    reading = Reading(sources=parsed, seen=seen)
    for path in files:
        try:
            if not path.is_file():
                raise SourceError(path, "no such file; expected a document to add")
            document = parse_file(path)
            target = copy_target(folder, document.identifier, path)
            holders.check(document.identifier, path, given=True, batch=batch)
            if os.path.lexists(target):  # a source of another identifier under that name
                raise SourceError(
                    path, f"cannot be copied: {printable(target)} already holds another document"
                )
            holders.claim(document.identifier, path, given=True, batch=batch)
        except SourceError as error:
            if not batch:
                raise
            reading.refused.append((path, error))
            continue
        reading.accepted.append(Incoming(path, document, target))
    return reading


def add_documents(
    files: Sequence[Path] | Reading,
    data_dir: Path,
    store_path: Path,
    ontology_dir: Path,
    checks: Sequence[Check] = (),
    shapes_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: bool = False,
) -> AddResult:
    """Copy ``files`` into the sources and rebuild with ``checks`` (see ``build``). ``files``:
    paths, or what ``read_sources`` read of them (each file is parsed once, there; its
    document is handed to the build). A ``batch`` adds every document whose graph passes the
    checks and reports the others as ``rejected``; otherwise any finding keeps all of them
    out."""
    reading = (
        files
        if isinstance(files, Reading)
        else read_sources([Path(f) for f in files], data_dir, store_path, shapes_dir)
    )
    inputs = load_inputs(data_dir, ontology_dir)
    planned = [
        (item.path, item.target, extract_bounded(item.document, inputs.index))
        for item in reading.accepted
    ]
    sources = {key: extract_bounded(d, inputs.index) for key, d in reading.sources.items()}
    names = [n for _, t, _ in planned for n in (t.name, sidecar_of(t).name)]

    def rebuild(planned: list[tuple[Path, Path, Document]]) -> BuildResult:
        return build(data_dir, store_path, ontology_dir, checks=[*checks, graphs_written(planned)],
                     shapes_dir=shapes_dir, progress=progress, inputs=inputs, adding=names,
                     parsed=_parsed(planned, sources), seen=reading.seen)  # fmt: skip

    rejected: list[Rejected] = []
    with pending_add(data_dir, names):  # until the build is in, a kill leaves a list behind
        copied = _copy_in(planned)
        try:
            try:
                result = rebuild(planned)
            except CheckFailed as failed:
                # One bad document of a batch never keeps the good ones out: leave out the
                # documents the findings name, and build the others.
                planned, rejected = _leave_out(planned, failed, batch)
                _remove(copied, [target for _, target, _ in planned])
                result = rebuild(planned)
        except BaseException:  # also Ctrl-C and SIGTERM (see kg.cli): no copy stays behind
            _remove(copied, [])
            raise
    added = [_added(document, target, inputs) for _, target, document in planned]
    return AddResult(added, result, rejected)


def _parsed(
    planned: Sequence[tuple[Path, Path, Document]], sources: dict[str, Document]
) -> dict[str, Document]:
    """The documents read already, by source key (those of the given files by their copies'):
    what the build converts instead of parsing the files again."""
    return {**sources, **{source_key(target): document for _, target, document in planned}}


def known_identifiers(
    data_dir: Path, store_path: Path, code: str, seen: Seen | None = None
) -> tuple[dict[str, Path], dict[str, Document]]:
    """The identifier of every source in ``data_dir``: from the store's build manifest for
    a file unchanged since a build by the same code (``code``: its digest), else by parsing
    it (a source changed since, or a store without a manifest, or one written by other code).
    Parsing every source took 21% of a ``kg add`` at 1M triples, and grew with the corpus.
    Two sources with one identifier are refused here (``Holders``), as a build refuses them.

    Also the documents parsed, by source key, for the build to convert (it converts exactly
    the sources the manifest cannot tell) when they are fewer than ``PARALLEL_THRESHOLD``;
    more are parsed again by the build's worker processes, in parallel, rather than held here
    and sent to them.

    ``seen`` is given the manifest read and the digests taken, for the build's plan."""
    seen = Seen() if seen is None else seen
    try:
        manifest = read_manifest(EmbeddedStore.open(store_path))
    except StoreError:  # no store yet
        manifest = None
    seen.manifest = manifest
    if manifest is None or manifest.digests is None or manifest.digests.code != code:
        known = {}
    else:
        known = {source_key(e.path): e for e in manifest.documents.values()}
    holders = Holders({})
    found: dict[str, Path] = {}
    parsed: dict[str, Document] = {}
    for path in source_files(data_dir):
        entry = known.get(source_key(path))
        if entry is not None and entry.sha256 == seen.digest(path):
            identifier = entry.identifier
        else:
            document = parsed[source_key(path)] = parse_file(path)
            identifier = document.identifier
        holders.claim(identifier, path)
        found[identifier] = path
    return found, parsed if len(parsed) < PARALLEL_THRESHOLD else {}


def _copy_in(planned: list[tuple[Path, Path, Document]]) -> list[Path]:
    """Copy each file (and its metadata.xml) into the sources; the copies made."""
    copied: list[Path] = []
    try:
        for path, target, _ in planned:
            copy_new(path, target, copied)
            if sidecar_of(path).is_file():  # its metadata.xml (kg add --id / --metadata)
                copy_new(sidecar_of(path), sidecar_of(target), copied)
    except BaseException:
        _remove(copied, [])
        raise
    return copied


def _remove(copied: list[Path], keep: list[Path]) -> None:
    """Take the copies back out of the sources, except the files in ``keep`` (and theirs)."""
    kept = {*keep, *(sidecar_of(k) for k in keep)}
    for target in copied:
        if target not in kept:
            target.unlink(missing_ok=True)


def _leave_out(
    planned: list[tuple[Path, Path, Document]], failed: CheckFailed, batch: bool
) -> tuple[list[tuple[Path, Path, Document]], list[Rejected]]:
    """The documents the findings do not name, and those they do (with their findings). A
    finding names a document by a resource of it (every node of a document graph is under the
    document's IRI). When nothing could be left out (one file, or a finding of no document of
    the batch), the build fails as it did."""
    named = {
        document.identifier: [f for f in failed.findings if _names(f, document.identifier)]
        for _, _, document in planned
    }
    kept = [item for item in planned if not named[item[2].identifier]]
    attributed = sum(len(found) for found in named.values())
    if not batch or not kept or attributed < len(failed.findings):
        raise failed
    rejected = [
        Rejected(document, path, named[document.identifier])
        for path, _, document in planned
        if named[document.identifier]
    ]
    return kept, rejected


def _names(finding: str, identifier: str) -> bool:
    return re.search(rf"document/{re.escape(identifier)}(?![\w.-])", finding) is not None


def copy_target(folder: Path, identifier: str, original: Path) -> Path:
    """Where the copy of ``original`` goes: ``folder/ID.ext``, a name made only from the
    checked identifier, and refused unless it resolves to a file directly in ``folder``."""
    name = source_file_name(identifier, original)
    try:
        inside(folder, name)
    except ValueError as err:
        raise SourceError(original, f"cannot be copied into {printable(folder)}: {err}") from None
    return folder / name


def copy_new(source: Path, target: Path, copied: list[Path]) -> None:
    """Copy ``source`` to ``target``, which must not exist, not even as a link (O_EXCL,
    O_NOFOLLOW): a link planted at the name cannot send the copy elsewhere."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags, 0o644)
    except FileExistsError:
        raise SourceError(target, "already exists; expected a new file in the sources") from None
    copied.append(target)
    with os.fdopen(descriptor, "wb") as out, open(source, "rb") as data:
        shutil.copyfileobj(data, out)


def graphs_written(planned: Sequence[tuple[Path, Path, Document]]) -> Check:
    """A check that every added document's graph is among those the build wrote: "Added" is
    reported only for what the new store holds. Only those graphs are looked at: the others
    are read from the store lazily (``kg.store.lazy_graph``), and counting every graph read the
    minted graph and the build graph (both growing with the corpus) into rdflib, 0.9 to 1.0 s
    of every kg add (cProfile, 25 and 200 sources)."""
    expected = [str(document_graph(document.identifier)) for *_, document in planned]

    def check(named: Sequence[tuple[URIRef, Graph]]) -> list[str]:
        written = {str(name) for name, graph in named if str(name) in expected and len(graph)}
        return [
            f"{name} was copied but not loaded by the build"
            for name in expected
            if name not in written
        ]

    return check


def _added(document: Document, target: Path, inputs: Inputs) -> Added:
    """What ``kg add`` reports of one document: where it went, how many documents it cites,
    and the names in it worth curating."""
    texts = [f.text for f in document.footnotes] + [
        s.text for s in document.questions + document.answers
    ]
    cited = {i.key for text in texts for i in document_identifiers(text)}
    return Added(
        document=document,
        target=target,
        cited=len(cited),
        candidates=find_candidates(document, inputs.index),
    )


def find_source(data_dir: Path, identifier: str) -> Path:
    """The source file holding the document with this identifier."""
    files = source_files(data_dir)
    for path in files:
        if path.stem == identifier:
            return path
    known: list[str] = []
    for path in files:
        try:
            found = parse_file(path).identifier
        except SourceError:
            continue  # kg build names it; here it only cannot be the one asked for
        if found == identifier:
            return path
        known.append(found)
    raise SourceError(
        sources_dir(data_dir),
        f"no document {identifier}; the documents are: {', '.join(sorted(known)) or 'none'}",
    )


def remove_document(
    identifier: str,
    data_dir: Path,
    store_path: Path,
    ontology_dir: Path,
    checks: Sequence[Check] = (),
    shapes_dir: Path | None = None,
) -> tuple[Path, BuildResult]:
    """Take the document ``identifier`` out of the sources and rebuild; the source file."""
    path = find_source(data_dir, identifier)
    with tempfile.TemporaryDirectory(prefix="kg-remove-") as aside:
        moved = [p for p in (path, sidecar_of(path)) if p.is_file()]
        for p in moved:
            shutil.move(p, Path(aside) / p.name)
        try:
            result = build(data_dir, store_path, ontology_dir, checks=checks, shapes_dir=shapes_dir)
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
        for document in (
            extract_bounded(parse_file(path), inputs.index) for path in source_files(data_dir)
        )
    ]
