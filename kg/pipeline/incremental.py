"""Streaming, parallel and incremental builds: only changed documents are reprocessed.

Design (measured on the 2-core benchmark machine, see benchmarks/REPORT.md):

- **Manifest in the store.** The build graph (PROV-O, ``kg.convert.document.build_provenance``) already
  records, per document graph, the source file, the SHA-256 of its normalised text and its size.
  It also records digests of the ontology, the reference data and the ``kg`` code
  (``aip:sha256`` of the sources the ontology and reference graphs were derived from, and
  ``schema:identifier`` of the software agent). Keeping the manifest in the dataset means a
  remote store needs no file beside it, and the manifest can never disagree with the data.
- **What is rebuilt.** A document is reprocessed when its text's SHA-256 changed or it is new;
  the graph of a removed file is dropped. A change to the ontology, the reference data or the
  code forces a full build, because linking and conversion depend on them.
- **Embedded store: a checkpoint, then the delta.** Copying every unchanged graph into a new
  database costs seconds per million triples; a RocksDB checkpoint (pyoxigraph
  ``Store.backup``) of the current version costs milliseconds (hard links to immutable files).
  The new version is that checkpoint with the changed and removed graphs dropped, the changed
  ones loaded and a new build graph, and it becomes current with the same atomic link swap as a
  full build (``kg.store.versions.new_store``): a failed build leaves the previous store intact.
- **Remote store: graph by graph, manifest last.** A SPARQL server has no version swap. Each
  changed graph is replaced on its own (SPARQL Update ``DROP`` + ``INSERT DATA``, or a Graph
  Store ``PUT``), then the build graph. If a build fails half-way, the manifest still describes
  the old state of the graphs not yet rewritten, so the next build redoes exactly those.
- **Streaming and parallel.** Documents are parsed, linked and converted in worker processes
  (one per core) and loaded one by one as N-Triples; the build never holds more than a few
  documents in memory, which keeps peak RSS flat as the corpus grows.
- **Validation of what changed.** ``BuildResult.changed`` and ``.removed`` name the graphs a
  build touched, so validation can look only at those (``kg validate`` when it is present).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg import __version__
from kg.errors import SourceError, StoreError
from kg.rdf.namespaces import (
    AIP,
    BUILD_GRAPH,
    ONTOLOGY_GRAPH,
    PROV,
    REFERENCE_GRAPH,
    SCHEMA,
    XSD,
    document_graph,
)

# Workers are only worth their start-up for more than a handful of documents.
PARALLEL_THRESHOLD = 16


@dataclass(frozen=True)
class Entry:
    """One document graph as the manifest records it."""

    path: str
    identifier: str
    sha256: str
    triples: int


@dataclass(frozen=True)
class Digests:
    ontology: str
    reference: str
    code: str


@dataclass
class Manifest:
    digests: Digests | None
    documents: dict[str, Entry] = field(default_factory=dict)  # by source path


@dataclass(frozen=True)
class Processed:
    """A converted document, as the worker hands it back: summary and N-Triples."""

    entry: Entry
    summary: object
    ntriples: bytes


# -- digests and the manifest ---------------------------------------------------------------


def _digest_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """SHA-256 over the files' names (relative to ``root``, else their base names) and bytes."""
    h = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(root).as_posix() if root else path.name
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def input_digests(data_dir: Path, ontology_dir: Path) -> Digests:
    from kg.project import reference_dir

    # Every module of the package: any of them can change what a document graph holds.
    package = Path(__file__).resolve().parent.parent
    code = sorted(package.rglob("*.py"))
    return Digests(
        ontology=_digest_files(ontology_dir.glob("*.ttl")),
        # Curated stances (reference/stances/) count as reference data: a change rebuilds all.
        reference=_digest_files(reference_dir(data_dir).glob("**/*.ttl")),
        code=_digest_files(code, package),
    )


MANIFEST_QUERY = f"""
PREFIX prov: <{PROV}>
PREFIX aip: <{AIP}>
PREFIX schema: <{SCHEMA}>
SELECT ?graph ?file ?sha ?size WHERE {{
  GRAPH <{BUILD_GRAPH}> {{
    ?graph prov:wasDerivedFrom ?source ; schema:size ?size .
    ?source aip:sourceFile ?file ; aip:sha256 ?sha .
  }}
}}"""
DIGESTS_QUERY = f"""
PREFIX prov: <{PROV}>
PREFIX aip: <{AIP}>
PREFIX schema: <{SCHEMA}>
SELECT ?ontology ?reference ?code WHERE {{
  GRAPH <{BUILD_GRAPH}> {{
    <{ONTOLOGY_GRAPH}> prov:wasDerivedFrom/aip:sha256 ?ontology .
    <{REFERENCE_GRAPH}> prov:wasDerivedFrom/aip:sha256 ?reference .
    ?activity prov:wasAssociatedWith/schema:identifier ?code .
  }}
}}"""
DOCUMENT_GRAPH_PREFIX = str(document_graph(""))


def read_manifest(store) -> Manifest:
    """The manifest of the store's current build (no digests if it has none)."""
    digests = None
    for row in store.query(DIGESTS_QUERY):
        digests = Digests(row["ontology"].value, row["reference"].value, row["code"].value)
    manifest = Manifest(digests)
    for row in store.query(MANIFEST_QUERY):
        graph = row["graph"].value
        if not graph.startswith(DOCUMENT_GRAPH_PREFIX):
            continue
        entry = Entry(
            path=row["file"].value,
            identifier=graph[len(DOCUMENT_GRAPH_PREFIX) :],
            sha256=row["sha"].value.lower(),
            triples=int(row["size"].value),
        )
        manifest.documents[entry.path] = entry
    return manifest


def manifest_graph(
    entries: Iterable[Entry], digests: Digests, started: datetime, ended: datetime
) -> Graph:
    """The build graph: ``kg.convert.document.build_provenance`` plus the input digests."""
    from kg.convert.document import build_provenance
    from kg.pipeline.build import _git_commit

    graphs = {document_graph(e.identifier): (_AsDocument(e), e.triples) for e in entries}
    g = build_provenance(graphs, __version__, _git_commit(), started, ended)
    for agent in g.subjects(SCHEMA.softwareVersion, None):
        g.add((agent, SCHEMA.identifier, Literal(digests.code)))
    for graph_name, digest, label in (
        (ONTOLOGY_GRAPH, digests.ontology, "ontology/*.ttl"),
        (REFERENCE_GRAPH, digests.reference, "data/reference/*.ttl"),
    ):
        source = BNode()
        g.add((graph_name, PROV.wasDerivedFrom, source))
        g.add((source, AIP.sourceFile, Literal(label)))
        g.add((source, AIP.sha256, Literal(digest, datatype=XSD.hexBinary)))
    return g


@dataclass(frozen=True)
class _AsDocument:
    """What ``build_provenance`` reads of a document, for one known only from the manifest."""

    entry: Entry

    @property
    def path(self) -> str:
        return self.entry.path

    @property
    def sha256(self) -> str:
        return self.entry.sha256

    @property
    def identifier(self) -> str:
        return self.entry.identifier


# -- converting documents -------------------------------------------------------------------


class TripleSet(set):
    """The part of rdflib's ``Graph`` that ``DocumentGraphBuilder`` writes to, as a plain set:
    conversion spends most of its time in rdflib's indexed memory store otherwise."""

    def add(self, triple) -> None:  # type: ignore[override]
        super().add(triple)

    def bind(self, *_args, **_kwargs) -> None:
        pass


def ntriples(triples: Iterable[tuple]) -> bytes:
    from kg.store.versions import to_ox

    iris: dict[URIRef, ox.NamedNode] = {}  # IRIs repeat a lot; convert each once

    def term(t):
        if type(t) is URIRef:
            found = iris.get(t)
            if found is None:
                found = iris[t] = ox.NamedNode(str(t))
            return found
        return to_ox(t)

    return ox.serialize(
        (ox.Triple(term(s), term(p), term(o)) for s, p, o in triples),
        format=ox.RdfFormat.N_TRIPLES,
    )


def nquads(ntriples_data: bytes, graph: str) -> bytes:
    """N-Triples as N-Quads in ``graph``: a raw newline only ends a line in N-Triples
    (newlines in literals are escaped), so every line ending ' .' gets the graph name."""
    return ntriples_data.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode())


def convert(path: Path, inputs) -> Processed:
    from kg.convert.document import DocumentGraphBuilder
    from kg.convert.stance import stance_graph
    from kg.extract.mentions import extract
    from kg.pipeline.build import _relative, _summary
    from kg.sources.parsers import parse_file

    document = extract(parse_file(path), inputs.index)
    document.path = _relative(path)
    builder = DocumentGraphBuilder(document, inputs.index, inputs.reference)
    builder.g = TripleSet()
    triples = builder.build()
    triples.update(
        stance_graph(document, inputs.index, inputs.reference, inputs.ontology, inputs.stances)
    )
    entry = Entry(document.path, document.identifier, document.sha256, len(triples))
    return Processed(entry, _summary(document, len(triples)), ntriples(triples))


_WORKER_INPUTS = None  # set in each worker process by _init_worker, never in the parent


def _init_worker(inputs) -> None:
    global _WORKER_INPUTS
    _WORKER_INPUTS = inputs


def _convert_in_worker(path: Path):
    try:
        return convert(path, _WORKER_INPUTS)
    except SourceError as err:  # its constructor takes other arguments than it pickles
        return ("error", str(err.path), err.detail, err.line)


def convert_all(paths: list[Path], inputs, jobs: int | None) -> Iterator[Processed]:
    """Convert documents in order, in worker processes when there are many."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            yield convert(path, inputs)
        return
    import multiprocessing
    from collections import deque

    context = multiprocessing.get_context("fork")
    window = jobs * 4  # documents in flight: bounds memory when loading is the slower side
    with context.Pool(jobs, initializer=_init_worker, initargs=(inputs,)) as pool:
        pending: deque = deque()
        queued = iter(paths)
        for path in queued:
            pending.append(pool.apply_async(_convert_in_worker, (path,)))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().get()
            next_path = next(queued, None)
            if next_path is not None:
                pending.append(pool.apply_async(_convert_in_worker, (next_path,)))
            if isinstance(result, tuple):
                _, where, detail, line = result
                raise SourceError(Path(where), detail, line)
            yield result


# -- the build ------------------------------------------------------------------------------


@dataclass
class Plan:
    full: bool
    unchanged: dict[str, Entry]
    changed: list[Path]
    removed: list[Entry]


def plan(files: list[Path], manifest: Manifest | None, digests: Digests) -> Plan:
    from kg.pipeline.build import _relative
    from kg.sources.text import read_source, sha256_text

    if manifest is None or manifest.digests != digests:
        return Plan(True, {}, files, [])
    unchanged: dict[str, Entry] = {}
    changed: list[Path] = []
    for path in files:
        key = _relative(path)
        known = manifest.documents.get(key)
        if known is not None and known.sha256 == sha256_text(read_source(path)):
            unchanged[key] = known
        else:
            changed.append(path)
    removed = [e for key, e in manifest.documents.items() if key not in unchanged]
    return Plan(False, unchanged, changed, removed)


def check_identifiers(processed: Processed, seen: dict[str, str]) -> None:
    entry = processed.entry
    if entry.identifier in seen and seen[entry.identifier] != entry.path:
        raise SourceError(
            Path(entry.path), f"document {entry.identifier} is also in {seen[entry.identifier]}"
        )
    seen[entry.identifier] = entry.path


def current_manifest(store_spec, **remote_options) -> Manifest | None:
    from kg.store import open_store

    try:
        store = open_store(store_spec, **remote_options)
    except StoreError:
        return None
    return read_manifest(store)


def now() -> datetime:
    return datetime.now(UTC)
