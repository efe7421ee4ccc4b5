"""Converting source documents to N-Triples, in worker processes when there are many.

Documents are parsed, linked and converted in worker processes (one per core) and handed back
one by one as N-Triples; the build never holds more than a few documents in memory, which
keeps peak RSS flat as the corpus grows.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.convert.document import DocumentGraphBuilder
from kg.convert.stance_annotations import stance_graph
from kg.convert.tallies import materialised
from kg.errors import SourceError
from kg.extract.bounded import extract_bounded
from kg.pipeline.duplicates import Holders
from kg.pipeline.inputs import DocumentSummary, Inputs, relative_path, summary
from kg.pipeline.manifest import Entry, source_digest, source_key
from kg.project import default_jobs
from kg.rdf.terms import to_ox
from kg.sources.model import Document
from kg.sources.parsers import parse_file

# Workers are only worth their start-up for more than a handful of documents.
PARALLEL_THRESHOLD = 16


@dataclass(frozen=True)
class Processed:
    """A converted document, as the worker hands it back: summary and N-Triples."""

    entry: Entry
    summary: DocumentSummary
    ntriples: bytes


class TripleSet(set):
    """The part of rdflib's ``Graph`` that ``DocumentGraphBuilder`` writes to, as a plain set:
    conversion spends most of its time in rdflib's indexed memory store otherwise."""

    def add(self, triple) -> None:
        super().add(triple)

    def bind(self, *_args, **_kwargs) -> None:
        pass


def ntriples(triples: Iterable[tuple]) -> bytes:
    iris: dict[URIRef, ox.NamedNode] = {}  # IRIs repeat a lot; convert each once

    def term(t):
        if type(t) is URIRef:
            found = iris.get(t)
            if found is None:
                found = iris[t] = ox.NamedNode(str(t))
            return found
        return to_ox(t)

    written = ox.serialize(
        (ox.Triple(term(s), term(p), term(o)) for s, p, o in triples),
        format=ox.RdfFormat.N_TRIPLES,
    )
    assert written is not None  # given no output, pyoxigraph returns the bytes
    return written


def line_of_refused_iri(path: Path, triples: Iterable[tuple]) -> int | None:
    """The line of ``path`` where the first IRI Oxigraph refuses was written (an IRI taken from
    the text, such as a footnote's URL); None when it is not found there as written."""
    refused = None
    for t in (t for triple in triples for t in triple if type(t) is URIRef):
        try:
            ox.NamedNode(str(t))
        except ValueError:
            refused = str(t)
            break
    if refused is None:
        return None
    text = path.read_bytes().decode("utf-8", errors="replace")
    offset = text.find(refused)
    return text.count("\n", 0, offset) + 1 if offset >= 0 else None


def convert(path: Path, inputs: Inputs, parsed: Document | None = None) -> Processed:
    """The graph of the source ``path`` as N-Triples; ``parsed``: its document, parsed and
    extracted already (``kg add`` read the file it was copied from), else ``path`` is parsed."""
    if parsed is None:
        parsed = extract_bounded(parse_file(path), inputs.index)
    document = replace(parsed, path=relative_path(path))
    builder = DocumentGraphBuilder(document, inputs.index, inputs.reference)
    triples = TripleSet()
    # The builder only calls add() on its graph (and build() returns it): the set stands in.
    builder.g = triples  # type: ignore[assignment]
    builder.build()
    triples.update(
        stance_graph(document, inputs.index, inputs.reference, inputs.ontology, inputs.stances)
    )
    triples.update(materialised(triples, builder.document_iri, builder.node))
    entry = Entry(document.path, document.identifier, source_digest(path), len(triples))
    try:
        data = ntriples(triples)
    except ValueError as err:  # a term Oxigraph refuses, e.g. an IRI taken from the text
        line = line_of_refused_iri(path, triples)
        raise SourceError(path, f"cannot be written as RDF: {err}", line) from None
    return Processed(entry, summary(document, len(triples)), data)


_WORKER_INPUTS = None  # set in each worker process by _init_worker, never in the parent


def _init_worker(inputs: Inputs) -> None:
    global _WORKER_INPUTS
    _WORKER_INPUTS = inputs


def _convert_in_worker(path: Path, parsed: Document | None):
    assert _WORKER_INPUTS is not None  # the pool's initializer sets it
    try:
        return convert(path, _WORKER_INPUTS, parsed)
    except SourceError as err:  # its constructor takes other arguments than it pickles
        return ("error", str(err.path), err.detail, err.line)


def convert_all(
    paths: list[Path],
    inputs: Inputs,
    jobs: int | None,
    parsed: Mapping[str, Document] | None = None,
) -> Iterator[Processed]:
    """Convert documents in order, in worker processes when there are many. ``parsed``:
    documents parsed already, by ``source_key``; the others are parsed where they are
    converted."""
    jobs = jobs or default_jobs()
    known = parsed or {}
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            yield convert(path, inputs, known.get(source_key(path)))
        return
    context = multiprocessing.get_context("fork")
    window = jobs * 4  # documents in flight: bounds memory when loading is the slower side
    with context.Pool(jobs, initializer=_init_worker, initargs=(inputs,)) as pool:
        pending: deque = deque()
        queued = iter(paths)
        for path in queued:
            pending.append(
                pool.apply_async(_convert_in_worker, (path, known.get(source_key(path))))
            )
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().get()
            next_path = next(queued, None)
            if next_path is not None:
                document = known.get(source_key(next_path))
                pending.append(pool.apply_async(_convert_in_worker, (next_path, document)))
            if isinstance(result, tuple):
                _, where, detail, line = result
                raise SourceError(Path(where), detail, line)
            yield result


def unique_identifiers(
    documents: Iterable[Processed], unchanged: Iterable[Entry]
) -> Iterator[Processed]:
    """The documents, refusing one whose identifier another source file already has."""
    holders = Holders({e.identifier: e.path for e in unchanged})
    for processed in documents:
        holders.claim(processed.entry.identifier, Path(processed.entry.path))
        yield processed


def spool(documents: Iterable[Processed], folder: Path) -> Iterator[Processed]:
    """Convert every document now, writing its N-Triples into ``folder`` (so memory stays
    flat), and hand them back one by one: for a store that must not be touched before all
    input is known to be good."""
    kept: list[tuple[Processed, Path]] = []
    for index, processed in enumerate(documents):
        path = folder / f"{index}.nt"
        path.write_bytes(processed.ntriples)
        kept.append((replace(processed, ntriples=b""), path))
    return (replace(processed, ntriples=path.read_bytes()) for processed, path in kept)
