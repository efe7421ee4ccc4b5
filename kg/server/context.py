"""What every route works with: the settings, the worker pool and the caches."""

from __future__ import annotations

from dataclasses import dataclass

from kg.server.cache import BuildCache
from kg.server.pool import WorkerPool
from kg.server.settings import Settings


@dataclass
class ServerContext:
    settings: Settings
    pool: WorkerPool
    answers: BuildCache  # SPARQL answers (--cache-size)
    pages: BuildCache  # pages derived from the data: ontology, VoID, network picture

    @classmethod
    def create(cls, settings: Settings) -> ServerContext:
        pool = WorkerPool(
            settings.store_path,
            settings.worker_count,
            settings.query_timeout,
            isolate_network=settings.isolate_network,
        )
        return cls(
            settings, pool, BuildCache(settings.cache_bytes), BuildCache(settings.page_cache_bytes)
        )
