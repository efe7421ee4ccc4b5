"""``/search?q=``: one box on every page that finds entities, documents, questions, answers and
commitments by name and by the words of their text (``kg.pipeline.search``). A browser gets a
page of results with their kind and a snippet; a script (``Accept: application/json`` or
``format=json``) gets the same as JSON, which the pages' autocompletion asks for too.

Parameters: ``q`` (at most 200 characters), ``kind`` (comma-separated kinds, e.g.
``instrument,eu``), ``limit`` (1-100, default 20), ``lang`` (nl or en; labels and kinds in it).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kg.pipeline.search import Hit, SearchError, SearchIndex, snippet
from kg.pipeline.search_index import KIND_NAMES
from kg.server import i18n, negotiation
from kg.server.context import ServerContext
from kg.server.finder import NoIndex, finder
from kg.server.rendering import render
from kg.server.resource_page import local_href
from kg.server.responses import READ_METHODS, text_error

DEFAULT_LIMIT = 20
PAGE_OFFERS = ["text/html", "application/json"]


def result(index: SearchIndex, hit: Hit, lang: str, texts: dict[str, str]) -> dict:
    """One hit as the page and the JSON show it."""
    item = hit.entry
    label = index.label(item, lang)
    found = {
        "iri": item["iri"],
        "href": local_href(item["iri"]),
        "label": label,
        "kind": item["kind"],
        "kindLabel": texts.get(f"kind_{item['kind']}", item["kind"]),
        "type": item.get("type", ""),
        "typeLabel": index.type_label(item, lang),
        "score": round(hit.score, 1),
        "field": hit.field,
        # Another name it was found by (a word of the text shows in the snippet instead).
        "matched": hit.matched
        if hit.field not in ("label", "text") or (hit.field == "label" and hit.matched != label)
        else "",
    }
    if item.get("date"):
        found["date"] = item["date"]
    if hit.field == "text":
        found["snippet"] = snippet(item.get("text", ""), hit.matched)
    elif item.get("text"):
        found["snippet"] = snippet(item["text"], "")
    document = item.get("document")
    if document:
        parent = index.by_iri.get(document)
        found["document"] = {
            "iri": document,
            "href": local_href(document),
            "label": index.label(parent, lang) if parent else document.rsplit("/", 1)[-1],
        }
    return found


def _kinds(value: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in value.split(",") if k.strip())


def _wants_json(request: Request) -> bool:
    chosen = request.query_params.get("format", "")
    if chosen:
        return chosen == "json"
    accept = request.headers.get("accept")
    return negotiation.require(accept, PAGE_OFFERS) == "application/json"


async def search(context: ServerContext, request: Request) -> Response:
    params = request.query_params
    chosen = params.get("format", "")
    if chosen not in ("", "json", "html"):
        return text_error(400, f"unknown format {chosen!r}; give format=json or format=html")
    query = params.get("q", "")
    kinds = _kinds(params.get("kind", ""))
    try:
        limit = int(params.get("limit", DEFAULT_LIMIT))
    except ValueError:
        return text_error(400, "limit must be a whole number between 1 and 100")
    try:
        index = await finder(context.settings).index()
        hits = index.search(query, limit, kinds)
    except SearchError as err:
        return text_error(400, str(err))
    except NoIndex as err:
        return text_error(503, str(err))
    page = i18n.page_context(request)
    results = [result(index, hit, page["lang"], page["t"]) for hit in hits]
    if _wants_json(request):
        body = {"query": query, "kinds": list(kinds), "lang": page["lang"], "results": results}
        return i18n.remember(request, JSONResponse(body))
    html = render(
        "search.html",
        title=f"{page['t']['search']}: {query}" if query else page["t"]["search"],
        query=query,
        kinds=kinds,
        kind_names=KIND_NAMES,
        results=results,
        limit=limit,
        **page,
    )
    return i18n.remember(request, HTMLResponse(html))


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/search", methods=READ_METHODS, include_in_schema=False)
    async def search_page(request: Request) -> Response:
        return await search(context, request)

    return routes
