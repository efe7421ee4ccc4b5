"""The build manifest: digests of the inputs, the graph that records them, and the plan.

The manifest is the build graph itself (PROV-O, ``kg.convert.provenance.build_provenance``): per
document graph the source file, the SHA-256 of its bytes (``source_digest``) and its size, plus digests
of the ontology, the reference data and the code (``aip:sha256`` of the sources the ontology
and reference graphs were derived from, ``schema:identifier`` of the software agent). Keeping
it in the dataset means a remote store needs no file beside it, and the manifest can never
disagree with the data.

A document is reprocessed when its file's SHA-256 changed or it is new; the graph of a removed
file is dropped. A change to the ontology, the reference data or the code forces a full build,
because linking and conversion depend on them.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from rdflib import BNode, Graph, Literal

from kg import package_version
from kg.convert.provenance import build_provenance
from kg.errors import SourceError
from kg.pipeline.inputs import relative_path, source_files
from kg.project import project_root_of, reference_dir
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
from kg.sources.metadata import find_sidecar
from kg.store import GraphStore

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the kg package


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
    code: str  # the package's modules, and the shapes the graphs were checked against


@dataclass
class Manifest:
    digests: Digests | None
    documents: dict[str, Entry] = field(default_factory=dict)  # by source path


@dataclass
class Seen:
    """What ``kg add`` learnt while finding the sources' identifiers and its build's plan needs
    again: the store's manifest as read (None: no store yet) and the SHA-256 of each source
    taken (``source_digest``), by ``source_key``. Reading the manifest and hashing every
    source a second time for the plan took 0.2 s of a ``kg add`` at 200 sources, growing."""

    manifest: Manifest | None = None
    digests: dict[str, str] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        """The SHA-256 of ``path`` as taken before, else taken now (and kept)."""
        key = source_key(path)
        found = self.digests.get(key)
        if found is None:
            found = self.digests[key] = source_digest(path)
        return found


@dataclass
class Plan:
    full: bool
    unchanged: dict[str, Entry]
    changed: list[Path]
    removed: list[Entry]


def source_digest(path: Path) -> str:
    """The SHA-256 of a source file's bytes, and of the metadata file it is read with when it
    has one (``kg.sources.metadata.find_sidecar``): what the manifest records and a later
    build or ``kg validate`` compares. The bytes, not the text a parser makes of them (an XML
    publication's rendered text, a PDF's extracted one): comparing needs no parsing, and what
    a parser makes of a file is not what the file is. A changed sidecar changes what the
    document says (its identifier, dates, askers), so it counts as a change of the source."""
    try:
        digest = hashlib.sha256(path.read_bytes())
        sidecar = find_sidecar(path)
        if sidecar is not None:
            digest.update(b"\0metadata\0" + sidecar.read_bytes())
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror}") from None
    return digest.hexdigest()


def _digest_files(paths: Iterable[Path], root: Path | None = None, label: str = "") -> bytes:
    """SHA-256 over the files' names (relative to ``root``, else their base names) and bytes."""
    h = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(root).as_posix() if root else path.name
        h.update(label.encode() + name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.digest()


def input_digests(data_dir: Path, ontology_dir: Path, shapes_dir: Path | None = None) -> Digests:
    """``shapes_dir``: the shapes the build's checks validate against, None when it runs none.

    The shapes count as code: a shapes change forces a full build, so every graph is converted
    and validated again. Re-validating only would save the conversion, which costs a fraction
    of pySHACL's time, at the price of a second digest in the manifest (more triples in the
    dataset) and a plan that distinguishes "convert" from "check". A build without checks
    records the code alone, so the next checked build re-validates what was never checked.
    """
    return Digests(
        ontology=_digest_files(ontology_dir.glob("*.ttl")).hex(),
        # Curated stances (reference/stances/) count as reference data: a change rebuilds all.
        reference=_digest_files(reference_dir(data_dir).glob("**/*.ttl")).hex(),
        code=code_digest(shapes_dir),
    )


def code_digest(shapes_dir: Path | None = None) -> str:
    """The digest of the code (and of the shapes in ``shapes_dir``) as ``input_digests``
    records it: what a parse depends on besides the source's bytes."""
    code = _digest_files(PACKAGE_DIR.rglob("*.py"), PACKAGE_DIR)
    if shapes_dir is not None:
        shapes = _digest_files(shapes_dir.rglob("*.ttl"), shapes_dir, label="shapes/")
        code = hashlib.sha256(code + shapes).digest()
    return code.hex()


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


def read_manifest(store: GraphStore) -> Manifest:
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
    """The build graph: ``kg.convert.provenance.build_provenance`` plus the input digests."""
    graphs = {document_graph(e.identifier): (_AsDocument(e), e.triples) for e in entries}
    g = build_provenance(graphs, package_version(), git_commit(), started, ended)
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


def git_commit() -> str | None:
    """The commit of the project folder the build runs in, if that project is a git checkout."""
    root = project_root_of(Path.cwd().resolve())
    if root is None:
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def plan(
    files: list[Path], manifest: Manifest | None, digests: Digests, seen: Seen | None = None
) -> Plan:
    """What to reprocess: everything without a manifest or when an input digest changed;
    else the sources that are new or whose digest changed, found by ``source_key``.
    ``seen``: the sources' digests taken already (``kg add``), not taken again."""
    digest_of = seen.digest if seen is not None else source_digest
    if manifest is None or manifest.digests != digests:
        return Plan(True, {}, files, [])
    known = {source_key(entry.path): entry for entry in manifest.documents.values()}
    unchanged: dict[str, Entry] = {}
    changed: list[Path] = []
    for path in files:
        entry = known.get(source_key(path))
        if entry is not None and entry.sha256 == digest_of(path):
            unchanged[source_key(path)] = entry
        else:
            changed.append(path)
    removed = [e for key, e in known.items() if key not in unchanged]
    return Plan(False, unchanged, changed, removed)


def source_key(path: Path | str) -> str:
    """What a build matches a source by: its path relative to the data folder. Sources lie
    directly in ``DATA/sources/``, so that is ``sources/`` and the file name, whatever the
    manifest recorded (a path relative to the project, or an absolute one for a data folder
    outside any project): a data folder copied or moved elsewhere builds incrementally on
    its store (a copied 1M-triple corpus reprocessed every document: 92-105 s instead of 5 s).
    A document's ``aip:sourceFile`` keeps the path it was converted from."""
    return f"sources/{PurePosixPath(str(path)).name}"


def changes_since_build(store: GraphStore, data_dir: Path, ontology_dir: Path) -> list[str]:
    """What differs between the store's build manifest and the files in ``data_dir`` and
    ``ontology_dir``, one line each (empty: the store holds what the files say).

    ``kg validate`` checks this first: after a failed build the store is still the previous
    one, and validating it would report on data that is no longer in the files, or report
    "conforms" for files that break the shapes. The code and the shapes are not compared:
    validation reads the shapes anew, and a code change does not change what the files say.
    """
    manifest = read_manifest(store)
    if manifest.digests is None:
        return ["the store has no build manifest (graph/build): it was not written by kg build"]
    current = input_digests(data_dir, ontology_dir)
    changes = []
    if manifest.digests.reference != current.reference:
        changes.append(f"{reference_dir(data_dir)}: the reference data changed")
    if manifest.digests.ontology != current.ontology:
        changes.append(f"{ontology_dir}: the ontology changed")
    files = {relative_path(path): path for path in source_files(data_dir)}
    for key, path in sorted(files.items()):
        known = manifest.documents.get(key)
        if known is None:
            changes.append(f"{key}: not in the store (added since the build)")
        elif known.sha256 != source_digest(path):
            changes.append(f"{key}: changed since the build")
    gone = sorted(key for key in manifest.documents if key not in files)
    if gone and len(gone) == len(manifest.documents):
        changes.append(
            f"the store was built from other sources ({gone[0]}"
            + (f" and {len(gone) - 1} more" if len(gone) > 1 else "")
            + f"), not from {data_dir}"
        )
    else:
        changes += [f"{key}: removed since the build, still in the store" for key in gone]
    return changes
