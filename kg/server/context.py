"""What every route works with: the settings, the worker pool, the per-client limits and the
caches; ``run`` is how a route gets a job done in a worker on behalf of a client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from kg.server.cache import BuildCache
from kg.server.fairness import ClientLimiter
from kg.server.pool import WorkerPool
from kg.server.sending import SendBudget
from kg.server.settings import MIB, Settings
from kg.server.worker import Outcome


@dataclass
class ServerContext:
    settings: Settings
    pool: WorkerPool
    limiter: ClientLimiter
    answers: BuildCache  # SPARQL answers (--cache-size)
    pages: BuildCache  # pages derived from the data: ontology, VoID, network picture
    sending: SendBudget  # answer bodies being sent to clients (--max-send-memory)

    @classmethod
    def create(cls, settings: Settings) -> ServerContext:
        pool = WorkerPool(
            settings.store_path,
            settings.worker_count,
            settings.query_timeout,
            isolate_network=settings.isolate_network,
            max_memory=settings.max_memory_mib * MIB if settings.max_memory_mib else None,
            max_total_memory=(
                settings.max_total_memory_mib * MIB if settings.max_total_memory_mib else None
            ),
        )
        limiter = ClientLimiter(
            settings.client_queries, settings.client_queue, wait=settings.query_timeout
        )
        return cls(
            settings,
            pool,
            limiter,
            BuildCache(settings.cache_bytes),
            BuildCache(settings.page_cache_bytes),
            SendBudget(settings.max_send_memory_mib * MIB, settings.client_send_mib * MIB),
        )

    async def run(
        self,
        request: Request,
        function: Callable[..., Outcome],
        *args: object,
        timeout: float | None = None,
    ) -> Outcome:
        """``function(store, *args)`` in a worker, counted against the client's limits; raises
        ``TooManyRequests`` when the client already has too much waiting."""
        client = request.client.host if request.client else "unknown"
        await self.limiter.acquire(client)
        return await self.pool.run(
            function, *args, timeout=timeout, on_finish=lambda: self.limiter.release(client)
        )
