"""The search index a build writes beside the store: every resource a researcher may look for by
name (curated and minted entities, documents, questions, answers, commitments), with its names,
its labels per language, its kind and the words of its text.

Written into the store version's folder (``SEARCH_INDEX``), in the same swap as the data, so the
server reads an index that always belongs to the build it answers from. Entries of a document
come from that document's graph only (never from what other documents claim), so an
incremental build keeps the entries of the documents it kept and recomputes those of the
documents it rewrote; entities (reference data, the minted graph) are recomputed on every
build, because the minted graph is. ``tests/test_search.py`` checks that an incremental
build writes the index a full build writes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.namespaces import GRAPH, MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.store import GraphStore
from kg.store.versions import version_file

SEARCH_INDEX = "search-index.json.gz"
FORMAT = 1

_PREFIXES = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
AIP = "https://w3id.org/ai-beleid/def/aip#"
# What each property is to the index: a label (the name shown), another name, a hidden name
# (found, never shown), an identifier, the text, the date, the document a part belongs to.
FIELDS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://purl.org/dc/terms/title": "label",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "alt",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": "hidden",
    AIP + "caseSensitiveLabel": "hidden",
    "http://xmlns.com/foaf/0.1/familyName": "alt",
    "http://purl.org/dc/terms/identifier": "identifier",
    AIP + "celexNumber": "identifier",
    "https://schema.org/text": "text",
    "http://purl.org/dc/terms/description": "text",
    "http://purl.org/dc/terms/dateSubmitted": "date",
    "http://purl.org/dc/terms/date": "date",
    "http://purl.org/dc/terms/isPartOf": "document",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
}
FIELDS_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The label shown: the first of these a resource has, per language.
LABEL_ORDER = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
_FIELD_IRIS = " ".join(f"<{p}>" for p in FIELDS if p != FIELDS_TYPE)
# The facts of the resources of the classes the index holds (VALUES ?t, filled in per build
# from the ontology): joined on the type, so that the many untyped or other nodes of a document
# graph (spans, selectors, mentions) are never read.
FACTS = (
    _PREFIXES
    + """SELECT ?g ?r ?t ?p ?v WHERE {
  VALUES ?t { %s }
  GRAPH ?g { ?r a ?t . ?r ?p ?v }
  VALUES ?p { """
    + _FIELD_IRIS
    + """ }
  FILTER (isIRI(?r))
}"""
)
# Classes, with their labels and superclasses, from the ontology graph (the kinds of document
# included: aip:SourceDocument and whatever subclasses the ontology has).
CLASSES = (
    _PREFIXES
    + f"""SELECT ?class ?label ?super WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    ?class a owl:Class .
    OPTIONAL {{ ?class rdfs:label ?label }}
    OPTIONAL {{ ?class rdfs:subClassOf+ ?super FILTER (isIRI(?super)) }}
  }}
}}"""
)

# Kinds of what is found, in the order results of equal score are listed; a resource takes the
# first kind one of its classes (or their superclasses) gives.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("instrument", (AIP + "NationalInstrument",)),
    ("eu", (AIP + "EUInitiative",)),
    ("international", (AIP + "InternationalInstrument",)),
    (
        "organisation",
        (
            "http://www.w3.org/ns/org#FormalOrganization",
            "http://www.w3.org/ns/org#Organization",
            "http://www.w3.org/ns/org#OrganizationalUnit",
            AIP + "PoliticalParty",
        ),
    ),
    ("person", ("http://xmlns.com/foaf/0.1/Person",)),
    ("post", ("http://www.w3.org/ns/org#Post",)),
    ("document", (AIP + "SourceDocument",)),
    ("cited", (AIP + "CitedDocument",)),
    ("event", (AIP + "PolicyEvent", AIP + "CommitteeDebate")),
    ("model", (AIP + "AIModel",)),
    ("question", (AIP + "Question",)),
    ("answer", (AIP + "Answer",)),
    ("commitment", (AIP + "Commitment",)),
    ("concept", ("http://www.w3.org/2004/02/skos/core#Concept",)),
)
KIND_NAMES = tuple(kind for kind, _ in KINDS)
# Parts of a document that are found by their text; what else a document graph holds (mentions,
# spans, footnotes, stances) is reached from these.
DOCUMENT_PARTS = ("document", "question", "answer", "commitment")
TEXT_LIMIT = 4000  # characters of a text kept for finding words and quoting a snippet


class Classes:
    """The ontology's classes: labels per language and every superclass of each."""

    def __init__(self, rows: Iterable) -> None:
        self.labels: dict[str, dict[str, str]] = {}
        self.supers: dict[str, set[str]] = {}
        for row in rows:
            iri = row["class"].value
            self.supers.setdefault(iri, set())
            if row["super"] is not None:
                self.supers[iri].add(row["super"].value)
            label = row["label"]
            if label is not None:
                self.labels.setdefault(iri, {})[label.language or ""] = label.value

    def indexed(self) -> list[str]:
        """Every class whose resources the index holds: those of KINDS and their subclasses."""
        wanted = {c for _, classes in KINDS for c in classes}
        return sorted(wanted | {c for c, supers in self.supers.items() if supers & wanted})

    def kind(self, types: Iterable[str]) -> tuple[str, str]:
        """The kind of a resource of these classes, and the class that gives it (the most
        specific one, so that a subclass of aip:SourceDocument is named as itself)."""
        types = sorted(types)
        for kind, classes in KINDS:
            for iri in types:
                if iri in classes or self.supers.get(iri, set()) & set(classes):
                    return kind, iri
        return "", ""


def _resources(rows: Iterable) -> dict[str, dict[str, dict[str, list]]]:
    """The FACTS rows as graph -> resource -> property -> values (text, language); the types
    as values of rdf:type."""
    found: dict[str, dict[str, dict[str, list]]] = {}
    for row in rows:
        properties = found.setdefault(row["g"].value, {}).setdefault(row["r"].value, {})
        types = properties.setdefault(FIELDS_TYPE, [])
        if (row["t"].value, "") not in types:
            types.append((row["t"].value, ""))
        value = row["v"]
        language = value.language if isinstance(value, ox.Literal) else None
        properties.setdefault(row["p"].value, []).append((value.value, language or ""))
    return found


def _labels(properties: dict[str, list]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for prop in LABEL_ORDER:
        for text, language in sorted(properties.get(prop, [])):
            labels.setdefault(language, text)
    if not labels:
        for text, _ in sorted(properties.get("http://purl.org/dc/terms/identifier", [])):
            labels.setdefault("", text)
    return labels


def entry(iri: str, properties: dict[str, list], classes: Classes) -> dict | None:
    """The index entry of one resource, or None for what is not looked up by name."""
    kind, type_iri = classes.kind(text for text, _ in properties.get(FIELDS_TYPE, []))
    labels = _labels(properties)
    if not kind or (not labels and kind not in DOCUMENT_PARTS):
        return None
    names: list[list[str]] = []
    for prop, field in FIELDS.items():
        if field in ("label", "alt", "hidden", "identifier"):
            names += [[text, field] for text, _ in sorted(properties.get(prop, []))]
    texts = [text for prop, field in FIELDS.items() if field == "text"
             for text, _ in sorted(properties.get(prop, []))]  # fmt: skip
    dates = sorted(text for prop, field in FIELDS.items() if field == "date"
                   for text, _ in properties.get(prop, []))  # fmt: skip
    parts = [text for text, _ in properties.get("http://purl.org/dc/terms/isPartOf", [])]
    result = {"iri": iri, "kind": kind, "type": type_iri, "labels": labels,
              "names": _unique(names)}  # fmt: skip
    if texts:
        result["text"] = " ".join(texts)[:TEXT_LIMIT]
    if dates:
        result["date"] = dates[0]
    if parts and kind in DOCUMENT_PARTS:
        result["document"] = sorted(parts)[0]
    return result


def _unique(names: list[list[str]]) -> list[list[str]]:
    seen, kept = set(), []
    for text, field in names:
        if text not in seen:
            seen.add(text)
            kept.append([text, field])
    return kept


def _entries(resources: dict[str, dict[str, list]], classes: Classes, parts: bool) -> list[dict]:
    """Entries of one graph's resources: with ``parts`` only a document and its parts (a
    document graph), else everything but those (reference data, minted graph)."""
    entries = []
    for iri in sorted(resources):
        made = entry(iri, resources[iri], classes)
        if made is not None and (made["kind"] in DOCUMENT_PARTS) == parts:
            entries.append(made)
    return entries


def build_index(store: GraphStore, previous: dict | None, changed: Iterable[str]) -> dict:
    """The index of the dataset in ``store``. With ``previous`` (the index of the build this
    one started from), the entries of document graphs that are neither in ``changed`` nor gone
    are taken from it; the others are read from the store."""
    classes = Classes(store.query(CLASSES))
    documents_prefix = str(GRAPH["document/"])
    # the store's list of graphs, not a query: DISTINCT ?g read every quad (3 s of a kg add
    # at 1M triples)
    present = {g for g in store.named_graphs() if g.startswith(documents_prefix)}
    kept = {}
    if previous is not None and previous.get("format") == FORMAT:
        kept = {g: e for g, e in previous.get("documents", {}).items()
                if g in present and g not in set(changed)}  # fmt: skip
    todo = present - set(kept)
    entity_graphs = [str(REFERENCE_GRAPH), str(MINTED_GRAPH)]
    facts = FACTS % " ".join(f"<{c}>" for c in classes.indexed())
    read = _read_graphs(store, facts, entity_graphs + sorted(todo), everything=not kept)
    entities = [e for g in entity_graphs for e in _entries(read.get(g, {}), classes, False)]
    documents = dict(kept)
    for graph in todo:
        documents[graph] = _entries(read.get(graph, {}), classes, True)
    return {
        "format": FORMAT,
        "classes": {iri: labels for iri, labels in sorted(classes.labels.items())},
        "entities": _merged(entities),
        "documents": {g: documents[g] for g in sorted(documents)},
    }


def _merged(entries: list[dict]) -> list[dict]:
    """One entry per IRI (a resource described in two graphs: its names together)."""
    by_iri: dict[str, dict] = {}
    for item in entries:
        known = by_iri.get(item["iri"])
        if known is None:
            by_iri[item["iri"]] = item
        else:
            known["names"] = _unique(known["names"] + item["names"])
            for language, text in item["labels"].items():
                known["labels"].setdefault(language, text)
    return [by_iri[iri] for iri in sorted(by_iri)]


def _read_graphs(store: GraphStore, facts: str, graphs: list[str], everything: bool) -> dict:
    """The FACTS of ``graphs``: in one pass over the store when every graph is wanted (a full
    build), else graph by graph (an incremental build reads only what it rewrote)."""
    if everything:
        wanted = set(graphs)
        return {g: r for g, r in _resources(store.query(facts)).items() if g in wanted}
    read: dict = {}
    for graph in graphs:
        rows = store.query(facts, {ox.Variable("g"): ox.NamedNode(graph)})
        read.update(_resources(rows))
    return read


def serialise(index: dict) -> bytes:
    """Compact JSON, gzipped with a fixed time stamp: the same index gives the same bytes."""
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def read_index(path: Path) -> dict:
    """The index written with the current version of the store at ``path`` (a store link)."""
    with gzip.open(version_file(path, SEARCH_INDEX), "rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def previous_index(path: Path) -> dict | None:
    """The current version's index, if it has one a build can start from."""
    try:
        return read_index(path)
    except (OSError, ValueError, EOFError):
        return None
