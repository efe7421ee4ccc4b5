"""Where a result's focus node was written, for the graphs that are no document's own.

- **Reference data**: the Turtle files of ``data/reference/``, read with the line of every
  triple (``kg.rdf.turtle.SourceLocations``): a result with a value points at the line of that
  value (``aip:status concept:status-bogus``), one without (a missing property) at the line
  the resource's block starts on.
- **Minted graph**: an entity the documents name and nobody curated is described from the
  claims of the documents; a result about it points at the first document that claims it, at
  the first line where that document's text links to it.

A document graph's results already carry their file and the line of their text span
(``kg.validate.report``, ``kg.validate.focus_info``). Both engines hand their results through
``locate``, so they report the same places.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ReferenceDataError
from kg.extract.reference import turtle_files
from kg.rdf.namespaces import AIP, MINTED_GRAPH, PROV, REFERENCE_GRAPH
from kg.rdf.turtle import Location, SourceLocations, TurtleSyntaxError, read_turtle
from kg.store import GraphStore
from kg.validate.report import ValidationResult, term_text

# The entity, the source file of a document that claims it, and a line where that document's
# text links to it: an extracted fact with a span whose object is the entity, or whose object
# the document claims something of the entity about (a member it names, of a party).
FIRST_FILES = f"""PREFIX prov: <{PROV}>
PREFIX aip: <{AIP}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?node (MIN(?file) AS ?first) WHERE {{
  #VALUES
  GRAPH <{MINTED_GRAPH}> {{ ?node prov:wasDerivedFrom ?claim }}
  GRAPH ?g {{ ?claim dcterms:isPartOf ?document . ?document aip:sourceFile ?file }}
}} GROUP BY ?node"""
FIRST_GRAPHS = f"""PREFIX prov: <{PROV}>
PREFIX aip: <{AIP}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?node ?g WHERE {{
  #VALUES
  GRAPH <{MINTED_GRAPH}> {{ ?node prov:wasDerivedFrom ?claim }}
  GRAPH ?g {{ ?claim dcterms:isPartOf ?document . ?document aip:sourceFile ?file }}
}}"""
LINKING_LINES = f"""PREFIX aip: <{AIP}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?node (MIN(?line) AS ?first) WHERE {{
  #VALUES
  GRAPH ?g {{
    {{ ?fact ?link ?node }}
    UNION {{ ?other rdf:object ?node ; rdf:subject ?named . ?fact ?link ?named }}
    ?fact aip:evidence/aip:startLine ?line .
  }}
}} GROUP BY ?node"""


def reference_locations(reference_dir: Path) -> SourceLocations:
    """The file and line of every triple and subject of the reference data's Turtle files."""
    locations = SourceLocations()
    try:
        read_turtle(turtle_files(reference_dir), locations=locations)
    except TurtleSyntaxError as err:  # as kg build reports the same file
        raise ReferenceDataError(f"{err.where}: not valid Turtle: {err.why}") from None
    return locations


def locate(
    results: list[ValidationResult],
    reference: SourceLocations | None = None,
    store: GraphStore | None = None,
) -> list[ValidationResult]:
    """``results`` with the file and line of reference-data results from ``reference`` and of
    minted-graph results from the claims in ``store``; others unchanged."""
    minted = {r.focus for r in results if r.graph == str(MINTED_GRAPH)}
    origins = minted_origins(store, minted) if store is not None and minted else {}
    by_text = _by_text(reference) if reference is not None else None
    located = []
    for result in results:
        where = None
        if result.graph == str(REFERENCE_GRAPH) and by_text is not None:
            where = _reference_place(by_text, result)
        elif result.graph == str(MINTED_GRAPH):
            where = origins.get(result.focus, (None, None))
        if where is not None:
            result = dataclasses.replace(result, source=where[0], line=where[1])
        located.append(result)
    return located


def _by_text(locations: SourceLocations):
    """The locations by the text a result gives its focus, path and value in; and, for a node
    the files only use as a value (a class used as a type), where it is first used."""
    subjects = {str(s): place for s, place in locations.subjects.items()}
    triples: dict[tuple[str, str, str | None], Location] = {}
    objects: dict[str, Location] = {}
    for (s, p, o), place in locations.triples.items():
        triples[(str(s), str(p), term_text(o))] = place
        if str(o) not in objects or place < objects[str(o)]:
            objects[str(o)] = place
    return subjects, triples, objects


def _reference_place(by_text, result: ValidationResult) -> tuple[str | None, int | None]:
    subjects, triples, objects = by_text
    if result.path is not None and result.value is not None:
        found = triples.get((result.focus, result.path, result.value))
        if found is not None:
            return found
    found = subjects.get(result.focus) or objects.get(result.focus)
    return found if found is not None else (result.source, result.line)


def minted_origins(store: GraphStore, entities: set[str]) -> dict[str, tuple[str, int | None]]:
    """For each minted entity, the first document (by file name) that claims it and the first
    line where that document's text links to it.

    The lines are looked up in that first document's graph only: looking them up in every
    claiming document took 15 s of a 46 s validation of 1M triples (300 minted entities, each
    claimed by up to hundreds of documents), the first file's graph alone milliseconds."""
    first: dict[str, tuple[str, set[str]]] = {}  # entity: first file, the graphs it is in
    named = sorted(e for e in entities if not e.startswith("_:") and "://" in e)
    for chunk in _chunks(named):
        values = " ".join(f"<{iri}>" for iri in chunk)
        query = FIRST_FILES.replace("#VALUES", f"VALUES ?node {{ {values} }}")
        for row in store.query(query):
            if isinstance(row["first"], ox.Literal):
                first[row["node"].value] = (row["first"].value, set())
    pairs = sorted((node, file) for node, (file, _) in first.items())
    for chunk in _chunks(pairs):
        values = " ".join(f"(<{node}> {ox.Literal(file)})" for node, file in chunk)
        query = FIRST_GRAPHS.replace("#VALUES", f"VALUES (?node ?file) {{ {values} }}")
        for row in store.query(query):
            first[row["node"].value][1].add(row["g"].value)
    return {node: (file, line) for node, (file, line) in _first_lines(store, first).items()}


def _first_lines(
    store: GraphStore, first: dict[str, tuple[str, set[str]]]
) -> dict[str, tuple[str, int | None]]:
    found: dict[str, tuple[str, int | None]] = {
        node: (file, None) for node, (file, _) in first.items()
    }
    pairs = sorted((node, graph) for node, (_, graphs) in first.items() for graph in graphs)
    for chunk in _chunks(pairs):
        values = " ".join(f"(<{node}> <{graph}>)" for node, graph in chunk)
        query = LINKING_LINES.replace("#VALUES", f"VALUES (?node ?g) {{ {values} }}")
        for row in store.query(query):
            line = row["first"]
            if isinstance(line, ox.Literal):
                node = row["node"].value
                file, known = found[node]
                number = int(line.value)
                found[node] = (file, number if known is None else min(known, number))
    return found


def _chunks(items: list, size: int = 500) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]
