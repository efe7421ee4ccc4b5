"""``/documents`` and ``/index/{name}``: every document, and every instrument, EU initiative,
international instrument, organisation or person, as tables that sort by any column
(``sort=``, ``order=asc|desc``) and filter by name (``q=``) and by the values of their columns
(``kind=``, ``signer=``, ``type=``, ``level=``, ``status=``, ... each an IRI), with counts of
each value. Rows are computed once per build and language (``kg.server.index_pages``)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from kg.server import i18n
from kg.server.context import ServerContext
from kg.server.index_pages import INDEXES, cached_rows, facets, matches, sort_rows
from kg.server.rendering import render
from kg.server.research_api import ResearchError
from kg.server.responses import READ_METHODS, text_error

DOCUMENT_SORTS = ("date", "kind", "signer", "identifier", "label", "questions", "answers",
                  "commitments")  # fmt: skip
SORT_FIELD = {"kind": "kind_label", "signer": "signer_label"}
MAX_FILTER = 200


class BadRequest(Exception):
    pass


def _order(request: Request, allowed: tuple[str, ...], default: str) -> tuple[str, bool]:
    sort = request.query_params.get("sort", default)
    if sort not in allowed:
        raise BadRequest(f"cannot sort by {sort!r}; give sort= one of: {', '.join(allowed)}")
    order = request.query_params.get("order", "desc" if sort == "date" else "asc")
    if order not in ("asc", "desc"):
        raise BadRequest(f"order must be asc or desc, not {order!r}")
    return sort, order == "desc"


def _words(request: Request) -> str:
    words = request.query_params.get("q", "")
    if len(words) > MAX_FILTER:
        raise BadRequest(f"the filter is longer than {MAX_FILTER} characters")
    return words


def link(request: Request, **changes: str) -> str:
    """This page's URL with some parameters changed (an empty value removes one)."""
    params = dict(request.query_params)
    params.update(changes)
    return f"{request.url.path}?{urlencode({k: v for k, v in params.items() if v})}"


def document_facets(rows: list[dict]) -> dict[str, list[dict]]:
    kinds: dict[str, dict] = {}
    signers: dict[str, dict] = {}
    for row in rows:
        kind = kinds.setdefault(row["kind"] or row["class"],
                                {"iri": row["kind"] or row["class"], "label": row["kind_label"],
                                 "count": 0})  # fmt: skip
        kind["count"] += 1
        for signer in row["signers"]:
            signers.setdefault(signer["iri"], {**signer, "count": 0})["count"] += 1
    order = lambda values: sorted(values, key=lambda v: (-v["count"], v["label"]))  # noqa: E731
    return {"kind": order(kinds.values()), "signer": order(signers.values())}


async def documents_page(context: ServerContext, request: Request) -> Response:
    page = i18n.page_context(request)
    sort, descending = _order(request, DOCUMENT_SORTS, "date")
    words = _words(request)
    rows = await cached_rows(context, request, "documents", page["lang"])
    kind, signer = request.query_params.get("kind", ""), request.query_params.get("signer", "")
    shown = [
        r for r in rows
        if matches(r, words) and (not kind or kind in (r["kind"], r["class"]))
        and (not signer or signer in [s["iri"] for s in r["signers"]])
    ]  # fmt: skip
    shown = sort_rows(shown, SORT_FIELD.get(sort, sort), descending)
    html = render(
        "documents.html", title=page["t"]["documents_title"], rows=shown, total=len(rows),
        facets=document_facets(rows), chosen={"kind": kind, "signer": signer}, words=words,
        sort=sort, descending=descending, sorts=DOCUMENT_SORTS, link=lambda **c: link(request, **c),
        **page,
    )  # fmt: skip
    return i18n.remember(request, HTMLResponse(html))


async def entity_index_page(context: ServerContext, request: Request, name: str) -> Response:
    index = INDEXES.get(name)
    if index is None:
        return text_error(404, f"no index {name!r}; known: {', '.join(INDEXES)}")
    page = i18n.page_context(request)
    columns = [c.name for c in index.columns]
    counts = [c.name for c in index.counts]
    sort, descending = _order(request, ("label", *columns, *counts), "label")
    words = _words(request)
    rows = await cached_rows(context, request, name, page["lang"])
    chosen = {c: request.query_params.get(c, "") for c in columns}
    shown = [
        r for r in rows
        if matches(r, words)
        and all(not v or v in [cell["iri"] for cell in r["cells"][c]] for c, v in chosen.items())
    ]  # fmt: skip
    shown = sort_rows(shown, sort, descending)
    html = render(
        "index_page.html", title=page["t"][f"index_{name}"], name=name, rows=shown,
        total=len(rows), columns=columns, counts=counts, facets=facets(rows, columns),
        chosen=chosen, words=words, sort=sort, descending=descending,
        link=lambda **c: link(request, **c), **page,
    )  # fmt: skip
    return i18n.remember(request, HTMLResponse(html))


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/documents", methods=READ_METHODS, include_in_schema=False)
    async def documents(request: Request) -> Response:
        try:
            return await documents_page(context, request)
        except BadRequest as err:
            return text_error(400, str(err))
        except ResearchError as err:
            return text_error(err.status, str(err))

    @routes.api_route("/index/{name}", methods=READ_METHODS, include_in_schema=False)
    async def entity_index(request: Request, name: str) -> Response:
        try:
            return await entity_index_page(context, request, name)
        except BadRequest as err:
            return text_error(400, str(err))
        except ResearchError as err:
            return text_error(err.status, str(err))

    return routes
