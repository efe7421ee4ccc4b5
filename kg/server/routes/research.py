"""The research page at ``/``: a query editor with the queries of ``queries/`` as examples,
results as a table of labels linked to the resource pages, downloads as CSV and JSON, a schema
panel and query help. Plain HTML and scripts from the package: it works without internet.

Also what the page's script asks for: ``/api/labels`` (labels of the IRIs in a result),
``/api/schema`` (classes, instance counts, properties) and ``/api/check`` (prefixes a query
lacks, terms the ontology does not define).

The queries folder is read on every request, so queries added while the server runs show up.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from kg.server import i18n
from kg.server.analysis_files import analysis_files
from kg.server.context import ServerContext
from kg.server.examples import editor_installed, example_payload, example_queries, for_editor
from kg.server.finder import NoIndex, finder
from kg.server.query_help import ENGLISH, known_prefixes, query_help_job
from kg.server.rendering import render
from kg.server.research_api import ResearchError, labels, schema
from kg.server.responses import READ_METHODS, public_base, text_error

MAX_JSON_BODY = 256 * 1024


def _json_block(value: object) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


async def index_page(context: ServerContext, request: Request) -> Response:
    settings = context.settings
    page = i18n.page_context(request)
    examples = example_queries(settings)
    try:
        index = await finder(settings).index()
    except NoIndex:
        index = None  # the examples' fields then show IRIs; the search says why
    payload = [
        example_payload(q, for_editor(q.text_with_defaults()), page["lang"], index)
        for q in examples
    ]
    chosen = request.query_params.get("query", "")
    html = render(
        "index.html",
        title=page["t"]["brand"] + " — SPARQL",
        examples=payload,
        editor=editor_installed(),
        examples_json=_json_block(payload),
        prefixes_json=_json_block(known_prefixes()),
        texts_json=_json_block(page["t"]),
        initial_query=chosen,
        analysis=analysis_files(settings),
        max_rows=settings.max_rows,
        timeout=settings.query_timeout,
        endpoint=public_base(settings, request) + "/sparql",
        **page,
    )
    return i18n.remember(request, HTMLResponse(html))


async def read_json(request: Request) -> dict:
    body = await request.body()
    if len(body) > MAX_JSON_BODY:
        raise ResearchError(413, f"the request is larger than {MAX_JSON_BODY} bytes")
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise ResearchError(400, "the body is not JSON") from None
    except RecursionError:  # Python's decoder stops at its recursion limit, in C
        raise ResearchError(
            400, "the JSON nests too deeply; these APIs take a flat object"
        ) from None
    if not isinstance(data, dict):
        raise ResearchError(400, "the body must be a JSON object")
    return data


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/", methods=READ_METHODS, include_in_schema=False)
    async def index(request: Request) -> Response:
        return await index_page(context, request)

    @routes.post("/api/labels", include_in_schema=False)
    async def label_lookup(request: Request) -> Response:
        try:
            data = await read_json(request)
            iris = [i for i in data.get("iris", []) if isinstance(i, str)]
            lang = i18n.supported(data.get("lang")) or i18n.DEFAULT
            return JSONResponse(await labels(context, request, iris, lang))
        except ResearchError as err:
            return text_error(err.status, str(err))

    @routes.api_route("/api/schema", methods=READ_METHODS, include_in_schema=False)
    async def schema_lookup(request: Request) -> Response:
        try:
            return Response(await schema(context, request), media_type="application/json")
        except ResearchError as err:
            return text_error(err.status, str(err))

    @routes.post("/api/check", include_in_schema=False)
    async def query_check(request: Request) -> Response:
        try:
            data = await read_json(request)
            known = set(json.loads(await schema(context, request))["terms"])
        except ResearchError as err:
            return text_error(err.status, str(err))
        query = data.get("query")
        if not isinstance(query, str):
            return text_error(400, 'give the query as {"query": "..."}')
        lang = i18n.supported(data.get("lang")) or i18n.language(request)
        texts = {key: i18n.texts(lang)[key] for key in ENGLISH}
        # Read in a query worker, as every query is: never on the event loop.
        outcome = await context.run(request, query_help_job, query, frozenset(known), texts)
        if outcome.status != 200:
            return text_error(outcome.status, outcome.message)
        return Response(outcome.body, media_type="application/json")

    @routes.api_route("/favicon.ico", methods=READ_METHODS, include_in_schema=False)
    async def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    return routes
