"""A Hypothesis-driven fuzz of the HTTP API against a real ``kg serve``: random methods, paths,
parameters, headers, bodies and SPARQL-like queries (built from pieces that have caused trouble:
SERVICE, comments ended by CR, strings, escapes, deep brackets). Whatever is sent, the server
answers without a server error (503 only for its own limits), every error is one line of plain
text with CORS and nosniff, every page carries its Content-Security-Policy, and nothing ever
connects out."""

from __future__ import annotations

import re

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support import loopback
from tests.support.listener import Listener
from tests.support.live_server import running_server

LISTENER = Listener()  # closed at the end of the module
PIECES = [
    "SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "ASK", "CONSTRUCT", "DESCRIBE", ".",
    "SERVICE", "SERVICE SILENT", f"<http://127.0.0.1:{LISTENER.port}/>", "#", "\r", "\n",
    "'", '"', "'''", "UNION", "OPTIONAL", "FILTER", "(", ")", "LIMIT 3", "ORDER BY ?o",
    "FROM", "FROM NAMED", "GRAPH ?g", "VALUES ?s", "\\u0053ERVICE", "PREFIX a: <http://a/>",
    "a:b", "1", "BIND (1 AS ?x)", "INSERT DATA", "EXISTS", "<javascript:alert(1)>", "[", "]",
    "?s ?p ?o .", "{ {", "} }", "STRLEN(", "CONCAT(?o, ?o)", "\x00", "é", "\ufeff",
]  # fmt: skip
PATHS = [
    "/", "/sparql", "/sparql/", "/health", "/doc/instrument/nadi", "/id/instrument/nadi",
    "/def/aip", "/.well-known/void", "/page", "/catalog", "/download/x", "/analysis/path",
    "/analysis/network.svg", "/analysis/x", "/static/app.js", "/favicon.ico", "/nothing",
]  # fmt: skip
ACCEPTS = [
    None, "*/*", "text/html", "text/turtle", "application/sparql-results+json", "text/csv",
    "image/png", "application/ld+json;q=0.5, text/plain;q=0", "garbage", "",
]  # fmt: skip
CONTENT_TYPES = [
    None, "application/x-www-form-urlencoded", "application/sparql-query",
    "application/sparql-update", "text/plain", "application/sparql-query; charset=latin-1",
]  # fmt: skip
LIMIT_MESSAGES = (
    "ran longer than the limit", "needed more memory", "server is busy", "server is sending",
    "too many open connections",
)  # fmt: skip

queries = st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join)
values = st.one_of(queries, st.text(max_size=40), st.sampled_from(["NADI", "<x>", "http://e/"]))
params = st.dictionaries(
    st.sampled_from(["query", "default-graph-uri", "named-graph-uri", "iri", "from", "to",
                     "update", "x"]),
    values,
    max_size=3,
)  # fmt: skip
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)


@pytest.fixture(scope="module")
def server(seed_build):
    try:
        with running_server(
            seed_build.store, "--no-network-isolation", "--workers", "2",
            "--query-timeout", "3", "--max-request-bytes", "20000",
        ) as base:  # fmt: skip
            yield base
    finally:
        LISTENER.close()


def check(response: httpx.Response) -> None:
    status, text = response.status_code, response.text
    has_body = response.request.method != "HEAD"
    assert "Traceback" not in text and 'File "' not in text
    assert response.headers["x-content-type-options"] == "nosniff"
    if status >= 500:  # a HEAD answer has no body to say which limit
        assert status == 503 and (not has_body or any(m in text for m in LIMIT_MESSAGES)), (
            status,
            text,
        )
    content_type = response.headers.get("content-type", "")
    if status == 404 and content_type.startswith("text/html"):
        # a page for a person, in the language the request asked for
        assert not has_body or re.search(r"<h1>(Niet gevonden|Not found)</h1>", text), text
    elif status >= 400:
        assert content_type.startswith("text/plain"), response.headers
        assert response.headers["access-control-allow-origin"] == "*"
        if has_body:
            assert text.endswith("\n") and text.count("\n") == 1, text
    if content_type.startswith("text/html"):
        assert "default-src 'self'" in response.headers["content-security-policy"]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]),
    path=st.one_of(
        st.sampled_from(PATHS),
        st.tuples(st.sampled_from(PATHS), st.text(max_size=15)).map(lambda t: t[0] + t[1]),
    ),
    query=params,
    accept=st.sampled_from(ACCEPTS),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=st.one_of(queries.map(str.encode), st.binary(max_size=200), st.just(b"")),
    host=st.one_of(st.none(), header_text),
)
# A resource page that does not exist: its 404 is a page in the negotiated language.
@example(
    method="GET", path="/doc/instrument/nadi0", query={}, accept=None, content_type=None,
    body=b"", host=None,
)  # fmt: skip
def test_any_request_gets_a_well_formed_answer(
    server, method, path, query, accept, content_type, body, host
) -> None:
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type)) if v}
    if host:
        headers["Host"] = host
    try:
        request = httpx.Request(
            method, server + path, params=query, headers=headers,
            content=body if method in ("POST", "PUT", "PATCH") else None,
        )  # fmt: skip
    except (httpx.InvalidURL, UnicodeEncodeError):
        return  # not a request httpx can send at all
    with loopback.client(timeout=30) as client:
        try:
            response = client.send(request)
        except httpx.LocalProtocolError:
            return  # a header value h11 will not send

    check(response)  # also what the HTTP parser (uvicorn/h11) refuses before the application


def test_nothing_connected_out(server) -> None:
    # Runs after the fuzz (file order): every SERVICE it sent was refused before running.
    assert LISTENER.connections == 0
