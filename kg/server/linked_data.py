"""Linked-data pages under the Dutch URI strategy: ``/id/...`` names a thing and answers 303 to
``/doc/...``, its description, as HTML for people and as RDF (Turtle, JSON-LD, N-Triples,
RDF/XML) by ``Accept``. Also ``/def/aip`` (the ontology, Turtle or HTML), ``/.well-known/void``
and ``/page?iri=...`` for any other IRI in the graph (hash IRIs, graphs, external IRIs).

Every IRI under https://w3id.org/ai-beleid/ is linked to this server, so the pages can be
browsed locally. Every query runs through the worker pool, with the IRI bound as a term.
"""

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from kg.rdf.namespaces import AIP, BASE, ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES
from kg.server import formats, negotiation
from kg.server.pool import QueryJob, VoidJob

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kg.server.app import Settings
    from kg.server.pool import QueryPool

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
PAGE_OFFERS = {
    "text/html": ("html", "text/html; charset=utf-8"),
    **{k: v for k, v in formats.OFFERS[formats.GRAPH].items() if k != "text/plain"},
}
_PROLOGUE = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
OUTGOING = (
    _PROLOGUE
    + """SELECT ?r ?p ?o ?g ?label WHERE {
  GRAPH ?g { ?r ?p ?o }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
}"""
)
INCOMING = (
    _PROLOGUE
    + """SELECT ?r ?s ?p ?label WHERE {
  ?s ?p ?r
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?label }
}"""
)
EVIDENCE = (
    _PROLOGUE
    + """SELECT DISTINCT ?r ?text ?start ?end ?source WHERE {
  { ?r aip:evidence|oa:hasTarget ?t } UNION { ?r oa:hasSelector ?any . BIND (?r AS ?t) }
  ?t oa:hasSource ?source ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
  ?source rdf:value ?text .
} LIMIT 5"""
)
DESCRIPTION = """CONSTRUCT { ?r ?p ?o . ?x ?xp ?xo . ?y ?yp ?yo } WHERE {
  { ?r ?p ?o }
  UNION { ?r ?p1 ?x . ?x ?xp ?xo FILTER (isIRI(?x) && STRSTARTS(STR(?x), CONCAT(STR(?r), "#"))) }
  UNION { ?r ?p1 ?x . ?x ?p2 ?y . ?y ?yp ?yo
          FILTER (isIRI(?x) && isIRI(?y) && STRSTARTS(STR(?x), CONCAT(STR(?r), "#"))
                  && STRSTARTS(STR(?y), CONCAT(STR(?r), "#"))) }
}"""
ONTOLOGY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
PASSAGE_CONTEXT = 600  # characters shown around a highlighted span


def local_href(iri: str) -> str:
    """Where this server shows an IRI: IRIs of our own URI space map to local paths."""
    if iri.startswith(BASE + "id/") and "#" not in iri:
        return "/doc/" + quote(iri[len(BASE) + 3 :], safe="/:@-._~!$&'()*+,;=")
    if iri == str(ONTOLOGY_IRI) or iri.startswith(str(AIP)):
        return "/def/aip" + iri[len(str(ONTOLOGY_IRI)) :]
    return "/page?iri=" + quote(iri, safe="")


CURIE_PREFIXES = {**PREFIXES, "graph": BASE + "graph/"}


def curie(iri: str) -> str:
    for prefix, namespace in CURIE_PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri


@dataclass
class Term:
    """One RDF term from a SPARQL JSON result, ready for a template."""

    kind: str  # uri, bnode, literal
    value: str
    lang: str = ""
    datatype: str = ""
    label: str = ""

    @property
    def href(self) -> str:
        return local_href(self.value) if self.kind == "uri" else ""

    @property
    def external(self) -> str:
        return self.value if self.kind == "uri" and not self.value.startswith(BASE) else ""

    @property
    def text(self) -> str:
        if self.kind == "uri":
            return self.label or curie(self.value)
        if self.kind == "bnode":
            return f"_:{self.value}"
        return self.value

    @property
    def datatype_curie(self) -> str:
        return curie(self.datatype) if self.datatype else ""


def _term(binding: dict | None) -> Term | None:
    if binding is None:
        return None
    kind = binding["type"]
    return Term(
        "literal" if kind in ("literal", "typed-literal") else kind,
        binding["value"] if kind != "triple" else json.dumps(binding["value"]),
        binding.get("xml:lang", ""),
        binding.get("datatype", ""),
    )


def _best_label(labels: list[Term]) -> str:
    for lang in ("nl", "en", ""):
        for label in labels:
            if label.lang == lang:
                return label.value
    return labels[0].value if labels else ""


@dataclass
class Row:
    predicate: Term
    value: Term
    graphs: set[str] = field(default_factory=set)
    labels: list[Term] = field(default_factory=list)


def _group(bindings: list[dict], pred: str, value: str, graph: str | None) -> list[Row]:
    rows: dict[tuple, Row] = {}
    for b in bindings:
        key = (b[pred]["value"], json.dumps(b[value], sort_keys=True))
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(_term(b[pred]), _term(b[value]))
        if graph and graph in b:
            row.graphs.add(b[graph]["value"])
        if "label" in b:
            label = _term(b["label"])
            if label not in row.labels:
                row.labels.append(label)
    for row in rows.values():
        row.value.label = _best_label(row.labels) if row.value.kind == "uri" else ""
        row.predicate.label = ""
    order = {RDF_TYPE: 0, **{p: 1 for p in LABEL_PROPERTIES}}
    return sorted(
        rows.values(),
        key=lambda r: (order.get(r.predicate.value, 2), curie(r.predicate.value), r.value.text),
    )


def passage(text: str, start: int, end: int) -> dict[str, str]:
    """The paragraph(s) around [start, end), cut to PASSAGE_CONTEXT characters each side."""
    lo = text.rfind("\n\n", 0, start)
    lo = max(lo + 2 if lo >= 0 else 0, start - PASSAGE_CONTEXT)
    hi = text.find("\n\n", end)
    hi = min(hi if hi >= 0 else len(text), end + PASSAGE_CONTEXT)
    return {
        "before": ("…" if lo > 0 else "") + text[lo:start],
        "span": text[start:end],
        "after": text[end:hi] + ("…" if hi < len(text) else ""),
    }


def add_routes(app: "FastAPI", settings: "Settings", pool: "QueryPool") -> None:
    from fastapi import Request
    from fastapi.responses import HTMLResponse, RedirectResponse, Response

    from kg.server.app import outcome_response, public_base, text_error
    from kg.server.rendering import render

    cache: dict[tuple[str, str], bytes] = {}  # per build (store link target) and format

    def cached(key: str, fmt: str) -> tuple[tuple[str, str], bytes | None]:
        full_key = (os.path.realpath(settings.store_path) + "|" + key, fmt)
        return full_key, cache.get(full_key)

    async def select(query: str, iri: str) -> list[dict]:
        outcome = await pool.run(
            QueryJob(
                query,
                {formats.TABULAR: "json"},
                iri_bindings={"r": iri},
                max_rows=settings.max_rows,
            )
        )
        if outcome.status != 200:
            raise PageError(outcome.status, outcome.message)
        return json.loads(outcome.body)["results"]["bindings"]

    async def resource(request: Request, iri: str):
        fmt = PAGE_OFFERS[negotiation.require(request.headers.get("accept"), list(PAGE_OFFERS))][0]
        if fmt != "html":
            outcome = await pool.run(
                QueryJob(
                    DESCRIPTION,
                    {formats.GRAPH: fmt},
                    iri_bindings={"r": iri},
                    max_rows=settings.max_rows,
                    prefixes=settings.prefixes,
                )
            )
            if outcome.status == 200 and outcome.count == 0:
                return text_error(404, f"nothing is known about <{iri}>")
            return outcome_response(outcome)
        try:
            outgoing = _group(await select(OUTGOING, iri), "p", "o", "g")
            incoming = _group(await select(INCOMING, iri), "p", "s", None)
            evidence = await select(EVIDENCE, iri)
        except PageError as err:
            return text_error(err.status, str(err))
        if not outgoing and not incoming:
            html = render(
                "notfound.html", iri=iri, title="Niet gevonden / Not found", href=local_href
            )
            return HTMLResponse(html, status_code=404)
        labels = [r.value for r in outgoing if r.predicate.value in LABEL_PROPERTIES]
        types = [r.value for r in outgoing if r.predicate.value == RDF_TYPE]
        passages = []
        for b in evidence:
            start, end = int(b["start"]["value"]), int(b["end"]["value"])
            item = passage(b["text"]["value"], start, end)
            item.update(start=str(start), end=str(end), source=b["source"]["value"])
            passages.append(item)
        title = _best_label(labels) or curie(iri)
        html = render(
            "resource.html",
            title=title,
            iri=iri,
            types=types,
            labels=labels,
            outgoing=[r for r in outgoing if r.predicate.value != RDF_TYPE],
            incoming=incoming,
            passages=passages,
            href=local_href,
            curie=curie,
            rdf_links=[(k, k.split("/")[-1]) for k in PAGE_OFFERS if k != "text/html"],
        )
        return HTMLResponse(html, headers={"Vary": "Accept"})

    @app.get("/id/{path:path}", include_in_schema=False)
    async def thing(path: str):
        return RedirectResponse("/doc/" + quote(path, safe="/:@-._~!$&'()*+,;="), status_code=303)

    @app.get("/doc/{path:path}", include_in_schema=False)
    async def document(request: Request, path: str):
        return await resource(request, BASE + "id/" + path)

    @app.get("/page", include_in_schema=False)
    async def page(request: Request, iri: str = ""):
        if not iri or any(c in iri for c in ' <>"{}|^`\\') or ":" not in iri:
            return text_error(400, "give an absolute IRI: /page?iri=https://...")
        if iri.startswith(BASE + "id/") and "#" not in iri:
            return RedirectResponse(local_href(iri), status_code=303)
        return await resource(request, iri)

    @app.get("/def/aip", include_in_schema=False)
    async def ontology(request: Request):
        offers = {"text/html": ("html", "text/html; charset=utf-8"), **PAGE_OFFERS}
        fmt, media_type = offers[negotiation.require(request.headers.get("accept"), list(offers))]
        key, body = cached("ontology", fmt)
        if body is None:
            outcome = await pool.run(
                QueryJob(
                    ONTOLOGY,
                    {formats.GRAPH: "turtle" if fmt == "html" else fmt},
                    max_rows=10**7,
                    prefixes=settings.prefixes,
                )
            )
            if outcome.status != 200:
                return outcome_response(outcome)
            body = outcome.body
            if fmt == "html":
                from rdflib import Graph

                from kg.describe.ontology_html import render_ontology_html

                graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
                body = render_ontology_html(graph).encode("utf-8")
            cache[key] = body
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})

    @app.get("/.well-known/void", include_in_schema=False)
    async def void(request: Request):
        offers = {k: v for k, v in PAGE_OFFERS.items() if v[0] != "trig" and k != "text/html"}
        fmt, media_type = offers[negotiation.require(request.headers.get("accept"), list(offers))]
        key, body = cached("void", fmt)
        if body is None:
            outcome = await pool.run(VoidJob(public_base(settings, request) + "/sparql", fmt))
            if outcome.status != 200:
                return text_error(outcome.status, outcome.message)
            body = cache[key] = outcome.body
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
