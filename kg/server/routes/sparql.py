"""``/sparql``: the SPARQL 1.1 Protocol query operation, with the per-build answer cache; for a
browser that opened a ``/sparql?query=`` link, the answer as an HTML table (``results_page``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from kg.server import formats, i18n
from kg.server.cache import CacheKey, normalise_query
from kg.server.context import ServerContext
from kg.server.formats import OFFERS
from kg.server.negotiation import UnknownFormat, accept_for_format, prefers_html
from kg.server.protocol import ProtocolError, SparqlRequest, parse_request
from kg.server.query_job import QueryJob, run_query
from kg.server.responses import (
    READ_METHODS,
    cached_answer,
    cached_response,
    choose_formats,
    negotiated_formats,
    outcome_response,
    public_base,
    text_error,
)
from kg.server.results_page import results_page_job
from kg.server.service_description import service_description


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def results_page(context: ServerContext, request: Request, query: str) -> Response:
    """A query's answer as an HTML page, for a person who opened a /sparql?query= link: made in
    a worker (query, labels and rendering), never on the event loop."""
    page = i18n.page_context(request)
    job = QueryJob(
        query,
        {formats.TABULAR: "json", formats.BOOLEAN: "json", formats.GRAPH: "turtle"},
        max_rows=context.settings.max_rows,
        max_bytes=context.settings.max_result_bytes,
        base_iri=public_base(context.settings, request) + "/sparql",
        prefixes=context.settings.prefixes,
    )
    outcome = await context.run(request, results_page_job, job, page)
    if outcome.status != 200:
        return text_error(outcome.status, outcome.message)
    return i18n.remember(request, HTMLResponse(outcome.body))


async def answer_query(
    context: ServerContext, request: Request, operation: SparqlRequest
) -> Response:
    assert operation.query is not None
    settings, cache = context.settings, context.answers
    try:
        accept = accept_for_format(
            request.query_params.get("format"), request.headers.get("accept")
        )
    except UnknownFormat as err:
        return text_error(400, str(err))
    if prefers_html(accept, [o for offers in OFFERS.values() for o in offers]):
        return await results_page(context, request, operation.query)
    # Relative IRIs resolve against the endpoint (SPARQL 1.1 Protocol 2.1.4).
    base_iri = public_base(settings, request) + "/sparql"
    build = settings.build()
    key = CacheKey(
        normalise_query(operation.query),
        operation.default_graphs,
        operation.named_graphs,
        negotiated_formats(accept),
        base_iri,
    )
    answer = cache.get(build, key)  # a hit costs no query checking and no worker
    if answer is not None:
        return cached_response(answer)
    job = QueryJob(
        query=operation.query,
        formats=choose_formats(accept),
        default_graph=operation.default_graphs,
        named_graphs=operation.named_graphs,
        max_rows=settings.max_rows,
        max_bytes=settings.max_result_bytes,
        base_iri=base_iri,
        prefixes=settings.prefixes,
    )
    # The query is only read (checked, parsed) in the worker: never on the event loop.
    outcome = await context.run(request, run_query, job)
    if outcome.status != 200:
        return outcome_response(outcome)
    answer = cached_answer(outcome)
    # Only an answer from the build the key names (no swap in between) is kept; the response
    # sends the very body the cache keeps, so a hit and this miss share one copy.
    if cache.enabled and outcome.build == build:
        cache.put(build, key, answer)
    return cached_response(answer)


def router(context: ServerContext) -> APIRouter:
    limit = context.settings.max_request_bytes

    async def sparql(request: Request) -> Response:
        body = b""
        if request.method == "POST":
            read = await read_body(request, limit)
            if read is None:
                return text_error(413, f"the request is larger than {limit} bytes")
            body = read
        try:
            operation = parse_request(
                request.method,
                list(request.query_params.multi_items()),
                request.headers.get("content-type"),
                body,
            )
        except ProtocolError as err:
            return text_error(err.status, str(err))
        if operation.query is None:
            return service_description(context.settings, request)
        return await answer_query(context, request, operation)

    routes = APIRouter()
    for path in ("/sparql", "/sparql/"):
        routes.add_api_route(path, sparql, methods=[*READ_METHODS, "POST"], include_in_schema=False)
    return routes
