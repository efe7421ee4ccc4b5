"""``kg build``: sources -> parsed documents -> RDF -> store, all or nothing.

Streaming, parallel and incremental (measured on the 2-core benchmark machine, see
benchmarks/REPORT.md):

- **What is rebuilt** follows the manifest in the store (``kg.pipeline.manifest``): changed
  and new documents are converted (``kg.pipeline.convert_files``), removed ones dropped; a change to
  the ontology, the reference data, the code or the shapes rebuilds everything.
- **Embedded store: a checkpoint, then the delta.** Copying every unchanged graph into a new
  database costs seconds per million triples; a RocksDB checkpoint (pyoxigraph
  ``Store.backup``) of the current version costs milliseconds (hard links to immutable files).
  The new version is that checkpoint with the changed and removed graphs dropped, the changed
  ones loaded and a new build graph, and it becomes current with the same atomic link swap as a
  full build (``EmbeddedStore.new_version``): a failed build leaves the previous store intact.
- **Remote store: every document converted first** (spooled to a temporary folder as
  N-Triples, so memory stays flat), so bad input never leaves a half-written dataset behind;
  then graph by graph, manifest last (``kg.pipeline.publish``).
- **The search index** (``kg.pipeline.search_index``) is written into the new version's
  folder, beside the database, so it becomes current with the data; an incremental build
  recomputes the entries of the documents it rewrote and keeps the others. A remote store
  gets none (``kg serve`` serves embedded stores only).
- **Checks of what changed.** ``checks`` run on the graphs this build wrote, in the new version
  before it becomes current; the command line composes them (``kg validate``'s shapes).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, URIRef

from kg.errors import CheckFailed, StoreError
from kg.pipeline.convert_files import Processed, convert_all, spool, unique_identifiers
from kg.pipeline.inputs import Inputs, load_inputs, refuse_interrupted_add, source_files
from kg.pipeline.manifest import (
    Digests,
    Manifest,
    Plan,
    Seen,
    input_digests,
    plan,
    read_manifest,
)
from kg.pipeline.publish import BuildResult, publish
from kg.pipeline.search_index import SEARCH_INDEX, build_index, previous_index, serialise
from kg.rdf.namespaces import BUILD_GRAPH, MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.sources.model import Document
from kg.store import EmbeddedStore, GraphStore, is_remote, open_store, read_graph

# A check over the dataset before it becomes current: returns findings, empty when fine.
# It gets the ontology, the reference data, the minted graph, the graphs the build wrote and the
# build graph.
Check = Callable[[Sequence[tuple[URIRef, Graph]]], list[str]]


def build(
    data_dir: Path,
    store_spec: Path | str,
    ontology_dir: Path,
    trig: Path | None = None,
    *,
    full: bool = False,
    jobs: int | None = None,
    remote_options: dict | None = None,
    checks: Sequence[Check] = (),
    shapes_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    inputs: Inputs | None = None,
    adding: Collection[str] = (),
    parsed: Mapping[str, Document] | None = None,
    seen: Seen | None = None,
) -> BuildResult:
    """Build the dataset; reprocess only the documents that changed since the last build
    (``full`` forces everything).

    ``checks`` run on the graphs this build wrote (with the ontology and reference data) in
    the new store version, before it becomes current: a finding raises ``CheckFailed`` and the
    previous store stays as it was (what ``kg add`` relies on). ``shapes_dir`` names the
    folder the checks read, so that a change to it rebuilds and re-checks every graph.
    ``progress`` is told (documents done, documents to do) as they are converted and loaded.
    ``inputs``: the ontology and reference data of ``data_dir`` if the caller loaded them.
    ``adding``: the source names a ``kg add`` is adding in this build; any other copy an
    unfinished ``kg add`` left in the sources is refused, not built silently.
    ``parsed``: documents ``kg add`` parsed and extracted already, by the ``source_key`` of
    their files, converted as they are; ``seen``: the manifest and source digests it just read.
    """
    started = datetime.now(UTC)
    refuse_interrupted_add(data_dir, adding)
    inputs = load_inputs(data_dir, ontology_dir) if inputs is None else inputs
    files = source_files(data_dir)
    digests = input_digests(data_dir, ontology_dir, shapes_dir if checks else None)
    if is_remote(store_spec):
        if checks:
            raise StoreError(
                "checks before publishing need the embedded store; a remote store "
                "has no version to discard (validate it with kg validate instead)"
            )
        remote = open_store(store_spec, **(remote_options or {}))
        todo = plan(files, None if full else read_manifest(remote), digests)
        converted = _converted(todo, inputs, jobs, progress, parsed)
        return _publish_remote(remote, todo, inputs, converted, digests, started, str(store_spec))
    path = Path(store_spec)
    todo = _embedded_plan(path, files, digests, full, seen)
    with EmbeddedStore.new_version(path, from_current=not todo.full) as store:
        converted = _converted(todo, inputs, jobs, progress, parsed)
        result = publish(store, todo, inputs, converted, digests, started, path)
        if checks:
            _run_checks(store, checks, inputs, result.changed)
        previous = None if todo.full else previous_index(path)
        store.files[SEARCH_INDEX] = serialise(build_index(store, previous, result.changed))
        if trig is not None:
            _write_atomically(trig, store.dump_trig)
    result.trig = trig
    return result


def _embedded_plan(
    path: Path, files: list[Path], digests: Digests, full: bool, seen: Seen | None
) -> Plan:
    """What to reprocess in the embedded store at ``path``: everything when ``full``, else
    what changed since its manifest (the one ``kg add`` read already, when it gives ``seen``)."""
    if full:
        return plan(files, None, digests)
    manifest = seen.manifest if seen is not None else _current_manifest(path)
    return plan(files, manifest, digests, seen)


def _converted(
    todo: Plan,
    inputs: Inputs,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    parsed: Mapping[str, Document] | None,
) -> Iterator[Processed]:
    """The changed documents, converted as they come, refused when two share an identifier."""
    converted = convert_all(todo.changed, inputs, jobs, parsed)
    return unique_identifiers(
        counted(converted, len(todo.changed), progress),
        todo.unchanged.values(),
    )


def _publish_remote(store, todo, inputs, converted, digests, started, where) -> BuildResult:
    """A remote store has no version to discard: every document is converted (spooled to a
    temporary folder) before the first graph is written."""
    with tempfile.TemporaryDirectory(prefix="kg-remote-build-") as folder:
        return publish(store, todo, inputs, spool(converted, Path(folder)), digests, started, where)


T = TypeVar("T")


def counted(
    items: Iterable[T], total: int, progress: Callable[[int, int], None] | None
) -> Iterator[T]:
    """``items`` as they come, telling ``progress`` how many have passed."""
    if progress is not None:
        progress(0, total)
    for done, item in enumerate(items, start=1):
        yield item
        if progress is not None:
            progress(done, total)


def _current_manifest(path: Path) -> Manifest | None:
    """The manifest of the store at ``path``; None when there is no store there yet."""
    try:
        store = EmbeddedStore.open(path)
    except StoreError:
        return None
    return read_manifest(store)


def _run_checks(
    store: GraphStore, checks: Sequence[Check], inputs: Inputs, changed: list[str]
) -> None:
    named: list[tuple[URIRef, Graph]] = [
        (ONTOLOGY_GRAPH, inputs.ontology),
        (REFERENCE_GRAPH, inputs.reference),
        (MINTED_GRAPH, read_graph(store, str(MINTED_GRAPH))),
        *((URIRef(name), read_graph(store, name)) for name in changed),
        (BUILD_GRAPH, read_graph(store, str(BUILD_GRAPH))),
    ]
    findings = [finding for check in checks for finding in check(named)]
    if findings:
        raise CheckFailed(findings)


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
