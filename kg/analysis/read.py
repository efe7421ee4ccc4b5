"""What the network analysis reads from the store, with SPARQL through the ``GraphStore``
interface, so that it works on the embedded store and on a SPARQL server alike: entities,
their mentions in the answers, the documents' texts and the relations in the reference data.

The queries match over the union of the named graphs (the store's default graph) and do not
depend on the order of the solutions: a server returns them in its own order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.rdf.namespaces import sparql_prefixes
from kg.store import GraphStore, Term

KINDS = ("instrument", "eu", "organisation")  # first match wins for entities of two classes
REFERENCE_RELATIONS = {
    "partOf": "aip:partOf",
    "developedWithin": "aip:developedWithin",
    "responsibleOrganisation": "aip:responsibleOrganisation",
    "subOrganizationOf": "org:subOrganizationOf",
}


@dataclass(frozen=True)
class NetworkNode:
    iri: str
    kind: str
    name: str  # Dutch preferred label
    short: str  # what a picture shows: the abbreviation if there is one, else the name


@dataclass(frozen=True)
class AnswerMention:
    entity: str
    document: str  # identifier, e.g. 2026D32673
    answer: int
    start: int
    end: int
    line: int
    exact: str


ENTITY_QUERY = """
SELECT ?entity ?kind ?name ?alt WHERE {
  VALUES (?class ?kind) {
    (aip:NationalInstrument "instrument") (aip:EUInitiative "eu")
    (org:FormalOrganization "organisation") (org:Organization "organisation")
  }
  ?entity a ?class .
  FILTER NOT EXISTS { ?entity a aip:PoliticalParty }
  OPTIONAL { ?entity skos:prefLabel ?name FILTER (lang(?name) = "nl") }
  OPTIONAL { ?entity skos:altLabel ?alt }
}"""

MENTION_QUERY = """
SELECT ?entity ?docid ?answer ?start ?end ?line ?exact WHERE {
  ?m a aip:Mention ; oa:hasBody ?entity ; aip:inSection ?a ; oa:hasTarget ?span .
  ?a a aip:Answer ; aip:number ?answer ; dcterms:isPartOf/dcterms:identifier ?docid .
  ?span aip:startLine ?line ; oa:hasSelector ?p, ?q .
  ?p oa:start ?start ; oa:end ?end .
  ?q oa:exact ?exact .
}"""

TEXT_QUERY = """
SELECT ?docid ?text WHERE { ?d a aip:SourceDocument ; dcterms:identifier ?docid ;
                                aip:hasText/rdf:value ?text }"""

RELATION_QUERY = """
SELECT ?s ?relation ?o WHERE {
  VALUES (?p ?relation) { %s }
  ?s ?p ?o .
}"""


def select(
    store: GraphStore, query: str, bindings: Mapping[ox.Variable, Term] | None = None
) -> list[ox.QuerySolution]:
    """The solutions of a SELECT written without prefix declarations (the project's are added)."""
    return list(store.query(sparql_prefixes() + query, bindings))


def _is_abbreviation(label: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9+&]{1,7}", label))


def read_entities(store: GraphStore) -> dict[str, NetworkNode]:
    found: dict[str, dict[str, Any]] = {}
    for row in select(store, ENTITY_QUERY):
        iri = row["entity"].value
        entry = found.setdefault(iri, {"kinds": set(), "names": set(), "abbr": set()})
        entry["kinds"].add(row["kind"].value)
        if row["name"] is not None:
            entry["names"].add(row["name"].value)
        if row["alt"] is not None and _is_abbreviation(row["alt"].value):
            entry["abbr"].add(row["alt"].value)
    entities = {}
    for iri, entry in sorted(found.items()):
        kind = next(k for k in KINDS if k in entry["kinds"])
        # min: the same choice whatever order the store gives the labels in
        name = min(entry["names"]) if entry["names"] else iri.rsplit("/", 1)[-1]
        short = min(entry["abbr"], key=lambda a: (len(a), a)) if entry["abbr"] else name
        entities[iri] = NetworkNode(iri, kind, name, short)
    return entities


def read_mentions(store: GraphStore, entities: dict[str, NetworkNode]) -> list[AnswerMention]:
    return sorted(
        (
            AnswerMention(
                row["entity"].value,
                row["docid"].value,
                int(row["answer"].value),
                int(row["start"].value),
                int(row["end"].value),
                int(row["line"].value),
                row["exact"].value,
            )
            for row in select(store, MENTION_QUERY)
            if row["entity"].value in entities
        ),
        key=lambda m: (m.document, m.start, m.end, m.entity),
    )


def read_texts(store: GraphStore) -> dict[str, str]:
    """The text of each source document, by its identifier."""
    return {row["docid"].value: row["text"].value for row in select(store, TEXT_QUERY)}


def read_relations(store: GraphStore) -> list[tuple[str, str, str]]:
    """(subject, relation, object) of the reference relations, sorted (a relation stated in
    two graphs is there twice, on every store)."""
    values = " ".join(f'({curie} "{name}")' for name, curie in REFERENCE_RELATIONS.items())
    rows = select(store, RELATION_QUERY % values)
    return sorted((r["s"].value, r["relation"].value, r["o"].value) for r in rows)
