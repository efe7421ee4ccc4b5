"""The research page at ``/``: a query editor with the queries of ``queries/`` as examples,
results as a table linked to the resource pages, downloads as CSV and JSON. Plain HTML and one
small script from the package: it works without internet.

The queries folder is read on every request, so queries added while the server runs show up.
"""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from kg.query.library import NamedQuery, parse_query_file
from kg.server.context import ServerContext
from kg.server.rendering import render
from kg.server.responses import READ_METHODS
from kg.server.routes.analysis import analysis_files
from kg.server.settings import Settings


def example_queries(settings: Settings) -> list[NamedQuery]:
    examples = []
    for path in sorted(settings.queries_dir.glob("*.rq")):
        try:
            examples.append(parse_query_file(path))
        except Exception:  # one broken file must not take the page down
            continue
    return examples


def router(context: ServerContext) -> APIRouter:
    settings = context.settings
    routes = APIRouter()

    @routes.api_route("/", methods=READ_METHODS, include_in_schema=False)
    async def index() -> HTMLResponse:
        examples = example_queries(settings)
        payload = [
            {"name": q.name, "summary": q.summary, "query": q.text_with_defaults()}
            for q in examples
        ]
        html = render(
            "index.html",
            title="AI-beleid kennisgraaf — SPARQL",
            examples=examples,
            examples_json=json.dumps(payload, ensure_ascii=False).replace("</", "<\\/"),
            analysis=analysis_files(settings),
            max_rows=settings.max_rows,
            timeout=settings.query_timeout,
        )
        return HTMLResponse(html)

    @routes.api_route("/favicon.ico", methods=READ_METHODS, include_in_schema=False)
    async def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    return routes
