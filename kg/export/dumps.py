"""Dumps of the store: the whole dataset (TriG, gzipped N-Quads) and the union graph (Turtle,
JSON-LD, RDF/XML). Serialised by Oxigraph, which streams and keeps blank nodes as they are."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.namespaces import GRAPH, PREFIXES
from kg.store import GraphStore


@dataclass(frozen=True)
class DumpFormat:
    filename: str
    rdf_format: ox.RdfFormat
    whole_dataset: bool  # True: quads with their named graphs; False: the union graph
    gzipped: bool = False


DUMPS = (
    DumpFormat("dataset.trig", ox.RdfFormat.TRIG, whole_dataset=True),
    DumpFormat("dataset.nq.gz", ox.RdfFormat.N_QUADS, whole_dataset=True, gzipped=True),
    DumpFormat("dataset.ttl", ox.RdfFormat.TURTLE, whole_dataset=False),
    DumpFormat("dataset.jsonld", ox.RdfFormat.JSON_LD, whole_dataset=False),
    DumpFormat("dataset.rdf", ox.RdfFormat.RDF_XML, whole_dataset=False),
)


def dataset_quads(store: GraphStore) -> Iterator[ox.Quad]:
    """Every quad of the dataset's named graphs: only ours, since a remote server may hold
    others (Virtuoso's system graphs)."""
    ours = str(GRAPH)
    for name in store.named_graphs():
        if name.startswith(ours):
            yield from store.quads(name)


def union_triples(store: GraphStore) -> Iterator[ox.Triple]:
    """Every triple of every graph, once: the graph queries see (default graph = union)."""
    seen: set[ox.Triple] = set()
    for quad in dataset_quads(store):
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield triple


def write_dump(store: GraphStore, folder: Path, dump: DumpFormat) -> Path:
    path = folder / dump.filename
    prefixes: dict[str, str] | None = {p: str(ns) for p, ns in PREFIXES.items()}
    if dump.rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        prefixes = None  # not supported by line-based formats
    data = dataset_quads(store) if dump.whole_dataset else union_triples(store)
    if dump.gzipped:
        # mtime=0: the same data gives the same bytes, so checksums only change with the data.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            # pyoxigraph writes to any object with write(); its stub names only typing.IO,
            # which GzipFile (an io.BufferedIOBase) is not in typeshed.
            ox.serialize(data, out, dump.rdf_format, prefixes=prefixes)  # type: ignore[arg-type]
    else:
        with open(path, "wb") as out:
            ox.serialize(data, out, dump.rdf_format, prefixes=prefixes)
    return path


def write_dumps(store: GraphStore, folder: Path) -> list[Path]:
    return [write_dump(store, folder, dump) for dump in DUMPS]


def read_dump(path: Path) -> ox.Dataset:
    """Parse a dump written by :func:`write_dump` back (for checks and tests)."""
    dump = next(d for d in DUMPS if d.filename == path.name)
    if dump.gzipped:
        with gzip.open(path, "rb") as f:
            return ox.Dataset(ox.parse(f.read(), format=dump.rdf_format))
    return ox.Dataset(ox.parse(path=str(path), format=dump.rdf_format))


__all__ = [
    "DUMPS",
    "DumpFormat",
    "dataset_quads",
    "read_dump",
    "union_triples",
    "write_dump",
    "write_dumps",
]
