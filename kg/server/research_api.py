"""What the research page asks the server besides ``/sparql``: the labels of the IRIs in a
result (in the page's language; a document's title), the schema (classes with instance counts
and their properties, from the ontology and the data), warnings about terms the ontology does
not define, and a SELECT result as an HTML table for a browser that opens a ``/sparql?query=``
link. Every query runs in the worker pool; the schema is kept per build in the page cache.
"""

from __future__ import annotations

import json

from fastapi import Request

from kg.rdf.namespaces import ONTOLOGY_GRAPH
from kg.server import formats
from kg.server.cache import CachedAnswer
from kg.server.context import ServerContext
from kg.server.labels import (  # re-exported: the routes and tests take them from here
    _PREFIXES,
    LABELS,
    MAX_LABELLED,
    Cell,
    cell,
    labels_from,
    labels_query,
    pick_label,
    safe_iri,
    uris_in,
)
from kg.server.query_job import QueryJob, run_query
from kg.server.resource_page import IN_CONTEXT, curie

SCHEMA_SECONDS = 60.0
CLASS_COUNTS = "SELECT ?class (COUNT(?s) AS ?count) WHERE { ?s a ?class } GROUP BY ?class"
CLASS_PROPERTIES = "SELECT DISTINCT ?class ?property WHERE { ?s a ?class ; ?property ?o }"
ONTOLOGY_TERMS = (
    _PREFIXES
    + f"""SELECT ?term ?kind ?domain ?label WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    ?term a ?kind .
    FILTER (?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, rdf:Property))
    OPTIONAL {{ ?term rdfs:domain ?domain }}
    OPTIONAL {{ ?term rdfs:label ?label }}
  }}
}}"""
)


class ResearchError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def select(
    context: ServerContext, request: Request, query: str, timeout: float | None = None
) -> list[dict]:
    """The bindings of a SELECT run in a worker, as SPARQL JSON dictionaries."""
    job = QueryJob(
        query,
        {formats.TABULAR: "json"},
        max_rows=10**6,
        max_bytes=context.settings.max_result_bytes,
    )
    outcome = await context.run(request, run_query, job, timeout=timeout)
    if outcome.status != 200:
        raise ResearchError(outcome.status, outcome.message)
    return json.loads(outcome.body)["results"]["bindings"]


async def labels(
    context: ServerContext, request: Request, iris: list[str], lang: str
) -> dict[str, str]:
    query = labels_query(iris)
    if query is None:
        return {}
    return labels_from(await select(context, request, query), lang)


async def quotes_in_context(
    context: ServerContext, request: Request, iris: list[str]
) -> list[dict]:
    """The quote with a few words around it of each IRI that has a source span (IN_CONTEXT)."""
    wanted = [i for i in dict.fromkeys(iris) if safe_iri(i)][:MAX_LABELLED]
    if not wanted:
        return []
    return await select(context, request, IN_CONTEXT % " ".join(f"<{iri}>" for iri in wanted))


def _schema_from(counts: list[dict], used: list[dict], terms: list[dict]) -> dict:
    classes: dict[str, dict] = {}
    for b in counts:
        iri = b["class"]["value"]
        classes[iri] = {"iri": iri, "curie": curie(iri), "count": int(b["count"]["value"]),
                        "properties": set()}  # fmt: skip
    known, ontology_labels = set(), {}
    for b in terms:
        iri = b["term"]["value"]
        known.add(iri)
        if "label" in b and b["label"].get("xml:lang", "en") == "en":
            ontology_labels[iri] = b["label"]["value"]
        if b["kind"]["value"].endswith("Class"):
            classes.setdefault(iri, {"iri": iri, "curie": curie(iri), "count": 0,
                                     "properties": set()})  # fmt: skip
        elif "domain" in b and b["domain"]["value"] in classes:
            classes[b["domain"]["value"]]["properties"].add(iri)
    for b in used:
        if b["class"]["value"] in classes:
            classes[b["class"]["value"]]["properties"].add(b["property"]["value"])
    listed = []
    for entry in sorted(classes.values(), key=lambda c: (not c["curie"].startswith("aip:"),
                                                         -c["count"], c["curie"])):  # fmt: skip
        entry["label"] = ontology_labels.get(entry["iri"], "")
        entry["properties"] = sorted(
            ({"iri": p, "curie": curie(p)} for p in entry["properties"]), key=lambda p: p["curie"]
        )
        listed.append(entry)
    return {"classes": listed, "terms": sorted(known)}


async def schema(context: ServerContext, request: Request) -> bytes:
    """The schema as JSON, computed once per build."""
    build, key = context.settings.build(), ("schema.json",)
    cached = context.pages.get(build, key)
    if cached is not None:
        return cached.body
    limit = max(context.settings.query_timeout, SCHEMA_SECONDS)
    counts = await select(context, request, CLASS_COUNTS, limit)
    used = await select(context, request, CLASS_PROPERTIES, limit)
    terms = await select(context, request, ONTOLOGY_TERMS, limit)
    body = json.dumps(_schema_from(counts, used, terms), ensure_ascii=False).encode("utf-8")
    if context.settings.build() == build:
        context.pages.put(build, key, CachedAnswer(body, "application/json"))
    return body


__all__ = [
    "LABELS",
    "Cell",
    "ResearchError",
    "cell",
    "labels",
    "pick_label",
    "schema",
    "select",
    "uris_in",
]
