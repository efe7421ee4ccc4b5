"""The endpoint against the second red-team round (issue 27), on a real ``kg serve``: clients
that never read their answers, one client's idle sockets, oversized request heads, nested JSON,
a smuggled request, forged X-Forwarded-For, a query the engine cannot take, the HTML results
page, server paths and cache headers. Memory is read from /proc (the server's own process,
not its workers); how long the event loop stalls is measured in ``benchmarks/abuse.py``."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from kg.server.results_page import MAX_CELLS
from tests.support import loopback
from tests.support.live_server import JSON, SIMPLE, client_from, read_all, resident_mib, serving

SEND_TIMEOUT = 3.0
CLIENT_CONNECTIONS = 6
SEND_MIB = 64
# The seed's text (14 KB) 1,100 times: an answer of 15.7 MB, more than the kernel buffers of a
# loopback connection hold (4 MB each way), as in the probe (16 MB), and cheap to make.
BIG = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT ?text ?n WHERE { "
    "?t a <https://w3id.org/ai-beleid/def/aip#DocumentText> ; rdf:value ?text . "
    f"VALUES ?n {{ {' '.join(str(n) for n in range(1100))} }} }}"
)
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
OPTIONS = (
    "--workers", "2", "--query-timeout", "12", "--max-rows", "10000",
    "--max-result-bytes", str(24 * 2**20), "--client-queue", "0",
    "--client-connections", str(CLIENT_CONNECTIONS), "--send-timeout", str(SEND_TIMEOUT),
    "--max-send-memory", str(SEND_MIB), "--client-send-memory", "40",
    "--request-timeout", "8", "--max-connections", "200",
)  # fmt: skip

# Every test here talks to a kg serve of the module's or of its own.
pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served(seed_build):
    with serving(seed_build.store, *OPTIONS) as (base, process):
        yield base, process.pid


@pytest.fixture(scope="module")
def server(served) -> str:
    return served[0]


def raw_request(address: str, port: int, text: str) -> socket.socket:
    """A connection from ``address`` that sends ``text`` and then reads nothing."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # hold little in the kernel
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(text.encode())
    return sock


def get_request(path: str, port: int, accept: str = JSON["Accept"]) -> str:
    """A GET as the test's httpx client sends it (the same Host, so the same cache entry)."""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n\r\n"


def health(base: str) -> dict:
    return loopback.get(base + "/health", timeout=10).json()


def test_clients_that_never_read_do_not_grow_the_server_process(served) -> None:
    base, pid = served
    port = int(base.rsplit(":", 1)[1])
    path = "/sparql?" + urlencode({"query": BIG})
    first = loopback.get(base + path, headers=JSON, timeout=60)  # computed once, then cached
    assert first.status_code == 200 and len(first.content) > 12 * 2**20, first.text[:300]
    time.sleep(1.0)
    baseline = resident_mib(pid)
    sockets, peak, health_ok = [], baseline, 0
    try:
        # 40 connections from 8 addresses (the limit is 6 each): 400 MB if each copied it.
        for index in range(40):
            address = f"127.0.1.{index % 8 + 1}"
            sockets.append(raw_request(address, port, get_request(path, port)))
        deadline = time.monotonic() + SEND_TIMEOUT + 2
        while time.monotonic() < deadline:
            peak = max(peak, resident_mib(pid))
            health_ok += health(base)["status"] == "ok"
            time.sleep(0.25)
        sending = health(base)["sending"]
    finally:
        for sock in sockets:
            sock.close()
    assert peak - baseline < 40, (baseline, peak)  # chunks and one shared body, not copies
    assert health_ok >= 8  # /health answered all along
    assert sending["bytes"] == 0 and sending["bodies"] == 0  # every reader dropped, released
    time.sleep(10)
    assert resident_mib(pid) <= baseline * 1.2


def test_a_client_that_reads_nothing_is_dropped_after_the_send_timeout(server) -> None:
    port = int(server.rsplit(":", 1)[1])
    sock = raw_request("127.0.2.1", port, get_request("/sparql?" + urlencode({"query": BIG}), port))
    try:
        time.sleep(SEND_TIMEOUT + 2)
        received = read_all(sock)  # what the kernel held, then the end: aborted by the server
    finally:
        sock.close()
    assert received.startswith(b"HTTP/1.1 200")
    assert len(received) < 12 * 2**20  # it never got the whole answer


def test_answers_past_a_clients_send_share_get_429(server) -> None:
    port = int(server.rsplit(":", 1)[1])
    path = "/sparql?" + urlencode({"query": BIG})
    sockets = [raw_request("127.0.2.2", port, get_request(path, port)) for _ in range(3)]
    try:
        time.sleep(1.0)
        heads = []
        for sock in sockets:
            sock.settimeout(5)
            heads.append(sock.recv(200))
    finally:
        for sock in sockets:
            sock.close()
    statuses = sorted(head.split(b" ", 2)[1] for head in heads)
    assert statuses == [b"200", b"200", b"429"], heads  # 40 MiB each: two answers of 15.7 MB
    refused = next(head for head in heads if b" 429 " in head)
    assert b"Retry-After" in refused or b"retry-after" in refused


def test_one_client_cannot_hold_every_connection(server) -> None:
    port = int(server.rsplit(":", 1)[1])
    idle = []
    try:
        for _ in range(CLIENT_CONNECTIONS):
            sock = socket.socket()
            sock.bind(("127.0.3.1", 0))
            sock.connect(("127.0.0.1", port))
            idle.append(sock)
        time.sleep(0.3)
        extra = raw_request("127.0.3.1", port, get_request("/health", port))
        answer = read_all(extra)
        extra.close()
        with client_from("127.0.3.2") as other:
            served = other.get(server + "/health", timeout=10)
    finally:
        for sock in idle:
            sock.close()
    assert answer.startswith(b"HTTP/1.1 503")
    assert b"too many open connections from your address" in answer
    assert served.status_code == 200


@pytest.mark.parametrize(
    ("headers", "status", "needle"),
    [
        ({"Accept": ", ".join(["text/csv;q=0.5"] * 17_000)}, 431, "more than 16384 bytes"),
        ({"Accept": ", ".join(["text/csv;q=0.5"] * 200)}, 400, "Accept header is 3198 bytes"),
        ({"Accept": ", ".join(["text/csv"] * 40)}, 400, "lists more than 32 ranges"),
        ({"Accept-Language": ", ".join(["nl"] * 600)}, 400, "Accept-Language header is 2398 bytes"),
        ({f"X-Pad-{i}": "x" for i in range(70)}, 431, "at most 64"),
        ({"X-Pad": "x" * 20_000}, 431, "at most 16384"),
    ],
    ids=[
        "accept-259kb",
        "accept-3kb",
        "accept-ranges",
        "accept-language",
        "header-count",
        "header-bytes",
    ],
)
def test_a_request_head_past_the_bounds_is_refused_before_any_work(
    server, headers: dict, status: int, needle: str
) -> None:
    response = loopback.get(server + "/sparql", params={"query": SIMPLE}, headers=headers)
    assert response.status_code == status, response.text
    assert needle in response.text
    assert response.text.count("\n") == 1


@pytest.mark.parametrize("path", ["/api/check", "/api/labels"])
def test_deeply_nested_json_is_a_400(server, path: str) -> None:
    body = '{"query": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = loopback.post(
        server + path, content=body[:200_000], headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert "nests too deeply" in response.text or "not JSON" in response.text


def test_content_length_with_chunked_is_refused_and_the_connection_closed(server) -> None:
    port = int(server.rsplit(":", 1)[1])
    smuggled = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    sock = raw_request("127.0.4.1", port, smuggled)
    try:
        received = read_all(sock)
    finally:
        sock.close()
    assert received.startswith(b"HTTP/1.1 400")
    assert b"not both" in received
    assert received.count(b"HTTP/1.1 ") == 1  # the second request was never answered


def test_x_forwarded_for_is_not_believed_by_default(server) -> None:
    """One client naming two addresses is still one client: the second query gets 429."""
    with client_from("127.0.5.1") as client, ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            client.post, server + "/sparql", data={"query": HEAVY},
            headers={**JSON, "X-Forwarded-For": "10.0.0.1"}, timeout=30,
        )  # fmt: skip
        time.sleep(0.5)
        second = client.post(
            server + "/sparql", data={"query": HEAVY + " # 2"},
            headers={**JSON, "X-Forwarded-For": "10.0.0.2"}, timeout=30,
        )  # fmt: skip
        running.result()
    assert second.status_code == 429
    assert "too many requests from 127.0.5.1" in second.text


def test_forwarded_for_is_believed_from_a_configured_proxy(seed_build) -> None:
    options = ("--workers", "2", "--client-queue", "0", "--query-timeout", "3",
               "--forwarded-allow-ips", "127.0.5.0/24")  # fmt: skip
    with (
        serving(seed_build.store, *options) as (base, _),
        client_from("127.0.5.2") as client,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        running = pool.submit(
            client.post, base + "/sparql", data={"query": HEAVY},
            headers={**JSON, "X-Forwarded-For": "10.0.0.1"}, timeout=30,
        )  # fmt: skip
        time.sleep(0.5)
        second = client.post(
            base + "/sparql", data={"query": HEAVY + " # 2"},
            headers={**JSON, "X-Forwarded-For": "10.0.0.2"}, timeout=30,
        )  # fmt: skip
        running.result()
    assert second.status_code != 429  # another client, as the proxy says


def test_the_query_that_crashed_a_worker_is_refused_and_no_worker_is_lost(server) -> None:
    before = health(server)["workers_replaced"]
    objects = ", ".join(f"?o{i}" for i in range(3000))
    query = f"SELECT * WHERE {{ ?s <https://w3id.org/ai-beleid/def/aip#answers> {objects} }}"
    with client_from("127.0.6.1") as client:
        response = client.post(server + "/sparql", data={"query": query}, headers=JSON, timeout=30)
    assert response.status_code == 400, response.text
    assert "the query has 2999 joins" in response.text
    time.sleep(0.5)
    assert health(server)["workers_replaced"] == before


def test_the_html_results_page_shows_at_most_its_cells(server) -> None:
    columns = " ".join(f"(1 AS ?v{i})" for i in range(100))
    query = f"SELECT ?s {columns} WHERE {{ ?s ?p ?o }} LIMIT 1600"
    with client_from("127.0.7.1") as client:
        page = client.get(
            server + "/sparql", params={"query": query}, headers={"Accept": "text/html"},
            timeout=60,
        )  # fmt: skip
    assert page.status_code == 200, page.text
    rows = MAX_CELLS // 101
    assert page.text.count("<tr>") == rows + 1  # the head and the rows shown
    assert f"this page shows the first {rows}" in page.text or f"eerste {rows}" in page.text


def test_no_server_path_and_no_cache_header_in_answers(server, seed_build) -> None:
    folder = str(seed_build.store.parent)
    with client_from("127.0.8.1") as client:
        answers = [
            client.get(server + "/health"),
            client.get(server + "/catalog"),
            client.get(server + "/doc/dataset/ai-beleid", headers={"Accept": "text/turtle"}),
            client.get(server + "/nope/../../etc"),
            client.post(server + "/sparql", data={"query": SIMPLE}, headers=JSON),
            client.post(server + "/sparql", data={"query": SIMPLE}, headers=JSON),
        ]
    for answer in answers:
        assert folder not in answer.text and "/tmp/" not in answer.text, answer.text
        assert "x-cache" not in answer.headers
    assert "store" not in answers[0].json()


def test_a_picture_larger_than_the_limit_is_refused(server) -> None:
    with client_from("127.0.9.1") as client:
        response = client.get(server + "/analysis/network.svg", params={"top": 101})
    assert response.status_code == 400
    assert "top" in response.text
