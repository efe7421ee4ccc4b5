"""The FastAPI application: ``create_app(store_path, ...)`` builds it, ``kg serve`` runs it.

Read-only by construction: the store is opened read-only in worker processes and only ever
queried. Every query is checked first (no updates, no SERVICE), runs under a time limit that
really stops it (see :mod:`kg.server.pool`), and returns at most ``max_rows`` rows. Requests
larger than ``max_request_bytes`` are refused. CORS allows any origin without credentials.
Errors are short plain-text messages; no stack trace ever leaves the server.
"""

import functools
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.project import Project
from kg.server import formats, negotiation
from kg.server.cache import (
    DEFAULT_CACHE_BYTES,
    CachedAnswer,
    CacheKey,
    ResultCache,
    build_identity,
    normalise_query,
)
from kg.server.pool import Outcome, QueryJob, QueryPool
from kg.server.protocol import ProtocolError, parse_request
from kg.server.query_check import RefusedQuery, inspect_query

if TYPE_CHECKING:
    from fastapi import FastAPI, Request, Response

DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_REQUEST_BYTES = 256 * 1024
PACKAGE_DIR = Path(__file__).resolve().parent
FORM_KINDS = {
    "SELECT": formats.TABULAR,
    "ASK": formats.BOOLEAN,
    "CONSTRUCT": formats.GRAPH,
    "DESCRIBE": formats.GRAPH,
}


@dataclass
class Settings:
    store_path: Path
    queries_dir: Path
    analysis_dir: Path
    export_dir: Path
    query_timeout: float = 10.0
    max_rows: int = DEFAULT_MAX_ROWS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    base_url: str | None = None
    workers: int = 2
    isolate_network: bool = True
    prefixes: dict[str, str] = field(default_factory=dict)
    cache_bytes: int = DEFAULT_CACHE_BYTES


def public_base(settings: "Settings", request: "Request") -> str:
    return (settings.base_url or str(request.base_url)).rstrip("/")


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> "Response":
    from fastapi.responses import PlainTextResponse

    return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)


def outcome_response(outcome: Outcome, offers: dict[str, tuple[str, str]] | None = None):
    """The HTTP answer for a finished job: the body with its media type, or the error."""
    from fastapi.responses import Response

    if outcome.status == 406:
        accepted = ", ".join(dict.fromkeys(formats.OFFERS[outcome.kind or formats.TABULAR]))
        return text_error(
            406, f"none of the accepted media types fits this result; offered: {accepted}"
        )
    if outcome.status != 200:
        return text_error(outcome.status, outcome.message)
    answer = cached_answer(outcome)
    return Response(answer.body, media_type=answer.media_type, headers=dict(answer.headers))


def cached_answer(outcome: Outcome) -> CachedAnswer:
    """What a successful outcome's HTTP answer consists of, as the cache keeps it."""
    media_type = next(
        answer for key, answer in formats.OFFERS[outcome.kind].values() if key == outcome.format
    )
    headers = [("Vary", "Accept")]
    if outcome.truncated:
        headers.append(
            ("X-Result-Truncated", f"only the first {outcome.count} results were returned")
        )
    return CachedAnswer(outcome.body, media_type, tuple(headers))


def cached_response(answer: CachedAnswer) -> "Response":
    from fastapi.responses import Response

    headers = dict(answer.headers)
    headers["X-Cache"] = "hit"
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def choose_formats(accept: str | None) -> dict[str, str]:
    """For each kind of result, the format the client prefers (kinds with none are left out)."""
    chosen = {}
    for kind, offers in formats.OFFERS.items():
        media_type = negotiation.choose(accept, list(offers))
        if media_type is not None:
            chosen[kind] = offers[media_type][0]
    return chosen


@functools.lru_cache(maxsize=256)
def negotiated_formats(accept: str | None) -> tuple[tuple[str, str], ...]:
    """``choose_formats`` as a hashable key, remembered per Accept header (cheap cache hits)."""
    return tuple(sorted(choose_formats(accept).items()))


def create_app(
    store_path: Path | str | None = None,
    *,
    query_timeout: float = 10.0,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
    base_url: str | None = None,
    workers: int | None = None,
    queries_dir: Path | str | None = None,
    analysis_dir: Path | str | None = None,
    export_dir: Path | str | None = None,
    isolate_network: bool = True,
    cache_bytes: int = DEFAULT_CACHE_BYTES,
) -> "FastAPI":
    from fastapi import FastAPI, Request
    from fastapi.middleware.cors import CORSMiddleware
    from fastapi.responses import JSONResponse, RedirectResponse
    from fastapi.staticfiles import StaticFiles

    from kg.errors import StoreError
    from kg.rdf.namespaces import PREFIXES
    from kg.server import catalog, linked_data, research
    from kg.server.service_description import service_description

    # A location not given is the project's (found from the current folder or KG_PROJECT).
    if None in (store_path, queries_dir, analysis_dir, export_dir):
        project = Project.find()
        store_path = store_path or project.store
        queries_dir = queries_dir or project.queries
        analysis_dir = analysis_dir or project.analysis
        export_dir = export_dir or project.out
    store_path = Path(store_path)
    if not store_path.exists():
        raise StoreError(f"{store_path}: no store found; run 'kg build' first")
    settings = Settings(
        store_path=store_path,
        query_timeout=query_timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        base_url=base_url,
        workers=workers or max(2, min(4, os.cpu_count() or 2)),
        queries_dir=Path(queries_dir),
        analysis_dir=Path(analysis_dir),
        export_dir=Path(export_dir),
        isolate_network=isolate_network,
        cache_bytes=cache_bytes,
        # Vocabulary prefixes for Turtle; not id:, whose local names would need escaping.
        prefixes={p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "celex")},
    )
    pool = QueryPool(store_path, settings.workers, query_timeout, isolate_network=isolate_network)
    cache = ResultCache(cache_bytes)

    @asynccontextmanager
    async def lifespan(app: "FastAPI") -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="AI-beleid knowledge graph",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.pool = pool
    app.state.cache = cache
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Result-Truncated", "X-Cache", "Content-Type"],
        max_age=86400,
    )

    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_request_bytes):
            return text_error(413, f"the request is larger than {max_request_bytes} bytes")
        if len(request.url.query) > max_request_bytes:
            return text_error(414, f"the URL is longer than {max_request_bytes} bytes")
        try:
            response = await call_next(request)
        except Exception:  # the last guard: a message, never a traceback
            return text_error(500, "internal error")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.exception_handler(negotiation.NotAcceptable)
    async def not_acceptable(request: Request, exc: negotiation.NotAcceptable):
        return text_error(406, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        return text_error(500, "internal error")

    async def read_body(request: Request) -> bytes | None:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_request_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def sparql(request: Request):
        body = b""
        if request.method == "POST":
            read = await read_body(request)
            if read is None:
                return text_error(413, f"the request is larger than {max_request_bytes} bytes")
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
        accept = request.headers.get("accept")
        if operation.query is None:
            return await service_description(request, settings, accept)
        # Relative IRIs resolve against the endpoint (SPARQL 1.1 Protocol 2.1.4).
        base_iri = public_base(settings, request) + "/sparql"
        key = None
        if cache.enabled:  # a hit costs no query parsing and no worker
            key = CacheKey(
                build_identity(store_path),
                normalise_query(operation.query),
                operation.default_graphs,
                operation.named_graphs,
                negotiated_formats(accept),
                base_iri,
            )
            answer = cache.get(key)
            if answer is not None:
                return cached_response(answer)
        try:
            info = inspect_query(operation.query)
        except RefusedQuery as err:
            return text_error(err.status, str(err))
        chosen = choose_formats(accept)
        kind = FORM_KINDS.get(info.form or "")
        if kind is not None and kind not in chosen:  # answer 406 before running anything
            return outcome_response(Outcome(406, kind=kind))
        job = QueryJob(
            query=operation.query,
            formats=chosen,
            default_graph=operation.default_graphs,
            named_graphs=operation.named_graphs,
            # FROM / FROM NAMED in the query pick stored graphs; otherwise the union.
            union_default_graph=not info.has_dataset_clause,
            max_rows=max_rows,
            base_iri=base_iri,
            prefixes=settings.prefixes,
        )
        outcome = await pool.run(job)
        response = outcome_response(outcome)
        if key is not None and outcome.status == 200:
            # Only an answer from the build the key names (no swap in between) is kept.
            if outcome.build == key.build:
                cache.put(key, cached_answer(outcome))
            response.headers["X-Cache"] = "miss"
        return response

    for path in ("/sparql", "/sparql/"):
        app.add_api_route(path, sparql, methods=["GET", "POST"], include_in_schema=False)

    @app.get("/health", include_in_schema=False)
    async def health():
        outcome = await pool.run(
            QueryJob(query="ASK { ?s ?p ?o }", formats={formats.BOOLEAN: "json"}), timeout=5.0
        )
        ok = outcome.status == 200
        return JSONResponse(
            {
                "status": "ok" if ok else "unavailable",
                "store": str(store_path),
                "workers": pool.size,
                "workers_replaced": pool.replaced,
                "query_timeout_seconds": query_timeout,
                "max_rows": max_rows,
                "network_isolated_workers": pool.network_isolated,
                "cache": {
                    "max_bytes": cache.max_bytes,
                    "bytes": cache.bytes,
                    "entries": len(cache),
                    "hits": cache.hits,
                    "misses": cache.misses,
                },
            },
            status_code=200 if ok else 503,
        )

    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    linked_data.add_routes(app, settings, pool)
    research.add_routes(app, settings, pool)
    catalog.add_routes(app, settings)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return RedirectResponse("/static/favicon.svg", status_code=301)

    return app
