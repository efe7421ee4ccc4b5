"""The network analysis on the research page: ``/analysis/network.svg`` draws the network of
instruments, EU initiatives and organisations (once per build, kept in the page cache), and
``/analysis/path?from=A&to=B`` explains how two entities are connected, through which answers
and passages. Both run in the query workers, under the same time limit as queries. Files that
``kg analyse`` wrote to the analysis folder are listed and served under ``/analysis/`` too.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse

from kg.analysis import (
    PROJECTIONS,
)
from kg.analysis.drawing import DEFAULT_LIMIT, KIND_COLOURS
from kg.server.analysis_files import analysis_files
from kg.server.cache import CachedAnswer
from kg.server.context import ServerContext
from kg.server.jobs import path_job, picture_job
from kg.server.responses import READ_METHODS, text_error

# Laying out and separating the labels grows fast with the nodes: on a 300-document store
# (2 cores) 100 nodes took 2-5 s to draw, 150 up to 9 s, 200 up to 31 s and 400 up to 26 s
# (measured per projection). Up to 100 the drawing fits the query time limit it runs under,
# like any query.
MAX_NODES = 100


async def picture(
    context: ServerContext, request: Request, projection: str, top: int, kind: str
) -> Response:
    """One projection as SVG, drawn in a worker once per build and kept with the build."""
    settings = context.settings
    kinds = tuple(sorted({k for k in kind.split(",") if k}))
    unknown = [k for k in kinds if k not in KIND_COLOURS]
    if unknown:
        known = ", ".join(KIND_COLOURS)
        return text_error(400, f"unknown kind {unknown[0]!r}; known: {known}")
    build, key = settings.build(), ("picture", projection, top, kinds)
    cached = context.pages.get(build, key)
    if cached is None:
        outcome = await context.run(request, picture_job, projection, top, kinds)
        if outcome.status != 200:
            return text_error(outcome.status, outcome.message)
        cached = CachedAnswer(outcome.body, "image/svg+xml")
        if outcome.build == build:
            context.pages.put(build, key, cached)
    return Response(cached.body, media_type=cached.media_type)


def router(context: ServerContext) -> APIRouter:
    settings = context.settings
    routes = APIRouter()

    @routes.api_route("/analysis/network.svg", methods=READ_METHODS, include_in_schema=False)
    async def network_picture(
        request: Request,
        top: int = Query(DEFAULT_LIMIT, ge=2, le=MAX_NODES),
        kind: str = Query("", max_length=80),
    ) -> Response:
        return await picture(context, request, "entity-network", top, kind)

    @routes.api_route("/analysis/{projection}.svg", methods=READ_METHODS, include_in_schema=False)
    async def projection_picture(
        request: Request,
        projection: str,
        top: int = Query(DEFAULT_LIMIT, ge=2, le=MAX_NODES),
        kind: str = Query("", max_length=80),
    ) -> Response:
        if projection not in PROJECTIONS:
            if f"{projection}.svg" in analysis_files(settings):
                return FileResponse(settings.analysis_dir / f"{projection}.svg")
            return text_error(404, f"no projection {projection!r}; known: {', '.join(PROJECTIONS)}")
        return await picture(context, request, projection, top, kind)

    @routes.api_route("/analysis/path", methods=READ_METHODS, include_in_schema=False)
    async def connection(
        request: Request,
        source: str = Query(alias="from", min_length=1, max_length=500),
        target: str = Query(alias="to", min_length=1, max_length=500),
    ) -> Response:
        outcome = await context.run(request, path_job, source, target)
        if outcome.status != 200:
            return text_error(outcome.status, outcome.message)
        return Response(outcome.body, media_type="application/json")

    @routes.api_route("/analysis/{name}", methods=READ_METHODS, include_in_schema=False)
    async def analysis(name: str) -> Response:
        if name not in analysis_files(settings):  # only listed files, never a path
            return text_error(404, f"no analysis file {name!r}")
        return FileResponse(settings.analysis_dir / name)

    return routes
