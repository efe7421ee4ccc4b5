"""The network analysis on the research page: ``/analysis/network.svg`` draws the network of
instruments, EU initiatives and organisations (once per build, kept in the page cache), and
``/analysis/path?from=A&to=B`` explains how two entities are connected, through which answers
and passages. Both run in the query workers, under the same time limit as queries. Files that
``kg analyse`` wrote to the analysis folder are listed and served under ``/analysis/`` too.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse

from kg.analysis import (
    PROJECTIONS,
    PathNotInNetwork,
    explain_path,
    format_path,
    load_networks,
    resolve_entity,
)
from kg.analysis.drawing import DEFAULT_LIMIT, KIND_COLOURS, TITLES, draw_network
from kg.errors import AnalysisError
from kg.server.cache import CachedAnswer
from kg.server.context import ServerContext
from kg.server.pool import Outcome
from kg.server.resource_page import local_href
from kg.server.responses import READ_METHODS, text_error
from kg.server.settings import Settings
from kg.store import graph_store

MAX_NODES = 400  # a larger picture is no longer readable, and costs minutes to lay out
PICTURE_SECONDS = 60.0  # drawing the network takes a few seconds; it is done once per build
ANALYSIS_SUFFIXES = {".html", ".svg", ".png", ".json", ".csv", ".md", ".txt", ".graphml", ".ttl"}


def analysis_files(settings: Settings) -> list[str]:
    folder = settings.analysis_dir
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ANALYSIS_SUFFIXES
    )


def picture_job(
    store: ox.Store, projection: str, limit: int, kinds: tuple[str, ...] = ()
) -> Outcome:
    """One projection of the network as SVG (in a worker), its nodes linked to their pages;
    given ``kinds``, only nodes of those kinds (instrument, eu, organisation, answer)."""
    graph = load_networks(graph_store(store)).projections()[projection]
    if kinds:  # a copy, not a subgraph view: a view's node order follows the hash seed
        graph = graph.copy()
        graph.remove_nodes_from(
            [n for n, d in graph.nodes(data=True) if d.get("kind") not in kinds]
        )
    with tempfile.TemporaryDirectory() as folder:
        stem = Path(folder) / projection
        draw_network(graph, stem, TITLES[projection], link=local_href, limit=limit)
        body = stem.with_suffix(".svg").read_bytes()
    return Outcome(200, body, format="svg")


def path_job(store: ox.Store, source_name: str, target_name: str) -> Outcome:
    """How two entities are connected, as JSON (in a worker)."""
    store = graph_store(store)
    try:
        source, target = resolve_entity(store, source_name), resolve_entity(store, target_name)
        steps = explain_path(load_networks(store), source, target)
    except AnalysisError as err:
        return Outcome(400, message=str(err))
    except ValueError as err:  # an IRI Oxigraph does not accept
        return Outcome(
            400, message=f"not a valid IRI in from={source_name!r} or to={target_name!r}: {err}"
        )
    except PathNotInNetwork as err:
        return Outcome(404, message=str(err))
    if steps is None:
        return Outcome(404, message=f"{source_name} and {target_name} are not connected")
    payload = {
        "source": source,
        "target": target,
        "text": format_path(steps, source_name, target_name),
        "steps": [
            {
                "source": step.source,
                "target": step.target,
                "sourceLabel": step.source_label,
                "targetLabel": step.target_label,
                "relation": step.relation,
                "passages": [
                    {"document": p.document, "answer": p.answer, "line": p.line, "text": p.text}
                    for p in step.passages
                ],
            }
            for step in steps
        ],
    }
    return Outcome(200, json.dumps(payload, ensure_ascii=False).encode("utf-8"), format="json")


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
        limit = max(settings.query_timeout, PICTURE_SECONDS)
        outcome = await context.run(request, picture_job, projection, top, kinds, timeout=limit)
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
