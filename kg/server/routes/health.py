"""``/health``: whether a worker answers, and the server's limits and counters, as JSON.

It never queues behind queries: when no worker is free within 0.2 s it says so (200, "busy")
instead of waiting; otherwise a free worker answers a trivial ASK."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kg.server import formats
from kg.server.context import ServerContext
from kg.server.pool import BUSY
from kg.server.query_job import QueryJob, run_query

PROBE_SECONDS = 5.0  # a trivial ASK; only a stuck worker takes this long
WAIT_SECONDS = 0.2
PROBE = QueryJob(query="ASK { ?s ?p ?o }", formats={formats.BOOLEAN: "json"})


def router(context: ServerContext) -> APIRouter:
    settings, pool = context.settings, context.pool
    routes = APIRouter()

    @routes.api_route("/health", methods=["GET", "HEAD"], include_in_schema=False)
    async def health() -> JSONResponse:
        outcome = await pool.run(run_query, PROBE, timeout=PROBE_SECONDS, wait=WAIT_SECONDS)
        if outcome.status == 200:
            status = "ok"
        else:
            status = "busy" if outcome.message == BUSY else "unavailable"
        body = {
            "status": status,
            "workers": pool.size,
            "workers_idle": pool.idle,
            "workers_replaced": pool.replaced,
            "query_timeout_seconds": settings.query_timeout,
            "max_rows": settings.max_rows,
            "network_isolated_workers": pool.network_isolated,
            "clients_refused": context.limiter.refused,
            "cache": context.answers.stats(),
            "sending": context.sending.stats(),
        }
        return JSONResponse(body, status_code=503 if status == "unavailable" else 200)

    return routes
