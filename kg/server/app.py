"""The FastAPI application: ``create_app(settings)`` assembles it, ``kg serve`` runs it.

Read-only by construction: the store is opened read-only in worker processes and only ever
queried. Every query is checked first (no updates, no SERVICE), runs under a time limit that
really stops it (see :mod:`kg.server.pool`), and returns at most ``max_rows`` rows. Requests
larger than ``max_request_bytes`` are refused. CORS allows any origin without credentials.
Errors are short plain-text messages; no stack trace ever leaves the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kg.errors import StoreError
from kg.server.context import ServerContext
from kg.server.middleware import add_middleware
from kg.server.routes import (
    analysis,
    cases,
    catalog,
    commitments,
    editor,
    health,
    indexes,
    linked_data,
    research,
    search,
    sparql,
)
from kg.server.sending import map_large_allocations
from kg.server.settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Routes match in order: the dataset's record (in catalog) before the generic /doc/{path} page.
ROUTES = (
    sparql, health, catalog, linked_data, research, analysis, commitments, cases, search, indexes,
    editor,
)  # fmt: skip


def create_app(settings: Settings) -> FastAPI:
    if not Path(settings.store_path).exists():
        raise StoreError(f"{settings.store_path}: no store found; run 'kg build' first")
    context = ServerContext.create(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        map_large_allocations()  # answers are freed back to the system, not kept by malloc
        await context.pool.start()
        try:
            yield
        finally:
            context.pool.close()

    app = FastAPI(
        title="AI-beleid knowledge graph",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.context = context
    add_middleware(app, settings, context.sending)
    for module in ROUTES:
        app.include_router(module.router(context))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
