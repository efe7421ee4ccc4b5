"""A per-build cache of SPARQL answers in the serving process.

The data are read-only between builds, so an answer is valid for as long as the build that
produced it is the current one. An entry's key names that build (the directory the store's
symbolic link resolves to: every ``kg build`` writes a new one and swaps the link), the query
text, the protocol dataset, the base IRI and the formats negotiated from ``Accept``; so a
rebuild makes every older entry unreachable, and the first lookup under a new build drops them.

Bounded by the total size of the cached bodies (least recently used first out). Only
successful answers are stored; errors and time-outs never are. The cache lives in the event
loop's thread and is only touched from there, so it needs no lock.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE_BYTES = 64 * 2**20
ENTRY_OVERHEAD = 256  # bytes counted per entry besides its body and query text


@dataclass(frozen=True)
class CacheKey:
    build: str
    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    formats: tuple[tuple[str, str], ...]  # result kind -> negotiated format key
    base_iri: str


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]

    def size(self, key: CacheKey) -> int:
        return len(self.body) + len(key.query) + ENTRY_OVERHEAD


def build_identity(store_path: Path | str) -> str:
    """The build the store's link points at now (a path, not an open store: cheap)."""
    return os.path.realpath(store_path)


def normalise_query(query: str) -> str:
    """Whitespace around the query is never part of a token, so it cannot change its meaning."""
    return query.strip()


class ResultCache:
    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        if max_bytes < 0:
            raise ValueError("the cache size must be 0 (off) or positive")
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._build: str | None = None
        self._entries: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def _follow_build(self, build: str) -> None:
        if build != self._build:  # a new build: nothing cached before it can be served again
            self._entries.clear()
            self.bytes = 0
            self._build = build

    def get(self, key: CacheKey) -> CachedAnswer | None:
        if not self.enabled:
            return None
        self._follow_build(key.build)
        answer = self._entries.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, key: CacheKey, answer: CachedAnswer) -> bool:
        """Store an answer; False when it is not stored (cache off, too big, stale build)."""
        size = answer.size(key)
        if not self.enabled or size > self.max_bytes or key.build != self._build:
            return False  # key.build is not the build of the latest lookup: a swap happened
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.bytes -= previous.size(key)
        self._entries[key] = answer
        self.bytes += size
        while self.bytes > self.max_bytes:
            old_key, old = self._entries.popitem(last=False)
            self.bytes -= old.size(old_key)
        return True
