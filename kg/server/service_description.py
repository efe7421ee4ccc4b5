"""The SPARQL 1.1 Service Description, answered on GET /sparql without a query."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, VOID

from kg.rdf.namespaces import DATASET, SD
from kg.server import formats, i18n, negotiation
from kg.server.rendering import render
from kg.server.responses import public_base, text_error
from kg.server.settings import Settings

FORMATS_NS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
)
COMMENT = (
    "Read-only. The default graph is the union of all named graphs. SERVICE and SPARQL Update "
    "are refused; FROM and FROM NAMED only select stored graphs."
)


def describe_service(endpoint: str) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, URIRef(FORMATS_NS + name)))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, service))
    g.add((dataset, URIRef(str(VOID) + "inDataset"), DATASET))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((service, RDFS.comment, Literal(COMMENT, lang="en")))
    return g


def service_description(settings: Settings, request: Request) -> Response:
    offers = formats.OFFERS[formats.GRAPH]
    try:
        accept = negotiation.accept_for_format(
            request.query_params.get("format"), request.headers.get("accept")
        )
    except negotiation.UnknownFormat as err:
        return text_error(400, str(err))
    choice = negotiation.choose(accept, [*offers, "text/html"])
    if choice == "text/html":  # a person with a browser: the description as a page
        return service_page(settings, request)
    if choice is None:
        return text_error(406, "the service description is offered as " + ", ".join(offers))
    fmt, media_type = offers[choice]
    graph = describe_service(public_base(settings, request) + "/sparql")
    body = graph.serialize(format=formats.RDFLIB_FORMATS[fmt], encoding="utf-8")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def service_page(settings: Settings, request: Request) -> Response:
    page = i18n.page_context(request)
    endpoint = public_base(settings, request) + "/sparql"
    html = render(
        "service.html",
        title=page["t"]["service_title"],
        endpoint=endpoint,
        formats=RESULT_FORMATS,
        max_rows=settings.max_rows,
        timeout=settings.query_timeout,
        **page,
    )
    return i18n.remember(request, HTMLResponse(html))
