"""The search index of the build the server answers from, loaded once per build.

The index is a file in the store version's folder (``kg.pipeline.search_index``), so it always
belongs to the data the workers read. It is read and prepared in a thread of its own, never on
the event loop, and kept for as long as its build is current; a request after a new build
loads the new one.
"""

from __future__ import annotations

import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from kg.pipeline.search import SearchIndex
from kg.pipeline.search_index import read_index
from kg.server.settings import Settings


class NoIndex(Exception):
    """The current build has no search index (a store written before builds wrote one)."""


class Finder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._build = ""
        self._index: SearchIndex | None = None

    async def index(self) -> SearchIndex:
        build = self.settings.build()
        if build == self._build and self._index is not None:
            return self._index
        return await run_in_threadpool(self._load, build)

    def _load(self, build: str) -> SearchIndex:
        with self._lock:
            if build != self._build or self._index is None:
                try:
                    loaded = SearchIndex.from_index(read_index(Path(build)))
                except (OSError, ValueError, EOFError):
                    raise NoIndex(
                        f"{self.settings.store_path}: this build has no search index; "
                        "run 'kg build' to write one"
                    ) from None
                self._build, self._index = build, loaded
            return self._index


_FINDERS: dict[Path, Finder] = {}


def finder(settings: Settings) -> Finder:
    """The one finder of a store (the search page and the research page share it)."""
    return _FINDERS.setdefault(Path(settings.store_path), Finder(settings))
