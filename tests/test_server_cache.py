"""The per-build result cache of ``kg serve``, against a real server: a hit gives the same bytes
without a worker, GET and POST of one query share an entry, a different Accept never gets
another format's answer, errors are not kept, and a rebuild (the store's link swapped) makes
every earlier answer unreachable. No answer says whether it was a hit (that would tell a client
what others asked): the tests read /health's counters. The size bound and a size of 0 are
tested in process (tests/test_app.py), the cache on its own in tests/test_cache.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from kg.pipeline.build import build
from kg.server.cache import BuildCache, CachedAnswer, CacheKey
from tests.support import PROJECT, loopback
from tests.support.live_server import running_server

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
QUESTIONS = "SELECT ?q WHERE { ?q a <https://w3id.org/ai-beleid/def/aip#Question> } ORDER BY ?q"
MARKER = "Kwispelstaart"
MARKED = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
    f'FILTER (isLiteral(?o) && CONTAINS(STR(?o), "{MARKER}")) }}'
)


@pytest.fixture(scope="module")
def server(seed_build):
    # --cache-size in MiB: about 1 MiB, far more than every answer of these tests needs.
    with running_server(seed_build.store, "--workers", "2", "--query-timeout", "2") as base:
        yield base


def post(base: str, query: str, accept: str = JSON) -> httpx.Response:
    return loopback.post(
        base + "/sparql", data={"query": query}, headers={"Accept": accept}, timeout=30
    )


def counters(base: str) -> tuple[int, int]:
    cache = loopback.get(base + "/health", timeout=30).json()["cache"]
    return cache["hits"], cache["misses"]


def verdict(base: str, send) -> tuple[httpx.Response, str | None]:
    """``send()``'s answer and what the cache did for it: "hit", "miss" or None (not looked up)."""
    hits, misses = counters(base)
    answer = send()
    assert "x-cache" not in answer.headers  # never told to the client
    after = counters(base)
    return answer, "hit" if after[0] > hits else "miss" if after[1] > misses else None


def cache_of(base: str, query: str, accept: str = JSON) -> str | None:
    return verdict(base, lambda: post(base, query, accept))[1]


def unique(query: str, tag: str) -> str:
    """The same query under a comment no other test uses: its first request is a miss."""
    return f"# {tag}\n{query}"


def test_a_hit_returns_the_same_bytes_and_headers(server):
    query = unique(QUESTIONS, "same-bytes")
    (first, was), (second, now) = (verdict(server, lambda: post(server, query)) for _ in "12")
    assert first.status_code == second.status_code == 200
    assert (was, now) == ("miss", "hit")
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert len(first.json()["results"]["bindings"]) > 0


def test_get_and_both_posts_of_one_query_share_the_entry(server):
    query = unique(QUESTIONS, "get-post")
    got, first = verdict(
        server,
        lambda: loopback.get(server + "/sparql", params={"query": query}, headers={"Accept": JSON}),
    )
    form, second = verdict(server, lambda: post(server, query))
    direct, third = verdict(
        server,
        lambda: loopback.post(
            server + "/sparql",
            content=f"  {query}\n\n".encode(),  # whitespace around a query changes nothing
            headers={"Accept": JSON, "Content-Type": "application/sparql-query"},
        ),
    )
    assert [first, second, third] == ["miss", "hit", "hit"]
    assert got.content == form.content == direct.content


def test_another_accept_never_gets_the_cached_format(server):
    query = unique(QUESTIONS, "accept")
    as_json, json_was = verdict(server, lambda: post(server, query, JSON))
    as_xml, xml_was = verdict(server, lambda: post(server, query, XML))
    assert json_was == xml_was == "miss"
    assert as_xml.headers["content-type"].startswith(XML)
    assert as_xml.content.lstrip().startswith(b"<?xml")
    again_json, json_now = verdict(server, lambda: post(server, query, JSON))
    again_xml, xml_now = verdict(server, lambda: post(server, query, XML))
    assert json_now == xml_now == "hit"
    assert again_json.content == as_json.content
    assert again_xml.content == as_xml.content
    # Another spelling of the same preference negotiates the same format: the same entry.
    spelled, spelled_was = verdict(server, lambda: post(server, query, f"{JSON} ; q=0.8"))
    assert spelled_was == "hit"
    assert spelled.content == as_json.content
    # Not acceptable for a SELECT: 406, whatever is cached for JSON and XML.
    refused, _ = verdict(server, lambda: post(server, query, "image/png"))
    assert refused.status_code == 406


def test_errors_and_timeouts_are_not_cached(server):
    broken = "SELECT ?x WHERE { ?x ?y }"
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    for query, status, reason in (
        (broken, 400, "Syntax error"),
        (endless, 503, "longer than the limit"),
    ):
        for _ in range(2):  # the second time too: nothing was kept from the first
            answer, was = verdict(server, lambda q=query: post(server, q))
            assert answer.status_code == status
            assert reason in answer.text
            assert was == "miss"


@pytest.mark.server  # a server of its own
def test_a_rebuild_invalidates_every_cached_answer(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(PROJECT.data, data)
    store = tmp_path / "store"
    build(data, store, PROJECT.ontology)
    with running_server(store, "--workers", "1") as base:
        looked = [verdict(base, lambda: post(base, MARKED)) for _ in range(2)]
        before = [answer for answer, _ in looked]
        assert [was for _, was in looked] == ["miss", "hit"]
        assert before[1].json()["results"]["bindings"][0]["n"]["value"] == "0"
        source = next((data / "sources").glob("*.txt"))
        text = source.read_text(encoding="utf-8")
        assert "Anthropic vergaande" in text
        source.write_text(
            text.replace("Anthropic vergaande", f"Anthropic {MARKER} vergaande", 1),
            encoding="utf-8",
        )
        build(data, store, PROJECT.ontology)  # a new build, swapped in under the server
        after, was = verdict(base, lambda: post(base, MARKED))
        assert was == "miss"
        assert int(after.json()["results"]["bindings"][0]["n"]["value"]) > 0
        assert cache_of(base, MARKED) == "hit"


def entry(query: str, size: int) -> tuple[CacheKey, CachedAnswer]:
    key = CacheKey(query, None, None, (("tabular", "json"),), "http://x/sparql")
    return key, CachedAnswer(b"x" * size, JSON, ())


def test_the_cache_keeps_nothing_of_an_older_build():
    cache = BuildCache(10_000)
    key, answer = entry("q", 100)
    assert cache.get("/store.d/1", key) is None
    assert cache.put("/store.d/1", key, answer)
    assert cache.get("/store.d/1", key) == answer
    assert cache.get("/store.d/2", key) is None
    assert len(cache) == 0 and cache.bytes == 0
    # An answer computed from the old build, arriving after the swap, is not kept.
    assert not cache.put("/store.d/1", key, answer)
    assert cache.get("/store.d/1", key) is None


def test_the_cache_evicts_by_total_bytes_least_recently_used_first():
    cache = BuildCache(3 * (1000 + 1 + 256))
    keys = []
    for name in "abc":
        key, answer = entry(name, 1000)
        cache.get("/b", key)
        assert cache.put("/b", key, answer)
        keys.append(key)
    cache.get("/b", keys[0])  # a is now the most recently used
    key_d, answer_d = entry("d", 1000)
    assert cache.put("/b", key_d, answer_d)
    assert cache.get("/b", keys[1]) is None  # b was the least recently used
    assert cache.get("/b", keys[0]) is not None and cache.get("/b", keys[2]) is not None
    assert cache.bytes <= cache.max_bytes
    too_big, answer = entry("e", 10_000)
    assert not cache.put("/b", too_big, answer)


def test_pages_of_any_key_share_the_rule():
    cache = BuildCache(10_000)
    assert cache.get("/b", ("void", "turtle", "http://x/sparql")) is None
    assert cache.put("/b", ("void", "turtle", "http://x/sparql"), CachedAnswer(b"v", "text/turtle"))
    assert cache.get("/b", ("void", "turtle", "http://y/sparql")) is None
    kept = cache.get("/b", ("void", "turtle", "http://x/sparql"))
    assert kept is not None and kept.body == b"v"
