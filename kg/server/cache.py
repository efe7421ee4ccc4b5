"""The server's one kind of cache: answers kept per build, bounded by bytes, least recently used
first out. Used for SPARQL answers and for pages derived from the data (ontology, VoID, the
network picture), each in its own instance with its own bound.

The data are read-only between builds, so an answer is valid for as long as the build that
produced it is the current one. Every lookup names the build (the directory the store's
symbolic link resolves to: every ``kg build`` writes a new one and swaps the link); the first
lookup under a new build drops every older entry, and an answer computed from an older build
that arrives after the swap is not kept. Only successful answers are stored. The cache lives in
the event loop's thread and is only touched from there, so it needs no lock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

ENTRY_OVERHEAD = 256  # bytes counted per entry besides its body and key


@dataclass(frozen=True)
class CacheKey:
    """What shapes a SPARQL answer besides the build."""

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    formats: tuple[tuple[str, str], ...]  # result kind -> negotiated format key
    base_iri: str


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()


def normalise_query(query: str) -> str:
    """Whitespace around the query is never part of a token, so it cannot change its meaning."""
    return query.strip()


def _size(key: Hashable, answer: CachedAnswer) -> int:
    text = key.query if isinstance(key, CacheKey) else repr(key)
    return len(answer.body) + len(text) + ENTRY_OVERHEAD


class BuildCache:
    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("the cache size must be 0 (off) or positive")
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._build: str | None = None
        self._entries: OrderedDict[Hashable, CachedAnswer] = OrderedDict()

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

    def get(self, build: str, key: Hashable) -> CachedAnswer | None:
        if not self.enabled:
            return None
        self._follow_build(build)
        answer = self._entries.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, build: str, key: Hashable, answer: CachedAnswer) -> bool:
        """Store an answer; False when it is not stored (cache off, too big, stale build)."""
        size = _size(key, answer)
        if not self.enabled or size > self.max_bytes or build != self._build:
            return False  # build is not the build of the latest lookup: a swap happened
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.bytes -= _size(key, previous)
        self._entries[key] = answer
        self.bytes += size
        while self.bytes > self.max_bytes:
            old_key, old = self._entries.popitem(last=False)
            self.bytes -= _size(old_key, old)
        return True

    def stats(self) -> dict[str, int]:
        return {
            "max_bytes": self.max_bytes,
            "bytes": self.bytes,
            "entries": len(self),
            "hits": self.hits,
            "misses": self.misses,
        }
