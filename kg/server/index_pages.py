"""What the index pages list: every document (``/documents``) and every entity of a kind
(``/index/{name}``), each row with labels in the page's language, counts, and what it can be
sorted and filtered by. The rows come from SPARQL in the worker pool and are kept per build and
language in the page cache; sorting and filtering are done here, per request.

Documents are whatever the ontology calls ``aip:SourceDocument`` or one of its subclasses
(asked of the ontology graph, so a new kind of document is listed as soon as it exists).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fastapi import Request

from kg.pipeline.search import normalise
from kg.rdf.namespaces import ONTOLOGY_GRAPH
from kg.server.cache import CachedAnswer
from kg.server.context import ServerContext
from kg.server.research_api import labels, select
from kg.server.resource_page import local_href

AIP = "https://w3id.org/ai-beleid/def/aip#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
INDEX_SECONDS = 60.0
_PREFIXES = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
DOCUMENTS = (
    _PREFIXES
    + f"""SELECT ?doc ?class ?identifier ?label ?description ?kind ?date ?signer ?post
       ?questions ?answers ?commitments WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?class rdfs:subClassOf* aip:SourceDocument }}
  ?doc a ?class .
  OPTIONAL {{ ?doc dcterms:identifier ?identifier }}
  OPTIONAL {{ ?doc rdfs:label ?label }}
  OPTIONAL {{ ?doc dcterms:description ?description }}
  OPTIONAL {{ ?doc dcterms:type ?kind }}
  OPTIONAL {{ ?doc dcterms:dateSubmitted ?received }}
  OPTIONAL {{ ?doc aip:respondsTo/dcterms:date ?debateDate }}
  BIND (COALESCE(?received, ?debateDate) AS ?date)
  OPTIONAL {{ ?doc aip:sender ?signer }}
  OPTIONAL {{ ?doc aip:senderPost ?post }}
  OPTIONAL {{ SELECT ?doc (COUNT(?q) AS ?questions)
             WHERE {{ ?q a aip:Question ; dcterms:isPartOf ?doc }} GROUP BY ?doc }}
  OPTIONAL {{ SELECT ?doc (COUNT(?a) AS ?answers)
             WHERE {{ ?a a aip:Answer ; dcterms:isPartOf ?doc }} GROUP BY ?doc }}
  OPTIONAL {{ SELECT ?doc (COUNT(?c) AS ?commitments)
             WHERE {{ ?c a aip:Commitment ; dcterms:isPartOf ?doc }} GROUP BY ?doc }}
}}"""
)


@dataclass(frozen=True)
class Column:
    name: str  # the key of its heading in the texts: col_{name}
    property: str


@dataclass(frozen=True)
class Count:
    name: str
    pattern: str  # a SPARQL pattern binding ?item for each ?e


MENTIONS = Count("mentions", "?item oa:hasBody ?e ; a aip:Mention")
DOCUMENTS_NAMING = Count("documents", "?m oa:hasBody ?e ; a aip:Mention ; dcterms:isPartOf ?item")


@dataclass(frozen=True)
class EntityIndex:
    name: str  # /index/{name}, and the key of its title: index_{name}
    classes: tuple[str, ...]
    columns: tuple[Column, ...]
    counts: tuple[Count, ...] = (MENTIONS, DOCUMENTS_NAMING)


INSTRUMENT_COLUMNS = (
    Column("type", AIP + "instrumentType"),
    Column("level", AIP + "governanceLevel"),
    Column("status", AIP + "status"),
    Column("organisation", AIP + "responsibleOrganisation"),
)
INDEXES = {
    index.name: index
    for index in (
        EntityIndex("instruments", (AIP + "NationalInstrument",), INSTRUMENT_COLUMNS),
        EntityIndex("eu", (AIP + "EUInitiative",), INSTRUMENT_COLUMNS),
        EntityIndex("international", (AIP + "InternationalInstrument",), INSTRUMENT_COLUMNS),
        EntityIndex(
            "organisations",
            (
                ORG + "FormalOrganization",
                ORG + "Organization",
                ORG + "OrganizationalUnit",
                AIP + "PoliticalParty",
            ),
            (
                Column("parent", ORG + "subOrganizationOf"),
                Column("status", AIP + "organisationStatus"),
            ),
        ),
        EntityIndex(
            "people",
            ("http://xmlns.com/foaf/0.1/Person",),
            (Column("post", ORG + "holds"), Column("party", ORG + "memberOf")),
            (
                Count("signed", "?item aip:sender ?e"),
                Count("asked", "?item aip:askedBy ?e"),
                MENTIONS,
                DOCUMENTS_NAMING,
            ),
        ),
    )
}
NAME_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", SKOS + "altLabel")


def entity_values_query(index: EntityIndex) -> str:
    classes = " ".join(f"<{c}>" for c in index.classes)
    properties = " ".join(
        f"<{p}>" for p in (*NAME_PROPERTIES, *(c.property for c in index.columns))
    )
    return (
        _PREFIXES
        + f"SELECT ?e ?p ?v WHERE {{ VALUES ?class {{ {classes} }} ?e a ?class . "
        + f"VALUES ?p {{ {properties} }} ?e ?p ?v FILTER (isIRI(?e)) }}"
    )


def entity_count_query(index: EntityIndex, count: Count) -> str:
    classes = " ".join(f"<{c}>" for c in index.classes)
    return (
        _PREFIXES
        + f"SELECT ?e (COUNT(DISTINCT ?item) AS ?n) WHERE {{ VALUES ?class {{ {classes} }} "
        + f"?e a ?class . {count.pattern} }} GROUP BY ?e"
    )


@dataclass
class Listing:
    """The rows of an index page and the facets (value -> label, count) of its columns."""

    rows: list[dict]
    columns: list[str]
    counts: list[str]
    facets: dict[str, list[dict]] = field(default_factory=dict)
    total: int = 0


def _value(binding: dict, name: str) -> str:
    return binding[name]["value"] if name in binding else ""


def _pick(values: list[tuple[str, str]], lang: str) -> str:
    """The value in the page's language, else untagged, else Dutch, else any."""
    for wanted in (lang, "", "nl", "en"):
        for text, tag in sorted(values):
            if tag == wanted:
                return text
    return sorted(values)[0][0] if values else ""


async def document_rows(context: ServerContext, request: Request, lang: str) -> list[dict]:
    found: dict[str, dict] = {}
    for b in await select(context, request, DOCUMENTS, INDEX_SECONDS):
        iri = b["doc"]["value"]
        row = found.setdefault(iri, {"iri": iri, "href": local_href(iri), "classes": set(),
                                     "signers": set()})  # fmt: skip
        row["classes"].add(b["class"]["value"])
        for name in ("identifier", "label", "description", "kind", "date"):
            row[name] = row.get(name) or _value(b, name)
        for name in ("questions", "answers", "commitments"):
            row[name] = int(_value(b, name) or 0)
        row["signers"].add(_value(b, "signer") or _value(b, "post"))
    rows = list(found.values())
    named = [r["kind"] for r in rows] + [s for r in rows for s in r["signers"]]
    named += [c for r in rows for c in r["classes"]]
    names = await labels(context, request, [n for n in named if n], lang)
    for row in rows:
        classes = sorted(row.pop("classes"))
        specific = [c for c in classes if c != AIP + "SourceDocument"] or classes
        row["class"] = specific[0]
        row["class_label"] = names.get(specific[0], specific[0].rsplit("#", 1)[-1])
        row["kind_label"] = names.get(row["kind"], "") if row["kind"] else row["class_label"]
        signers = sorted(s for s in row.pop("signers") if s)
        row["signers"] = [
            {"iri": s, "href": local_href(s), "label": names.get(s, s)} for s in signers
        ]
        row["signer_label"] = ", ".join(s["label"] for s in row["signers"])
        row["label"] = row["label"] or row["identifier"] or row["iri"]
    return rows


async def entity_rows(
    context: ServerContext, request: Request, index: EntityIndex, lang: str
) -> list[dict]:
    values: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for b in await select(context, request, entity_values_query(index), INDEX_SECONDS):
        tag = b["v"].get("xml:lang", "")
        values.setdefault(b["e"]["value"], {}).setdefault(b["p"]["value"], []).append(
            (b["v"]["value"], tag)
        )
    counts: dict[str, dict[str, int]] = {}
    for count in index.counts:
        query = entity_count_query(index, count)
        for b in await select(context, request, query, INDEX_SECONDS):
            counts.setdefault(b["e"]["value"], {})[count.name] = int(b["n"]["value"])
    linked = {v for props in values.values() for c in index.columns
              for v, _ in props.get(c.property, [])}  # fmt: skip
    names = await labels(context, request, sorted(linked), lang)
    rows = []
    for iri, props in values.items():
        label = _pick(props.get(SKOS + "prefLabel", []) or props.get(RDFS + "label", []), lang)
        label = label or iri.rsplit("/", 1)[-1]
        others = sorted({text for text, tag in props.get(SKOS + "altLabel", [])
                         if tag in (lang, "") and text != label})  # fmt: skip
        cells = {
            c.name: [{"iri": v, "href": local_href(v), "label": names.get(v, v.rsplit("/", 1)[-1])}
                     for v, _ in sorted(props.get(c.property, []))]
            for c in index.columns
        }  # fmt: skip
        rows.append({
            "iri": iri, "href": local_href(iri), "label": label, "names": others, "cells": cells,
            **{c.name: counts.get(iri, {}).get(c.name, 0) for c in index.counts},
        })  # fmt: skip
    return rows


async def cached_rows(context: ServerContext, request: Request, name: str, lang: str) -> list:
    """The rows of an index page, computed once per build and language."""
    build, key = context.settings.build(), ("index", name, lang)
    cached = context.pages.get(build, key)
    if cached is not None:
        return json.loads(cached.body)
    if name == "documents":
        rows = await document_rows(context, request, lang)
    else:
        rows = await entity_rows(context, request, INDEXES[name], lang)
    if context.settings.build() == build:
        body = json.dumps(rows, ensure_ascii=False).encode("utf-8")
        context.pages.put(build, key, CachedAnswer(body, "application/json"))
    return rows


def facets(rows: list[dict], columns: list[str]) -> dict[str, list[dict]]:
    """Per column, each value with its label and how many rows have it, most first."""
    found: dict[str, dict[str, dict]] = {}
    for column in columns:
        values: dict[str, dict] = {}
        for row in rows:
            for cell in row["cells"][column]:
                entry = values.setdefault(cell["iri"], {**cell, "count": 0})
                entry["count"] += 1
        found[column] = values
    return {c: sorted(v.values(), key=lambda e: (-e["count"], e["label"]))
            for c, v in found.items()}  # fmt: skip


def matches(row: dict, words: str) -> bool:
    """Whether every word of the filter is in the row's names (case and accents ignored)."""
    haystack = normalise(" ".join([row["label"], *row.get("names", []), row.get("identifier", ""),
                                   row.get("description", ""), row.get("signer_label", "")]))  # fmt: skip
    return all(word in haystack for word in normalise(words).split())


def sort_rows(rows: list[dict], key: str, descending: bool) -> list[dict]:
    """Rows by ``key`` (a column, a count, a field), empty values last, then by label."""

    def value(row: dict):
        found = row.get(key)
        if found is None and key in row.get("cells", {}):
            found = ", ".join(c["label"] for c in row["cells"][key])
        if isinstance(found, int):
            return (0, found)
        return (0 if found else 1, normalise(str(found or "")))

    filled: list[dict] = []
    empty: list[dict] = []
    for row in sorted(rows, key=lambda r: normalise(r["label"])):
        (filled if value(row)[0] == 0 else empty).append(row)
    return sorted(filled, key=value, reverse=descending) + empty
