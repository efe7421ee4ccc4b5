"""``create_app`` in process, through FastAPI's TestClient: the SPARQL protocol, negotiation,
the cache, the middleware's limits and headers and the linked-data redirects, without starting
``kg serve``. One query worker (a process: the pool is the app's, started by its lifespan) on
the seed built once per session.

What needs a real server stays in the tests/test_server_*.py modules: connection limits,
time-outs that kill a worker, clients from several addresses, uvicorn's own refusals.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from kg.errors import StoreError
from kg.pipeline.build import BuildResult
from kg.rdf.namespaces import DATASET, VOID
from kg.server.app import create_app
from kg.server.protocol import READ_ONLY
from kg.server.settings import Settings

AIP = "https://w3id.org/ai-beleid/def/aip#"
QUESTIONS = f"SELECT ?q WHERE {{ ?q a <{AIP}Question> }} ORDER BY ?q"
JSON = "application/sparql-results+json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SEED = "https://w3id.org/ai-beleid/id/document/2026D32673"


@pytest.fixture(scope="module")
def client(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("app")
    settings = Settings(
        store_path=Path(seed_build.store),
        workers=1,
        query_timeout=10,
        max_request_bytes=4096,
        export_dir=tmp / "export",
        analysis_dir=tmp / "analysis",
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        yield client


def sparql(client: TestClient, query: str, accept: str | None = JSON, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


def cache_verdict(client: TestClient, query: str) -> tuple[httpx.Response, str | None]:
    """The answer to ``query`` and what the cache did for it, read from /health's counters:
    no answer tells the client whether it was a hit (that would tell what others asked)."""

    def counters() -> tuple[int, int]:
        cache = client.get("/health").json()["cache"]
        return cache["hits"], cache["misses"]

    hits, misses = counters()
    answer = sparql(client, query)
    assert "x-cache" not in answer.headers
    after = counters()
    return answer, "hit" if after[0] > hits else "miss" if after[1] > misses else None


def test_health_says_the_worker_answers(client: TestClient) -> None:
    body = client.get("/health").json()
    assert (body["status"], body["workers"], body["workers_idle"]) == ("ok", 1, 1)
    assert body["cache"]["max_bytes"] > 0


def test_a_select_answers_and_the_second_time_from_the_cache(client: TestClient) -> None:
    query = f"# app-cache\n{QUESTIONS}"
    (first, was), (second, now) = cache_verdict(client, query), cache_verdict(client, query)
    assert first.status_code == second.status_code == 200
    assert first.headers["content-type"] == JSON
    assert len(first.json()["results"]["bindings"]) == 12
    assert (was, now) == ("miss", "hit")
    assert second.content == first.content


def test_the_three_ways_to_send_a_query_give_one_answer(client: TestClient) -> None:
    query = f"# app-three-ways\n{QUESTIONS}"
    got = sparql(client, query)
    form = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    direct = client.post(
        "/sparql",
        content=query.encode(),
        headers={"Accept": JSON, "Content-Type": "application/sparql-query"},
    )
    assert [r.status_code for r in (got, form, direct)] == [200, 200, 200]
    assert got.content == form.content == direct.content


@pytest.mark.parametrize(
    ("method", "request_options", "status", "message"),
    [
        ("GET", {"params": {"update": "DROP ALL"}}, 403, READ_ONLY),
        (
            "POST",
            {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
            403,
            READ_ONLY,
        ),
        (
            "POST",
            {"content": b"x", "headers": {"Content-Type": "text/plain"}},
            415,
            "Content-Type text/plain is not supported",
        ),
        (
            "POST",
            {"content": b"ASK {} \xff", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            "the query is not valid UTF-8 (byte 7)",
        ),
        ("GET", {"params": {"query": "SELECT ?x WHERE { ?x ?y }"}}, 400, "Syntax error"),
        (
            "GET",
            {"params": {"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"}},
            400,
            "SERVICE (federated query) is not allowed",
        ),
        ("PUT", {}, 405, "method PUT is not allowed here"),
    ],
    ids=["update", "update-body", "text-plain", "not-utf8", "syntax", "service", "put"],
)
def test_a_refused_request_gets_one_line_saying_why(
    client: TestClient, method: str, request_options: dict, status: int, message: str
) -> None:
    answer = client.request(method, "/sparql", **request_options)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    assert message in answer.text
    assert answer.text.count("\n") == 1


def test_format_stands_for_an_accept_header(client: TestClient) -> None:
    answer = sparql(client, QUESTIONS, accept="application/xml", format="csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["q"] and len(rows) == 13


def test_an_unknown_format_is_refused_by_name(client: TestClient) -> None:
    answer = sparql(client, QUESTIONS, format="xlsx")
    assert answer.status_code == 400
    assert answer.text.startswith("unknown format='xlsx'; use one of csv, tsv, json,")


def test_nothing_acceptable_is_406_naming_the_offers(client: TestClient) -> None:
    answer = sparql(client, QUESTIONS, accept="image/png")
    assert answer.status_code == 406
    assert "application/sparql-results+json" in answer.text


def test_a_browser_gets_the_result_table(client: TestClient) -> None:
    answer = sparql(client, QUESTIONS, accept=BROWSER)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "<table" in answer.text and "Content-Security-Policy" in answer.headers


def test_without_a_query_the_service_description(client: TestClient) -> None:
    answer = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert answer.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=answer.text, format="turtle")
    endpoint = URIRef("http://127.0.0.1:8000/sparql")
    assert (None, None, endpoint) in graph or (endpoint, None, None) in graph


def test_every_answer_carries_the_safety_headers_and_cors(client: TestClient) -> None:
    answer = client.get(
        "/sparql", params={"query": QUESTIONS}, headers={"Origin": "https://example.org"}
    )
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["access-control-allow-origin"] == "*"


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    answer = client.post(
        "/sparql",
        content=b"#" * 5000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert answer.status_code == 413
    assert "4096 bytes" in answer.text


def test_a_query_string_that_is_not_utf8_is_400(client: TestClient) -> None:
    answer = client.get("/sparql?query=%FF")
    assert answer.status_code == 400
    assert "UTF-8" in answer.text


def test_a_thing_redirects_to_its_page_and_the_page_negotiates(client: TestClient) -> None:
    moved = client.get("/id/document/2026D32673", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (303, "/doc/document/2026D32673")
    page = client.get(moved.headers["location"], headers={"Accept": "text/turtle"})
    assert page.status_code == 200
    graph = Graph().parse(data=page.text, format="turtle")
    assert (URIRef(SEED), None, None) in graph


def test_static_files_are_served(client: TestClient) -> None:
    answer = client.get("/static/style.css")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/css")


# -- without an export (the client's export folder does not exist) ------------------------------


def test_without_an_export_the_catalog_says_how_to_make_one(client: TestClient) -> None:
    response = client.get("/catalog")
    assert response.status_code == 404
    assert "no export to publish; run 'kg export'" in response.text


def test_without_an_export_the_dataset_record_says_how_to_make_one(client: TestClient) -> None:
    response = client.get("/doc/dataset/ai-beleid")
    assert response.status_code == 404
    assert "is written by 'kg export'" in response.text


def test_without_an_export_the_void_describes_the_store_with_this_endpoint(
    client: TestClient,
) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    void = Graph().parse(data=response.content, format="turtle")
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:8000/sparql")
    assert (None, VOID.dataDump, None) not in void


# -- the answer cache's bound (--cache-size) ----------------------------------------------------


def small_app(seed_build: BuildResult, cache_bytes: int) -> TestClient:
    settings = Settings(store_path=Path(seed_build.store), workers=1, cache_bytes=cache_bytes)
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8000")


def test_the_size_bound_evicts_the_least_recently_used(seed_build: BuildResult) -> None:
    bound = int(0.004 * 2**20)  # --cache-size 0.004 (MiB): room for a few small answers
    with small_app(seed_build, bound) as client:
        first = f"# evict-0\n{QUESTIONS}"
        assert [cache_verdict(client, first)[1] for _ in range(2)] == ["miss", "hit"]
        for i in range(1, 12):
            assert sparql(client, f"# evict-{i}\n{QUESTIONS}").status_code == 200
        assert cache_verdict(client, first)[1] == "miss"
        cache = client.get("/health").json()["cache"]
    assert 0 < cache["bytes"] <= cache["max_bytes"] == bound


def test_cache_size_zero_turns_the_cache_off(seed_build: BuildResult) -> None:
    with small_app(seed_build, 0) as client:
        looked = [cache_verdict(client, QUESTIONS) for _ in range(2)]
        entries = client.get("/health").json()["cache"]["entries"]
    answers = [answer for answer, _ in looked]
    assert all(a.status_code == 200 and was is None for a, was in looked)
    assert answers[0].content == answers[1].content
    assert entries == 0


def test_create_app_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store found; run 'kg build' first"):
        create_app(Settings(store_path=tmp_path / "none"))
