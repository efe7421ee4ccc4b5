"""The endpoint as an attacker or a careless client meets it (issue 16), against a real
``kg serve``: SERVICE hidden behind a carriage return, memory and answer-size limits, per-client
limits, timeouts for idle and slow connections, page headers, the Host header, parser limits,
parameter checks, HEAD, one-line errors on every status, invalid UTF-8. Timing figures (health
under load, fairness, peak memory) are measured by ``benchmarks/load.py``, not here."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import select
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from kg.server.pool import WorkerPool
from kg.server.rendering import render
from kg.server.resource_page import Term, curie, local_href, spans_from
from tests.support import loopback
from tests.support.listener import Listener
from tests.support.live_server import JSON, SIMPLE, client_from, running_server
from tests.support.memory_job import MIB, hold_memory

STATIC = Path(__file__).resolve().parent.parent / "kg" / "server" / "static"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a OFFSET 1000000000"
REQUEST_TIMEOUT = 2.0
MAX_CONNECTIONS = 12  # more than the tests here open at once


@pytest.fixture(scope="module")
def server(seed_build):
    with running_server(
        seed_build.store,
        "--no-network-isolation",  # SERVICE must be stopped by the check alone
        "--workers",
        "2",
        "--query-timeout",
        "3",
        "--max-memory",
        "300",
        "--max-result-bytes",
        "20000",
        "--client-queue",
        "1",
        "--request-timeout",
        str(REQUEST_TIMEOUT),
        "--max-connections",
        str(MAX_CONNECTIONS),
        "--max-request-bytes",
        "40000",
    ) as base:
        yield base


def post(base: str, text: str, **kwargs) -> httpx.Response:
    return loopback.post(base + "/sparql", data={"query": text}, headers=JSON, timeout=30, **kwargs)


def assert_one_line_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text.count("\n") == 1 and response.text.endswith("\n")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { # x\r SERVICE <URL> { ?a ?b ?c } \n }",
        "PREFIX : <URL> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
        "PREFIX a: <http://e/> SELECT * { BIND(a:b\\# AS ?q) SERVICE <URL> { ?s ?p ?o } \n}",
        "PREFIX : <URL> SELECT * WHERE { FILTER(1<2)SERVICE:#>\n{ ?a ?b ?c } }",
    ],
    ids=["carriage-return", "keyword-before-a-name", "escape-in-a-name", "less-than-as-iri"],
)
def test_service_hidden_from_a_lexer_is_refused(server: str, text: str) -> None:
    listener = Listener()
    try:
        response = post(server, text.replace("URL", f"http://127.0.0.1:{listener.port}/"))
        time.sleep(0.5)
    finally:
        listener.close()
    assert_one_line_error(response, 400)
    assert "SERVICE (federated query) is not allowed" in response.text
    assert listener.connections == 0
    assert loopback.get(server + "/health").json()["network_isolated_workers"] is False


def test_a_long_query_mentioning_service_is_answered(server: str) -> None:
    padding = " ".join(f'"service {i}"' for i in range(2400))  # about 36 KB of strings
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {padding} }} }}"
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(
            httpx.post, server + "/sparql", content=text.encode(), timeout=30,
            headers={**JSON, "Content-Type": "application/sparql-query"},
        )  # fmt: skip
        time.sleep(0.2)  # the query is being read
        started = time.monotonic()
        health = loopback.get(server + "/health", timeout=10)  # not stuck behind the check
        waited = time.monotonic() - started
        response = pending.result()
    assert health.status_code == 200 and waited < 1.0, waited
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "2400"


def test_query_help_for_a_long_query_holds_up_no_one(server: str) -> None:
    # Reading a long query for the research page's help took 5 s on the event loop.
    terms = " ".join(f"aip:Instrumentx{i}" for i in range(2000))
    text = f"PREFIX aip: <https://w3id.org/ai-beleid/def/aip#> ASK {{ VALUES ?s {{ {terms} }} }}"
    assert 38_000 < len(text) < 39_500  # just under --max-request-bytes (with the JSON around it)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(
            loopback.post, server + "/api/check", json={"query": text, "lang": "en"}, timeout=30
        )
        time.sleep(0.2)
        started = time.monotonic()
        health = loopback.get(server + "/health", timeout=30)
        waited = time.monotonic() - started
        response = pending.result()
    assert health.status_code == 200 and waited < 1.0, waited
    assert response.status_code == 200, response.text
    warnings = response.json()["warnings"]
    assert len(warnings) == 20  # the first few: a person fixes those and asks again
    assert warnings[0].startswith("aip:Instrumentx0 (line 1, column")


def test_memory_limit_stops_the_query_and_replaces_the_worker(server: str) -> None:
    before = loopback.get(server + "/health").json()["workers_replaced"]
    response = post(server, CROSS_PRODUCT)
    assert_one_line_error(response, 503)
    assert "needed more memory than 300 MiB" in response.text
    deadline = time.monotonic() + 30
    while loopback.get(server + "/health").json()["workers_replaced"] <= before:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert post(server, SIMPLE).status_code == 200


@pytest.mark.slow
def test_queries_together_stay_under_the_total_memory(seed_build) -> None:
    async def run_jobs() -> tuple[list, list]:
        pool = WorkerPool(seed_build.store, 2, timeout=30, max_total_memory=1 << 40)
        await pool.start()
        try:
            pool.max_total_memory = pool.resident_total() + 300 * MIB  # one job of 200 fits
            alone = [await pool.run(hold_memory, 200, 0.5)]
            together = await asyncio.gather(
                pool.run(hold_memory, 200, 3.0), pool.run(hold_memory, 200, 3.0)
            )
            return alone, list(together)
        finally:
            pool.close()

    alone, together = asyncio.run(run_jobs())
    assert [o.status for o in alone] == [200]
    statuses = sorted(o.status for o in together)
    assert statuses == [200, 503], [o.message for o in together]
    stopped = next(o for o in together if o.status == 503)
    assert "queries together needed more memory than" in stopped.message


def test_answers_are_cut_at_the_byte_limit(server: str) -> None:
    response = post(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000")
    assert response.status_code == 200
    assert len(response.content) <= 20000
    rows = len(response.json()["results"]["bindings"])
    assert 0 < rows < 5000
    assert f"only the first {rows} results" in response.headers["x-result-truncated"]


def test_one_result_above_the_byte_limit_is_refused(server: str) -> None:
    text = (
        "SELECT (CONCAT(?text, ?text) AS ?twice) WHERE { "
        "?t a <https://w3id.org/ai-beleid/def/aip#DocumentText> ; "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?text } LIMIT 1"
    )
    response = post(server, text)
    assert_one_line_error(response, 400)
    assert "one result alone is larger than 20000 bytes" in response.text


def test_a_client_over_its_limits_gets_429_and_others_are_served(server: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with ThreadPoolExecutor(max_workers=3) as pool:
        running = pool.submit(post, server, slow)  # holds this client's one slot
        time.sleep(0.5)
        # Queries no other test sends: a cached answer would need no worker and no slot.
        queued = pool.submit(post, server, SIMPLE + " # queued")  # waits in the queue of 1
        time.sleep(0.5)
        refused = post(server, SIMPLE + " # refused")
        with client_from("127.0.0.3", timeout=30) as other:
            started = time.monotonic()
            served = other.post(
                server + "/sparql", data={"query": SIMPLE + " # other"}, headers=JSON
            )
            seconds = time.monotonic() - started
        assert running.result().status_code == 503  # the time limit
        assert queued.result().status_code == 200
    assert_one_line_error(refused, 429)
    assert refused.headers["retry-after"] == "3"  # the query time limit
    assert served.status_code == 200 and seconds < 3, seconds


def read_until_closed(sock: socket.socket, limit: float) -> float:
    started = time.monotonic()
    sock.settimeout(limit)
    while sock.recv(4096):
        pass
    return time.monotonic() - started


def test_an_idle_connection_is_closed(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        assert read_until_closed(sock, 10) < REQUEST_TIMEOUT + 2


def test_a_slowly_sent_request_is_closed(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        try:
            for _ in range(20):  # a header line every half second, never the end of the head
                time.sleep(0.5)
                sock.sendall(b"X-a: b\r\n")
            read_until_closed(sock, 1)  # raises a timeout if the server still holds it open
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed by the server while we were still sending
        assert time.monotonic() - started < REQUEST_TIMEOUT + 3


def test_connections_past_the_limit_are_refused(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.2)
        refused = loopback.get(server + "/health")
    finally:
        for sock in idle:
            sock.close()
    assert_one_line_error(refused, 503)
    assert "too many open connections" in refused.text
    time.sleep(0.2)
    assert loopback.get(server + "/health").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/", "/doc/instrument/nadi", "/def/aip", "/page?iri=https%3A%2F%2Fexample.org%2Fnone",
        "/doc/instrument/none",  # the 404 page
        "/sparql",  # the service description
        "/sparql?query=SELECT%20%3Fs%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%202",  # a result table
    ],
)  # fmt: skip
def test_every_page_has_a_content_security_policy(server: str, path: str) -> None:
    response = loopback.get(server + path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html"), response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # no inline script anywhere


def test_a_script_iri_from_the_data_is_never_a_link() -> None:
    hostile = [Term("uri", "javascript:alert(1)"), Term("uri", "DATA:text/html,x")]
    fine = Term("uri", "mailto:someone@example.org")
    html = render(
        "resource.html", title="t", iri="https://e/x", types=[*hostile, fine], labels=[],
        outgoing=[], incoming=[], passages=[], href=local_href, curie=curie, rdf_links=[],
    )  # fmt: skip
    assert 'href="javascript:' not in html.lower() and 'href="data:' not in html.lower()
    assert 'href="mailto:someone@example.org"' in html


HOSTILE_IRIS = ["javascript:alert(1)", "JavaScript:alert(2)", "data:text/html,x", "vbscript:x"]


def test_a_script_iri_in_a_result_table_is_never_a_link(server: str) -> None:
    values = " ".join(f"<{iri}>" for iri in [*HOSTILE_IRIS, "https://example.org/fine"])
    text = f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"
    page = loopback.get(server + "/sparql", params={"query": text}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    hrefs = re.findall(r'href="([^"]*)"', page.text)
    assert not [h for h in hrefs if not h.startswith(("/", "https:", "http:", "mailto:"))]
    assert "https://example.org/fine" in hrefs
    assert page.text.count("javascript:alert(1)") >= 1  # shown, as text, never as a target


def test_a_footnote_url_from_the_data_is_a_link_only_when_safe() -> None:
    def footnote(url: str) -> dict:
        return {
            "part": {"value": "https://e/fn/" + quote(url, safe="")}, "type": {"value": "aip#Footnote"},
            "start": {"value": "0"}, "end": {"value": "1"}, "url": {"value": url},
        }  # fmt: skip

    urls = [span.url for span in spans_from([footnote(u) for u in [*HOSTILE_IRIS, "https://e/"]])]
    assert sorted(urls) == ["", "", "", "", "https://e/"]


def test_the_research_page_script_links_out_only_for_safe_schemes() -> None:
    # The result table of the research page is drawn by app.js (YASR's cells and the plain
    # table alike, through iriCell): its rule, run by node.
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    rule = re.search(r"function linkable\(iri\) \{.*?\n\}", script, re.DOTALL)
    assert rule is not None
    assert re.search(r"linkable\(iri\)\) \{\n\s+html \+= [^\n]*class=\"ext\"", script)
    assert "td.innerHTML = iriCell(term.value)" in script
    probes = [*HOSTILE_IRIS, "https://e/", "HTTP://e/", "mailto:a@e"]
    program = f"{rule.group()}\nconsole.log(JSON.stringify({json.dumps(probes)}.map(linkable)))"
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [False] * len(HOSTILE_IRIS) + [True, True, True]


def test_the_host_header_cannot_change_what_others_get(server: str) -> None:
    forged = loopback.get(server + "/.well-known/void", headers={"Host": "evil.example"})
    honest = loopback.get(server + "/.well-known/void")
    for response in (forged, honest):
        assert response.status_code == 200
        assert "evil.example" not in response.text
    base = loopback.post(
        server + "/sparql", data={"query": "SELECT (<x> AS ?b) {}"},
        headers={**JSON, "Host": "evil.example"},
    ).json()["results"]["bindings"][0]["b"]["value"]  # fmt: skip
    assert base == server.replace("localhost", "127.0.0.1") + "/x"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * WHERE " + "{" * 10000 + "}" * 10000, "nests brackets 10000 deep"),
        (
            "SELECT * WHERE { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(1500)) + " }",
            "1499 times 'UNION'",
        ),
        ("SELECT * WHERE { ?s " + "/".join(["<http://p>"] * 2000) + " ?o }", "1999 times '/'"),
        ("SELECT * { ?s ?p ?o " + " MINUS { ?s ?p ?o }" * 600 + " }", "600 times 'MINUS'"),
        ("ASK { ?s ?p " + ", ".join(["?o"] * 4500) + " }", "has 4499 joins"),
    ],
    ids=["nesting", "union", "path", "minus", "objects"],
)
def test_parser_limits_are_client_errors(server: str, text: str, reason: str) -> None:
    before = loopback.get(server + "/health").json()["workers_replaced"]
    response = loopback.post(
        server + "/sparql", content=text.encode(),
        headers={"Content-Type": "application/sparql-query"}, timeout=30,
    )  # fmt: skip
    assert_one_line_error(response, 400)
    assert reason in response.text
    assert loopback.get(server + "/health").json()["workers_replaced"] == before


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"from": "<not an iri>", "to": "NADI"}, "not a valid IRI"),
        ({"from": "NADI"}, "bad parameter to: Field required"),
        ({"from": "", "to": "NADI"}, "bad parameter from:"),
        ({"from": "https://example.org/nothing", "to": "NADI"}, "unknown entity"),
    ],
)
def test_analysis_path_parameters_are_checked(server: str, params: dict, reason: str) -> None:
    response = loopback.get(server + "/analysis/path", params=params, timeout=60)
    assert_one_line_error(response, 400)
    assert reason in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/sparql", "/", "/health", "/doc/instrument/nadi", "/def/aip", "/def/aip.ttl",
        "/.well-known/void", "/api/schema", "/static/app.js",
    ],
)  # fmt: skip
def test_head_wherever_get(server: str, path: str) -> None:
    got, head = loopback.get(server + path), loopback.request("HEAD", server + path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_errors_of_every_status_are_one_line_text(server: str) -> None:
    assert_one_line_error(loopback.get(server + "/no/such/page"), 404)
    assert_one_line_error(loopback.request("DELETE", server + "/sparql"), 405)
    assert_one_line_error(loopback.request("PUT", server + "/health"), 405)
    big = loopback.post(
        server + "/sparql", content=b"x" * 50_000,
        headers={"Content-Type": "application/sparql-query"},
    )  # fmt: skip
    assert_one_line_error(big, 413)
    assert_one_line_error(loopback.get(server + "/sparql?query=" + "x" * 44_000), 414)


@pytest.mark.parametrize("path", ["/api/labels", "/api/check", "/sparql"])
def test_a_chunked_body_is_cut_at_the_request_limit(server: str, path: str) -> None:
    # Without Content-Length the limit was checked only after the route had read it all.
    port = int(server.rsplit(":", 1)[1])
    chunk = b"x" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        with contextlib.suppress(OSError):  # the server may close while we still send
            while sent < 64 * 2**20 and not select.select([sock], [], [], 0)[0]:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        answer = b""
        while b"\n" not in answer.partition(b"\r\n\r\n")[2] and (more := sock.recv(4096)):
            answer += more  # up to the end of the one-line body
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    assert b"the request is larger than 40000 bytes" in answer
    assert sent < 4 * 2**20, sent


def test_a_request_the_http_parser_refuses_gets_the_same_error(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").lower().splitlines()
    assert lines[0].startswith("http/1.1 400")
    assert "access-control-allow-origin: *" in lines and "x-content-type-options: nosniff" in lines
    assert body == b"Invalid HTTP request received.\n"


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("GET", "/sparql?query=ASK%20%7B%3Fs%20%3Fp%20%22%FF%22%7D", {}),
        ("GET", "/page?iri=http%3A%2F%2Fe%2F%C3", {}),
        ("GET", "/doc/instrument/%FF", {}),
        (
            "POST",
            "/sparql",
            {
                "content": b"query=ASK%20%7B%7D%FF",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
        ),
        (
            "POST",
            "/sparql",
            {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
        ),
    ],
    ids=["get-query", "get-param", "path", "post-form", "post-direct"],
)
def test_invalid_utf8_is_refused_by_any_method(server, method, url, kwargs) -> None:
    response = loopback.request(method, server + url, **kwargs)
    assert_one_line_error(response, 400)
    assert "UTF-8" in response.text
