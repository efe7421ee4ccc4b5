"""Safety of the public endpoint, against a real ``kg serve``: read-only, no SERVICE, FROM only
selects stored graphs, a time limit that really stops a query while others are served, caps on
request size and rows, CORS, no stack traces."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support import loopback
from tests.support.listener import Listener
from tests.support.live_server import JSON, SIMPLE, client_from, running_server

# A cross product of the whole graph with itself three times: hours of work on the seed.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server(seed_build):
    with running_server(
        seed_build.store,
        "--query-timeout",
        str(TIMEOUT),
        "--max-rows",
        "25",
        "--max-request-bytes",
        "20000",
        "--workers",
        "2",
    ) as base:
        yield base


def query(base: str, text: str, **kwargs) -> httpx.Response:
    return loopback.post(base + "/sparql", data={"query": text}, headers=JSON, timeout=30, **kwargs)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT * WHERE { sErViCe   SILENT\n\t<http://127.0.0.1:{port}/sparql> { ?s ?p ?o } } } }",
        "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } }",
        "SELECT * WHERE { OPTIONAL { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } }",
        "SELECT * WHERE { BIND (<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        # Oxigraph reads these in context; a lexer sees a name or an IRI around the keyword.
        "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
        "PREFIX a: <http://e/> SELECT * { BIND(a:b\\# AS ?q) SERVICE <http://127.0.0.1:{port}/> "
        "{ ?s ?p ?o } \n}",
        "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE { FILTER(1<2)SERVICE:#>\n{ ?a ?b ?c } }",
    ],
    ids=[
        "plain",
        "subquery-odd-case-and-space",
        "exists",
        "codepoint-escape",
        "variable",
        "keyword-before-a-name",
        "escape-in-a-name",
        "less-than-read-as-an-iri",
    ],
)
def test_service_is_refused_before_anything_is_fetched(server: str, text: str) -> None:
    listener = Listener()
    try:
        response = query(server, text.replace("{port}", str(listener.port)))
        time.sleep(0.5)
    finally:
        listener.close()
    assert response.status_code == 400
    assert "SERVICE (federated query) is not allowed" in response.text
    assert listener.connections == 0


def test_the_word_service_in_a_string_or_name_is_not_refused(server: str) -> None:
    text = (
        "PREFIX service: <http://example.org/service#> "
        'SELECT ?x WHERE { BIND ("SERVICE <http://127.0.0.1:1/> { }" AS ?x) '
        "OPTIONAL { ?x service:p ?y } }  # SERVICE in a comment"
    )
    response = query(server, text)
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert row["x"]["value"].startswith("SERVICE")


def test_from_a_file_iri_reads_nothing(server: str) -> None:
    for text in (
        "SELECT ?s ?p ?o FROM <file:///etc/hostname> WHERE { ?s ?p ?o }",
        "SELECT ?g ?s FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ):
        response = query(server, text)
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"] == []


def test_from_a_stored_graph_selects_it(server: str) -> None:
    text = (
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/ai-beleid/graph/ontology> "
        "WHERE { ?s a <http://www.w3.org/2002/07/owl#Class> }"
    )
    response = query(server, text)
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 10
    response = query(server, text.replace("graph/ontology", "graph/reference"))
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize(
    ("how", "kwargs"),
    [
        ("query", {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("update", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        (
            "direct",
            {
                "content": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
    ],
)
def test_insert_data_is_refused(server: str, how: str, kwargs: dict) -> None:
    response = loopback.post(server + "/sparql", timeout=10, **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    check = query(server, "ASK { <urn:a> <urn:b> <urn:c> }")
    assert check.json()["boolean"] is False


def test_a_long_query_times_out_while_others_are_served(server: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        slow = pool.submit(query, server, ENDLESS)
        time.sleep(0.3)  # the long query is running in one worker now
        quick_started = time.monotonic()
        with client_from("127.0.0.2", timeout=30) as other_client:  # another client's query
            quick = other_client.post(server + "/sparql", data={"query": SIMPLE}, headers=JSON)
        quick_seconds = time.monotonic() - quick_started
        slow_response = slow.result()
        slow_seconds = time.monotonic() - started
    assert quick.status_code == 200
    assert len(quick.json()["results"]["bindings"]) == 3
    assert quick_seconds < 1.5, quick_seconds
    assert slow_response.status_code == 503
    assert "ran longer than the limit of 2 s" in slow_response.text
    assert slow_seconds < TIMEOUT + 2, slow_seconds
    # The stopped worker is replaced: the server keeps answering with its full pool.
    for _ in range(4):
        assert query(server, SIMPLE).status_code == 200
    deadline = time.monotonic() + 20
    while loopback.get(server + "/health").json()["workers_replaced"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_result_rows_are_capped(server: str) -> None:
    response = query(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 25
    assert "25" in response.headers["x-result-truncated"]


def test_request_size_is_capped(server: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30000
    response = query(server, big)
    assert response.status_code == 413
    assert "larger than 20000 bytes" in response.text


def test_cors_allows_any_origin_without_credentials(server: str) -> None:
    response = loopback.get(
        server + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = loopback.request(
        "OPTIONS",
        server + "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_errors_carry_no_stack_trace(server: str) -> None:
    for response in (
        query(server, "SELECT * WHERE { ?s ?p }"),
        loopback.get(server + "/doc/" + "x" * 300),
        loopback.get(server + "/page", params={"iri": "not an iri"}),
        loopback.post(
            server + "/sparql",
            content=b"\xff\xfe",
            headers={"Content-Type": "application/sparql-query"},
        ),
    ):
        assert 400 <= response.status_code < 500, response.text
        assert "Traceback" not in response.text
        assert 'File "' not in response.text


def test_health(server: str) -> None:
    body = loopback.get(server + "/health").json()
    assert body["status"] == "ok"
    assert body["workers"] == 2
    assert body["query_timeout_seconds"] == TIMEOUT
