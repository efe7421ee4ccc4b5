"""``/health``: whether a worker answers, and the server's limits and counters, as JSON."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kg.server import formats
from kg.server.context import ServerContext
from kg.server.queries import QueryJob, run_query

HEALTH_SECONDS = 5.0
PROBE = QueryJob(query="ASK { ?s ?p ?o }", formats={formats.BOOLEAN: "json"})


def router(context: ServerContext) -> APIRouter:
    settings, pool = context.settings, context.pool
    routes = APIRouter()

    @routes.get("/health", include_in_schema=False)
    async def health() -> JSONResponse:
        outcome = await pool.run(run_query, PROBE, timeout=HEALTH_SECONDS)
        ok = outcome.status == 200
        body = {
            "status": "ok" if ok else "unavailable",
            "store": str(settings.store_path),
            "workers": pool.size,
            "workers_replaced": pool.replaced,
            "query_timeout_seconds": settings.query_timeout,
            "max_rows": settings.max_rows,
            "network_isolated_workers": pool.network_isolated,
            "cache": context.answers.stats(),
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    return routes
