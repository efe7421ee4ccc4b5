"""Linked-data pages under the Dutch URI strategy: ``/id/...`` names a thing and answers 303 to
``/doc/...``, its description, as HTML for people and as RDF (Turtle, JSON-LD, N-Triples,
RDF/XML) by ``Accept``. Also ``/def/aip`` (the ontology, Turtle or HTML), ``/.well-known/void``
and ``/page?iri=...`` for any other IRI in the graph (hash IRIs, graphs, external IRIs).

Every query runs through the worker pool, with the IRI bound as a term. The ontology and VoID
are kept per build in the page cache.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from rdflib import Graph

from kg.describe.ontology_html import render_ontology_html
from kg.rdf.namespaces import BASE, ONTOLOGY_IRI
from kg.server import formats, i18n, negotiation
from kg.server.cache import CachedAnswer
from kg.server.commitment_table import commitments_of
from kg.server.context import ServerContext
from kg.server.entity_view import (
    RELATIONS,
    by_property,
    iris_to_name,
    name_relations,
    relations_from,
)
from kg.server.jobs import void_job
from kg.server.property_labels import known as known_property
from kg.server.query_job import QueryJob, run_query
from kg.server.rendering import render
from kg.server.research_api import ResearchError, labels, quotes_in_context
from kg.server.resource_page import (
    DESCRIPTION,
    DOCUMENT_PARTS,
    DOCUMENT_TEXT,
    ENTITY_PASSAGES,
    EVIDENCE,
    INCOMING,
    LABEL_PROPERTIES,
    OA_HAS_BODY,
    ONTOLOGY,
    OUTGOING,
    PAGE_OFFERS,
    RDF_TYPE,
    Row,
    add_context,
    best_label,
    curie,
    document_sections,
    entity_passages,
    group_rows,
    local_href,
    official_publication,
    passage,
    spans_from,
)
from kg.server.responses import READ_METHODS, outcome_response, public_base, text_error

PATH_SAFE = "/:@-._~!$&'()*+,;="


MAX_PASSAGES = 100  # on an entity's page; the rest through a query (a page of 1,000 is 1 MB)
ALL_PASSAGES = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>

SELECT ?document ?section ?exact ?start WHERE {{
  ?mention oa:hasBody <{iri}> ; dcterms:isPartOf ?document ;
           aip:evidence/oa:hasSelector ?quote, ?position .
  ?quote oa:exact ?exact .
  ?position oa:start ?start .
  OPTIONAL {{ ?mention aip:inSection ?section }}
}}
ORDER BY ?document ?start"""


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def select(context: ServerContext, request: Request, query: str, iri: str) -> list[dict]:
    job = QueryJob(
        query,
        {formats.TABULAR: "json"},
        iri_bindings={"r": iri},
        max_rows=context.settings.max_rows,
        max_bytes=context.settings.max_result_bytes,
    )
    outcome = await context.run(request, run_query, job)
    if outcome.status != 200:
        raise PageError(outcome.status, outcome.message)
    return json.loads(outcome.body)["results"]["bindings"]


async def resource_as_rdf(context: ServerContext, request: Request, iri: str, fmt: str) -> Response:
    settings = context.settings
    job = QueryJob(
        DESCRIPTION,
        {formats.GRAPH: fmt},
        iri_bindings={"r": iri},
        max_rows=settings.max_rows,
        max_bytes=settings.max_result_bytes,
        prefixes=settings.prefixes,
    )
    outcome = await context.run(request, run_query, job)
    if outcome.status == 200 and outcome.count == 0:
        return text_error(404, f"nothing is known about <{iri}>")
    return outcome_response(outcome)


async def reading_view(context: ServerContext, request: Request, iri: str, lang: str) -> dict:
    """What makes a page read well: a document's text with its questions and answers, an
    entity's passages across documents. Empty for other resources."""
    document = await select(context, request, DOCUMENT_TEXT, iri)
    if document:
        return await document_view(context, request, iri, document[0], lang)
    found = await select(context, request, ENTITY_PASSAGES, iri)
    if not found:
        return {}
    passages = entity_passages(found)
    shown = passages[:MAX_PASSAGES]
    names = await labels(
        context, request, [p["document"] for p in shown] + [p["section"] for p in shown], lang
    )
    for p in shown:
        p["document_label"] = names.get(p["document"], curie(p["document"]))
        p["section_label"] = names.get(p["section"], "")
    return {
        "entity_passages": shown,
        "passages_total": len(passages),
        "all_passages": "/?" + urlencode({"query": ALL_PASSAGES.format(iri=iri)}),
    }


async def document_view(
    context: ServerContext, request: Request, iri: str, facts: dict, lang: str
) -> dict:
    text = facts["text"]["value"]
    spans = spans_from(await select(context, request, DOCUMENT_PARTS, iri))
    debate = facts.get("debate", {}).get("value", "")
    names = await labels(context, request, [s.body for s in spans if s.body] + [debate], lang)
    identifier = facts.get("identifier", {}).get("value", "")
    return {
        "sections": document_sections(text, spans, names),
        "footnotes": [s for s in spans if s.kind == "Footnote"],
        "commitments": [s for s in spans if s.kind == "Commitment"],
        "official": official_publication(identifier, facts.get("form", {}).get("value", "")),
        "identifier": identifier,
        "received": facts.get("received", {}).get("value", ""),
        "debate": debate,
        "debate_label": names.get(debate, curie(debate)) if debate else "",
        "debate_date": facts.get("debateDate", {}).get("value", ""),
    }


async def name_the_unlabelled(
    context: ServerContext, request: Request, iri: str, rows: list[Row], lang: str
) -> str:
    """Names for the linked resources that have no skos:prefLabel or rdfs:label (a title or an
    identifier, as the research page names them); returns the name of the page's resource."""
    unnamed = [r.value for r in rows if r.value.kind == "uri" and not r.value.label]
    unnamed = [t for t in unnamed if not t.value.startswith(iri + "#")]  # its own parts
    names = await labels(context, request, [iri] + [t.value for t in unnamed], lang)
    for term in unnamed:
        term.label = names.get(term.value, "")
    return names.get(iri, "")


def quoted(passages: list[dict]) -> str:
    """A fact without a name (a mention) is called by the words it stands for."""
    if not passages:
        return ""
    span = " ".join(passages[0]["span"].split())
    return f"“{span[:80]}{'…' if len(span) > 80 else ''}”"


async def readable_links_in(
    context: ServerContext, request: Request, iri: str, rows: tuple[list[Row], list[Row]],
    reading: dict, lang: str,
) -> tuple[list[Row], str]:  # fmt: skip
    """The links in as a person reads them: on an entity's page without its mentions (shown
    as passages), a mention elsewhere as its quote in context, names for what has no label.
    Returns the links in and the name of the page's resource where it has no label."""
    outgoing, incoming = rows
    if reading.get("entity_passages"):
        incoming = [r for r in incoming if r.predicate.value != OA_HAS_BODY]
    unlabelled = [r.value.value for r in incoming if r.value.kind == "uri" and not r.value.label]
    if unlabelled:
        incoming = add_context(incoming, await quotes_in_context(context, request, unlabelled))
    named = outgoing + [r for r in incoming if not r.in_context]
    return incoming, await name_the_unlabelled(context, request, iri, named, lang)


async def entity_context(
    context: ServerContext, request: Request, iri: str, rows: list[Row], reading: dict, lang: str
) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The relations of a resource that is no document (posts, documents signed, commitments,
    ...), named; and the names of the properties on the page, in the page's language."""
    relations: dict[str, list[dict]] = {}
    if "sections" not in reading:
        relations = relations_from(await select(context, request, RELATIONS, iri))
    predicates = sorted({r.predicate.value for r in rows})
    names = await labels(context, request, predicates + iris_to_name(relations), lang)
    name_relations(relations, names)
    property_names = {p: names.get(p) or known_property(p, lang) for p in predicates}
    return relations, property_names


async def resource(context: ServerContext, request: Request, iri: str) -> Response:
    fmt = PAGE_OFFERS[negotiation.require(request.headers.get("accept"), list(PAGE_OFFERS))][0]
    if fmt != "html":
        return await resource_as_rdf(context, request, iri, fmt)
    page = i18n.page_context(request)
    try:
        outgoing = group_rows(
            await select(context, request, OUTGOING, iri), "p", "o", "g", page["lang"]
        )
        incoming = group_rows(
            await select(context, request, INCOMING, iri), "p", "s", None, page["lang"]
        )
        evidence = await select(context, request, EVIDENCE, iri)
        reading = await reading_view(context, request, iri, page["lang"])
        reading.update(await commitments_of(context, request, iri, page["lang"]))  # #28
    except (PageError, ResearchError) as err:
        return text_error(err.status, str(err))
    if not outgoing and not incoming:
        guess = iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")[:200]
        html = render("notfound.html", iri=iri, guess=guess, title=page["t"]["not_found"], **page)
        return i18n.remember(request, HTMLResponse(html, status_code=404))
    labels_ = [r.value for r in outgoing if r.predicate.value in LABEL_PROPERTIES]
    try:
        incoming, name = await readable_links_in(
            context, request, iri, (outgoing, incoming), reading, page["lang"]
        )
    except ResearchError as err:
        return text_error(err.status, str(err))
    try:
        relations, property_names = await entity_context(
            context, request, iri, outgoing + incoming, reading, page["lang"]
        )
    except (PageError, ResearchError) as err:
        return text_error(err.status, str(err))
    passages = []
    for b in evidence:
        start, end = int(b["start"]["value"]), int(b["end"]["value"])
        item = passage(b["text"]["value"], start, end)
        item.update(start=str(start), end=str(end), source=b["source"]["value"])
        passages.append(item)
    base = public_base(context.settings, request)
    html = render(
        "resource.html",
        title=best_label(labels_, page["lang"]) or name or quoted(passages) or curie(iri),
        iri=iri,
        types=[r.value for r in outgoing if r.predicate.value == RDF_TYPE],
        labels=labels_,
        properties=by_property(outgoing, page["lang"], property_names),
        incoming=incoming,
        relations=relations,
        property_name=lambda p: property_names.get(p, ""),
        passages=passages,
        href=local_href,
        curie=curie,
        page_url=base + local_href(iri),
        rdf_links=[(k, k.split("/")[-1]) for k in PAGE_OFFERS if k != "text/html"],
        **reading,
        **page,
    )
    return i18n.remember(request, HTMLResponse(html))


def ontology_fragment(turtle: bytes) -> bytes:
    """The body of the ontology's documentation, to show inside the site's own page; its
    Turtle link points at this server."""
    graph = Graph().parse(data=turtle.decode("utf-8"), format="turtle")
    html = render_ontology_html(graph)
    body = html[html.index("<body>") + len("<body>") : html.rindex("</body>")]
    return body.replace(f'href="{ONTOLOGY_IRI}.ttl"', 'href="/def/aip.ttl"').encode("utf-8")


async def ontology_page(
    context: ServerContext, request: Request, fmt: str, media_type: str
) -> Response:
    """The ontology as RDF or as HTML documentation, from the page cache when it is there."""
    settings, build = context.settings, context.settings.build()
    key = ("ontology", fmt)
    cached = context.pages.get(build, key)
    if cached is None:
        job = QueryJob(
            ONTOLOGY,
            {formats.GRAPH: "turtle" if fmt == "html" else fmt},
            max_rows=10**7,
            max_bytes=settings.max_result_bytes,
            prefixes=settings.prefixes,
        )
        outcome = await context.run(request, run_query, job)
        if outcome.status != 200:
            return outcome_response(outcome)
        body = ontology_fragment(outcome.body) if fmt == "html" else outcome.body
        cached = CachedAnswer(body, media_type)
        if outcome.build == build:
            context.pages.put(build, key, cached)
    if fmt != "html":
        return Response(cached.body, media_type=media_type, headers={"Vary": "Accept"})
    page = i18n.page_context(request)
    html = render(
        "ontology.html", title=page["t"]["nav_ontology"], body=cached.body.decode("utf-8"), **page
    )
    return i18n.remember(request, HTMLResponse(html))


async def void_page(context: ServerContext, request: Request) -> Response:
    """VoID as RDF by ``Accept``; a browser (HTML ranked above every RDF format, as the site's
    navigation link gives it) gets the Turtle inside the site's page instead of a download."""
    offers = {k: v for k, v in PAGE_OFFERS.items() if v[0] != "trig" and k != "text/html"}
    accept = request.headers.get("accept")
    as_page = negotiation.prefers_html(accept, list(offers))
    fmt, media_type = (
        ("turtle", "text/turtle; charset=utf-8")
        if as_page
        else offers[negotiation.require(accept, list(offers))]
    )
    endpoint = public_base(context.settings, request) + "/sparql"
    exported = context.settings.export_dir / "void.ttl"
    stamp = exported.stat().st_mtime_ns if exported.is_file() else None
    build, key = context.settings.build(), ("void", fmt, endpoint, stamp)
    cached = context.pages.get(build, key)
    if cached is None:
        outcome = await context.run(request, void_job, endpoint, fmt, str(exported))
        if outcome.status != 200:
            return text_error(outcome.status, outcome.message)
        cached = CachedAnswer(outcome.body, media_type)
        if outcome.build == build:
            context.pages.put(build, key, cached)
    if as_page:
        page = i18n.page_context(request)
        html = render(
            "void.html", title="VoID", turtle=cached.body.decode("utf-8"),
            page_url=public_base(context.settings, request) + "/.well-known/void", **page,
        )  # fmt: skip
        return i18n.remember(request, HTMLResponse(html))
    return Response(cached.body, media_type=media_type, headers={"Vary": "Accept"})


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/id/{path:path}", methods=READ_METHODS, include_in_schema=False)
    async def thing(path: str) -> Response:
        return RedirectResponse("/doc/" + quote(path, safe=PATH_SAFE), status_code=303)

    @routes.api_route("/doc/{path:path}", methods=READ_METHODS, include_in_schema=False)
    async def document(request: Request, path: str) -> Response:
        return await resource(context, request, BASE + "id/" + path)

    @routes.api_route("/page", methods=READ_METHODS, include_in_schema=False)
    async def page(request: Request, iri: str = "") -> Response:
        if not iri or any(c in iri for c in ' <>"{}|^`\\') or ":" not in iri:
            return text_error(400, "give an absolute IRI: /page?iri=https://...")
        if iri.startswith(BASE + "id/") and "#" not in iri:
            return RedirectResponse(local_href(iri), status_code=303)
        return await resource(context, request, iri)

    @routes.api_route("/def/aip", methods=READ_METHODS, include_in_schema=False)
    async def ontology(request: Request) -> Response:
        offers = {"text/html": ("html", "text/html; charset=utf-8"), **PAGE_OFFERS}
        fmt, media_type = offers[negotiation.require(request.headers.get("accept"), list(offers))]
        return await ontology_page(context, request, fmt, media_type)

    @routes.api_route("/def/aip.ttl", methods=READ_METHODS, include_in_schema=False)
    async def ontology_turtle(request: Request) -> Response:
        return await ontology_page(context, request, "turtle", "text/turtle; charset=utf-8")

    @routes.api_route("/.well-known/void", methods=READ_METHODS, include_in_schema=False)
    async def void(request: Request) -> Response:
        return await void_page(context, request)

    return routes
