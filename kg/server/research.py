"""What the research page asks the server besides ``/sparql``: the labels of the IRIs in a
result (in the page's language; a document's title), the schema (classes with instance counts
and their properties, from the ontology and the data), warnings about terms the ontology does
not define, and a SELECT result as an HTML table for a browser that opens a ``/sparql?query=``
link. Every query runs in the worker pool; the schema is kept per build in the page cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import Request

from kg.rdf.namespaces import BASE, ONTOLOGY_GRAPH
from kg.server import formats
from kg.server.cache import CachedAnswer
from kg.server.context import ServerContext
from kg.server.queries import QueryJob, run_query
from kg.server.resource_page import IN_CONTEXT, curie, linkable, local_href

MAX_LABELLED = 2000  # IRIs per label request: a page shows at most a few thousand cells
UNSAFE_IRI = set(' <>"{}|^`\\')
SCHEMA_SECONDS = 60.0
_PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
LABELS = (
    _PREFIXES
    + """SELECT ?r ?label ?rank WHERE {
  VALUES ?r { %s }
  { ?r skos:prefLabel ?label BIND (0 AS ?rank) }
  UNION { ?r dcterms:title ?label BIND (1 AS ?rank) }
  UNION { ?r rdfs:label ?label BIND (2 AS ?rank) }
  UNION { ?r dcterms:identifier ?label BIND (3 AS ?rank) }
}"""
)
IDENTIFIER_RANK = 3  # a name only where nothing has a label (a cited Kamerstuk, for example)
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


def pick_label(candidates: list[tuple[int, str, str]], lang: str) -> str:
    """The best of (property rank, language, text): the page's language first, then untagged,
    then any; skos:prefLabel before dcterms:title before rdfs:label; dcterms:identifier only
    when there is none of these."""
    candidates = [c for c in candidates if c[0] < IDENTIFIER_RANK] or candidates

    def order(candidate: tuple[int, str, str]) -> tuple[int, int]:
        rank, tag, _ = candidate
        language_rank = 0 if tag == lang else 1 if not tag else 2 if tag in ("nl", "en") else 3
        return (language_rank, rank)

    return min(candidates, key=order)[2] if candidates else ""


def _safe_iri(iri: str) -> bool:
    """An absolute IRI that can be written between < and > as it is (IRIREF of SPARQL)."""
    return ":" in iri and not UNSAFE_IRI & set(iri) and all(ord(c) > 0x20 for c in iri)


async def labels(
    context: ServerContext, request: Request, iris: list[str], lang: str
) -> dict[str, str]:
    wanted = [i for i in dict.fromkeys(iris) if _safe_iri(i)]
    wanted = wanted[:MAX_LABELLED]
    if not wanted:
        return {}
    query = LABELS % " ".join(f"<{iri}>" for iri in wanted)
    found: dict[str, list[tuple[int, str, str]]] = {}
    for b in await select(context, request, query):
        label = b["label"]
        found.setdefault(b["r"]["value"], []).append(
            (int(b["rank"]["value"]), label.get("xml:lang", ""), label["value"])
        )
    return {iri: pick_label(candidates, lang) for iri, candidates in found.items()}


async def quotes_in_context(
    context: ServerContext, request: Request, iris: list[str]
) -> list[dict]:
    """The quote with a few words around it of each IRI that has a source span (IN_CONTEXT)."""
    wanted = [i for i in dict.fromkeys(iris) if _safe_iri(i)][:MAX_LABELLED]
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


@dataclass
class Cell:
    text: str
    href: str = ""
    title: str = ""
    external: str = ""
    kind: str = "literal"


def cell(binding: dict | None, label_of: dict[str, str]) -> Cell:
    """One result cell as a person reads it: a label linked to its page (the IRI on hover), or
    a literal's value (its language or datatype on hover)."""
    if binding is None:
        return Cell("")
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        external = value if not value.startswith(BASE) and linkable(value) else ""
        return Cell(label_of.get(value) or curie(value), local_href(value), value, external, "uri")
    if kind == "bnode":
        return Cell(f"_:{value}", kind="bnode")
    if kind == "triple":
        return Cell(json.dumps(value), kind="triple")
    lang, datatype = binding.get("xml:lang"), binding.get("datatype")
    title = f"@{lang}" if lang else curie(datatype) if datatype else ""
    return Cell(value, title=title)


def uris_in(result: dict) -> list[str]:
    return [
        b["value"]
        for row in result.get("results", {}).get("bindings", [])
        for b in row.values()
        if b.get("type") == "uri"
    ]
