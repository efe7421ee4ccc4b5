"""kg.server.cache on its own, beside the cache's tests against a real server
(tests/test_server_cache.py): the byte count stays exact through replacement and eviction, the
counters count, a size of 0 keeps nothing, and the key's white space rule."""

from __future__ import annotations

import pytest

from kg.server.cache import ENTRY_OVERHEAD, BuildCache, CachedAnswer, CacheKey, normalise_query

BUILD = "/store.d/1"
JSON = "application/sparql-results+json"


def key(query: str, *, formats=(("tabular", "json"),), graphs=None) -> CacheKey:
    return CacheKey(query, graphs, None, formats, "http://x/sparql")


def answer(size: int) -> CachedAnswer:
    return CachedAnswer(b"x" * size, JSON)


def test_the_size_of_an_entry_is_its_body_its_query_and_the_overhead() -> None:
    cache = BuildCache(10_000)
    cache.get(BUILD, key("q"))
    assert cache.put(BUILD, key("q"), answer(100))
    assert cache.bytes == 100 + len("q") + ENTRY_OVERHEAD


def test_putting_a_key_again_replaces_it_and_counts_its_bytes_once() -> None:
    cache = BuildCache(10_000)
    cache.get(BUILD, key("q"))
    cache.put(BUILD, key("q"), answer(100))
    cache.put(BUILD, key("q"), answer(40))
    assert (len(cache), cache.bytes) == (1, 40 + 1 + ENTRY_OVERHEAD)
    kept = cache.get(BUILD, key("q"))
    assert kept is not None and kept.body == b"x" * 40


def test_the_counters_and_stats() -> None:
    cache = BuildCache(10_000)
    assert cache.get(BUILD, key("a")) is None
    cache.put(BUILD, key("a"), answer(10))
    cache.get(BUILD, key("a"))
    cache.get(BUILD, key("a"))
    assert cache.stats() == {
        "max_bytes": 10_000,
        "bytes": 10 + 1 + ENTRY_OVERHEAD,
        "entries": 1,
        "hits": 2,
        "misses": 1,
    }


def test_a_size_of_zero_keeps_nothing_and_counts_nothing() -> None:
    cache = BuildCache(0)
    assert not cache.enabled
    assert cache.get(BUILD, key("q")) is None
    assert not cache.put(BUILD, key("q"), answer(1))
    assert cache.stats()["misses"] == cache.stats()["entries"] == 0


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="must be 0 \\(off\\) or positive"):
        BuildCache(-1)


def test_nothing_is_kept_before_a_lookup_named_the_build() -> None:
    assert not BuildCache(10_000).put(BUILD, key("q"), answer(1))


def test_eviction_keeps_the_bytes_under_the_bound() -> None:
    entry = 100 + 2 + ENTRY_OVERHEAD
    cache = BuildCache(5 * entry)
    cache.get(BUILD, key("first lookup"))
    for i in range(20):
        cache.put(BUILD, key(f"{i:02d}"), answer(100))
        assert cache.bytes <= cache.max_bytes
    assert len(cache) == 5
    assert [cache.get(BUILD, key(f"{i:02d}")) is not None for i in (14, 15, 19)] == [
        False,
        True,
        True,
    ]


def test_the_key_tells_formats_and_datasets_apart() -> None:
    cache = BuildCache(10_000)
    cache.get(BUILD, key("q"))
    cache.put(BUILD, key("q"), answer(1))
    assert cache.get(BUILD, key("q", formats=(("tabular", "xml"),))) is None
    assert cache.get(BUILD, key("q", graphs=("http://e/g",))) is None
    assert cache.get(BUILD, key("q")) is not None


def test_normalise_query_removes_only_the_white_space_around_it() -> None:
    assert normalise_query("\n  SELECT *  { ?s ?p ?o }\t\n") == "SELECT *  { ?s ?p ?o }"
