"""kg.server.protocol on its own: how a GET, a form POST and a direct POST become a query and
its protocol dataset, and the 4xx (with its message) for each way a request can be wrong. No
server, no store: the same requests over HTTP are in tests/test_app.py."""

from __future__ import annotations

import pytest

from kg.server.protocol import READ_ONLY, ProtocolError, SparqlRequest, parse_request

ASK = "ASK { ?s ?p ?o }"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def refused(method: str, params=(), content_type=None, body=b"") -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse_request(method, list(params), content_type, body)
    return caught.value


def test_get_with_a_query() -> None:
    assert parse_request("GET", [("query", ASK)], None, b"") == SparqlRequest(ASK)


def test_get_without_a_query_asks_for_the_service_description() -> None:
    request = parse_request("get", [], None, b"")
    assert request == SparqlRequest(None)
    assert not request.has_protocol_dataset


def test_form_post_reads_the_query_and_the_repeated_graphs_from_the_body() -> None:
    body = (
        b"query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"
        b"&default-graph-uri=http%3A%2F%2Fe%2Fa&default-graph-uri=http%3A%2F%2Fe%2Fb"
        b"&named-graph-uri=urn%3Ax%3Ac"
    )
    request = parse_request("POST", [], f"{FORM}; charset=UTF-8", body)
    assert request.query == ASK
    assert request.default_graphs == ("http://e/a", "http://e/b")
    assert request.named_graphs == ("urn:x:c",)
    assert request.has_protocol_dataset


def test_a_dataset_in_the_url_goes_with_a_direct_post() -> None:
    request = parse_request(
        "POST", [("named-graph-uri", "http://e/g")], DIRECT, ASK.encode("utf-8")
    )
    assert (request.query, request.default_graphs, request.named_graphs) == (
        ASK,
        (),
        ("http://e/g",),
    )


def test_without_dataset_parameters_there_is_no_protocol_dataset() -> None:
    request = parse_request("GET", [("query", ASK)], None, b"")
    assert (request.default_graphs, request.named_graphs) == (None, None)
    assert not request.has_protocol_dataset


def test_a_direct_post_is_read_as_utf8() -> None:
    query = 'ASK { ?s ?p "Tweede Kamer — één" }'
    assert parse_request("POST", [], DIRECT, query.encode("utf-8")).query == query


@pytest.mark.parametrize(
    ("method", "params", "content_type", "body", "status", "message"),
    [
        ("PUT", [("query", ASK)], None, b"", 405, "method PUT is not allowed; use GET or POST"),
        ("GET", [("update", "DROP ALL")], None, b"", 403, READ_ONLY),
        ("GET", [("query", ASK), ("using-graph-uri", "http://e/")], None, b"", 403, READ_ONLY),
        ("POST", [], "application/sparql-update", b"DROP ALL", 403, READ_ONLY),
        ("POST", [], None, b"query=x", 415, "a POST needs a Content-Type"),
        ("POST", [], "text/plain", b"x", 415, "Content-Type text/plain is not supported"),
        ("POST", [], f"{FORM}; charset=latin-1", b"q", 415, "charset latin-1 is not supported"),
        ("POST", [], f"{DIRECT};charset=utf-16", b"q", 415, "charset utf-16 is not supported"),
        ("POST", [], DIRECT, b"ASK \xff", 400, "the query is not valid UTF-8 (byte 4)"),
        ("POST", [], FORM, b"query=\xe9", 400, "the form body is not valid UTF-8 (byte 6)"),
        ("POST", [], FORM, b"query=%FF", 400, "the form is not valid UTF-8 once percent-decoded"),
        ("POST", [("query", ASK)], DIRECT, ASK.encode(), 400, "either as the body or as 'query'"),
        ("GET", [("query", ASK), ("query", ASK)], None, b"", 400, "this request has 2"),
        ("POST", [], FORM, b"", 400, "no query: send it as 'query' or as the request body"),
        ("GET", [("default-graph-uri", "http://e/")], None, b"", 400, "no query"),
        ("GET", [("query", ASK), ("default-graph-uri", "relative")], None, b"", 400, "'relative'"),
        ("GET", [("query", ASK), ("named-graph-uri", "http://e/<x>")], None, b"", 400, "absolute"),
        ("GET", [("query", ASK), ("named-graph-uri", "")], None, b"", 400, "not an absolute IRI"),
    ],
    ids=[
        "put",
        "update-parameter",
        "using-graph-uri",
        "update-body",
        "post-without-content-type",
        "post-text-plain",
        "form-latin1",
        "direct-utf16",
        "direct-not-utf8",
        "form-not-utf8",
        "form-percent-not-utf8",
        "query-twice-body-and-url",
        "query-twice-url",
        "post-without-query",
        "dataset-without-query",
        "relative-graph",
        "graph-with-brackets",
        "empty-graph",
    ],
)
def test_a_wrong_request_is_refused_with_its_status_and_reason(
    method, params, content_type, body, status, message
) -> None:
    error = refused(method, params, content_type, body)
    assert (error.status, message in str(error)) == (status, True), str(error)
