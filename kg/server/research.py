"""The research page at ``/``: a query editor with the queries of ``queries/`` as examples,
results as a table linked to the resource pages, downloads as CSV and JSON. Plain HTML and one
small script from the package: it works without internet.

The queries folder is read on every request, so queries added while the server runs show up.
The network analysis is part of the page: ``/analysis/network.svg`` draws the network of
instruments, EU initiatives and organisations (once per build), and ``/analysis/path?from=A&to=B``
explains how two entities are connected, through which answers and passages. Both run in the
query workers, under the same time limit as queries. Files that ``kg analyse`` wrote to the
analysis folder are listed and served under ``/analysis/`` too.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.query.library import NamedQuery, parse_query_file
from kg.server.pool import AnalysisJob

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kg.server.app import Settings
    from kg.server.pool import QueryPool

PICTURE_SECONDS = 60.0  # drawing the network takes a few seconds; it is done once per build

ANALYSIS_SUFFIXES = {".html", ".svg", ".png", ".json", ".csv", ".md", ".txt", ".graphml", ".ttl"}


def example_queries(settings: Settings) -> list[NamedQuery]:
    examples = []
    for path in sorted(settings.queries_dir.glob("*.rq")):
        try:
            examples.append(parse_query_file(path))
        except Exception:  # one broken file must not take the page down
            continue
    return examples


def analysis_files(settings: Settings) -> list[str]:
    folder = settings.analysis_dir
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ANALYSIS_SUFFIXES
    )


def add_routes(app: FastAPI, settings: Settings, pool: QueryPool) -> None:
    import json

    from fastapi import Query
    from fastapi.responses import FileResponse, HTMLResponse, Response

    from kg.server.app import text_error
    from kg.server.rendering import render

    @app.get("/", include_in_schema=False)
    async def index():
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

    pictures: dict[str, bytes] = {}  # per build (the store link's target)

    @app.get("/analysis/network.svg", include_in_schema=False)
    async def network_picture():
        build = os.path.realpath(settings.store_path)
        body = pictures.get(build)
        if body is None:
            limit = max(settings.query_timeout, PICTURE_SECONDS)
            outcome = await pool.run(AnalysisJob("picture"), timeout=limit)
            if outcome.status != 200:
                return text_error(outcome.status, outcome.message)
            pictures.clear()
            body = pictures[build] = outcome.body
        return Response(body, media_type="image/svg+xml")

    @app.get("/analysis/path", include_in_schema=False)
    async def explain_path(
        source: str = Query(alias="from", min_length=1, max_length=500),
        target: str = Query(alias="to", min_length=1, max_length=500),
    ):
        outcome = await pool.run(AnalysisJob("path", source, target))
        if outcome.status != 200:
            return text_error(outcome.status, outcome.message)
        return Response(outcome.body, media_type="application/json")

    @app.get("/analysis/{name}", include_in_schema=False)
    async def analysis(name: str):
        if name not in analysis_files(settings):  # only listed files, never a path
            return text_error(404, f"no analysis file {name!r}")
        return FileResponse(settings.analysis_dir / name)
