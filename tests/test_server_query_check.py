"""The one SPARQL lexer (kg.rdf.sparql) and the endpoint's query check built on it: what counts
as a keyword is what Oxigraph reads as one (comments end at CR or LF; strings, IRIs and comments
hide nothing), and SERVICE anywhere in the syntax is refused."""

from __future__ import annotations

import contextlib
import socket

import pyoxigraph as ox
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.rdf import sparql
from kg.server.query_check import NO_SERVICE, READ_ONLY, RefusedQuery, calls_out, inspect_query
from tests.support import solutions
from tests.support.listener import Listener


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX select: <http://e/> ASK { ?s select:p ?o }", "ASK"),
        ("# SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ('BASE <http://b/> DESCRIBE <x> # "SELECT"', "DESCRIBE"),
        ("PREFIX : <http://e/> SELECT * { ?s :ask ?o }", "SELECT"),
        ("garbage", None),
    ],
)
def test_query_form(text: str, form: str | None) -> None:
    assert sparql.query_form(text) == form


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { # x\r SERVICE <http://x/> { ?s ?p ?o } \n }",  # CR ends a comment
        "SELECT * WHERE { ?s ?p ?o .SERVICE<http://x/>{ ?a ?b ?c } }",
        "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "ASK { FILTER EXISTS { sErViCe SILENT ?e { ?s ?p ?o } } }",
    ],
    ids=["plain", "carriage-return-comment", "no-spaces", "codepoint", "exists-variable"],
)
def test_service_is_refused(text: str) -> None:
    with pytest.raises(RefusedQuery, match="SERVICE") as caught:
        inspect_query(text)
    assert caught.value.status == 400
    assert str(caught.value) == NO_SERVICE


def test_carriage_return_ends_a_comment_in_oxigraph_too() -> None:
    # Why the lexer ends comments at CR: the engine does, so the SERVICE above would run.
    rows = list(solutions(ox.Store().query("SELECT * WHERE { # x\r BIND(2 AS ?s) \n }")))
    assert rows[0]["s"] == ox.Literal(
        "2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )


# Texts on which a lexer and Oxigraph's context-dependent grammar disagree: Oxigraph runs the
# SERVICE (each connects out, checked below), a lexer sees a name, a comment or an IRI around it.
HIDDEN_SERVICE = {
    "escaped-hash-in-name": (
        "PREFIX a: <http://e/> SELECT * WHERE { BIND(a:b\\# AS ?q) SERVICE <URL> { ?x ?y ?z } \n}"
    ),
    "escaped-quote-in-name": (
        "PREFIX a: <http://e/> SELECT * WHERE { BIND(a:b\\' AS ?q) SERVICE <URL> { ?x ?y ?z } "
        "BIND('x' AS ?r) }"
    ),
    "keyword-before-default-prefix": "PREFIX : <URL> SELECT * WHERE { SERVICE:x { ?a ?b ?c } }",
    "keyword-glued-to-a-name": "PREFIX a: <URL> SELECT * WHERE { SERVICEa:x { ?a ?b ?c } }",
    "less-than-read-as-an-iri": "PREFIX : <URL> SELECT * WHERE { FILTER(1<2)SERVICE:#>\n{ ?a ?b ?c } }",
}


def connections_made(text: str, listener: Listener) -> int:
    """How many connections Oxigraph opens running ``text`` on an empty store. A connection it
    made is queued before the query returns, and connections are accepted in order: once a marker
    connection made after the query is closed by the listener, every earlier one is counted."""
    before = listener.connections
    with contextlib.suppress(OSError, RuntimeError, SyntaxError):
        results = ox.Store().query(text)
        if not isinstance(results, ox.QueryBoolean):  # a SELECT or CONSTRUCT: run to its end
            list(results)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=10) as marker:
        assert marker.recv(1) == b""  # the listener has accepted and closed it
    return listener.connections - before - 1


@pytest.fixture(scope="module")
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.mark.parametrize("text", list(HIDDEN_SERVICE.values()), ids=list(HIDDEN_SERVICE))
def test_service_hidden_from_a_lexer_is_refused(text: str, listener: Listener) -> None:
    query = text.replace("URL", f"http://127.0.0.1:{listener.port}/")
    assert connections_made(query, listener) == 1  # unchecked, the engine calls out
    assert calls_out(query)
    with pytest.raises(RefusedQuery, match="SERVICE") as caught:
        inspect_query(query)
    assert caught.value.status == 400


PIECES = [
    "SELECT", "*", "WHERE", "{", "}", "?v", "?a ?b ?c", ".", "SERVICE", "SERVICE SILENT", "#",
    "\r", "\n", "'", '"', "'''", "<", ">", "a:b\\#", "a:b\\'", ":x", "SERVICE:x", "SERVICEa:x",
    "FILTER(1<2)", "<URL>", "OPTIONAL", "UNION", "\\u0053ERVICE", "(", ")", "service",
    "?service", "a:service", " ",
]  # fmt: skip


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
@example(["SERVICE:x", "{", "?a ?b ?c", "}"])  # found by hand: a lexer reads a name
def test_a_query_that_passes_the_check_never_calls_out(listener: Listener, pieces) -> None:
    url = f"http://127.0.0.1:{listener.port}/"
    body = "".join(pieces).replace("URL", url)
    text = f"PREFIX : <{url}> PREFIX a: <{url}> SELECT * WHERE {{ BIND(<{url}> AS ?v) {body} }}"
    try:
        inspect_query(text)
    except RefusedQuery:
        return
    assert connections_made(text, listener) == 0, text


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { BIND ("SERVICE <http://x/> { }" AS ?x) }',
        "SELECT * WHERE { BIND (<http://x/SERVICE> AS ?x) } # SERVICE <http://x/> {}",
        "PREFIX service: <http://e/> SELECT ?service WHERE { ?service service:p _:service }",
        "PREFIX : <http://e/> SELECT * WHERE { ?s :service ?o }",
        "SELECT * WHERE { ?s ?p 'it''s a SERVICE' }".replace("''", "\\'"),
        "PREFIX a: <http://e/> SELECT * WHERE { ?s a:service\\# 'Service' } # SERVICE\r",
        "SELECT ?x WHERE { BIND(1<2 AS ?x) } # services",
    ],
)
def test_service_in_strings_iris_comments_and_names_is_not_refused(text: str) -> None:
    assert inspect_query(text).form == "SELECT"


def test_updates_are_refused_as_read_only() -> None:
    with pytest.raises(RefusedQuery, match="read-only") as caught:
        inspect_query("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }")
    assert (caught.value.status, str(caught.value)) == (403, READ_ONLY)


def test_dataset_clause() -> None:
    assert inspect_query("ASK FROM <http://g> { }").has_dataset_clause
    assert not inspect_query('ASK { ?s ?p "FROM" }').has_dataset_clause


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ('CONSTRUCT { ?r ?p "{" } WHERE { ?r ?p ?o }', "WHERE {"),
        ("SELECT * { ?r ?p ?o }", "* {"),
        ("PREFIX w: <http://e/where#> SELECT ?where { ?r w:where ?where }", "?where {"),
        ("DESCRIBE ?r { ?r ?p ?o }", "?r {"),
        ("# WHERE {\nASK { ?r ?p ?o }", "ASK {"),
    ],
)
def test_outermost_group_start(text: str, marker: str) -> None:
    assert sparql.outermost_group_start(text) == text.index(marker) + len(marker)


def test_no_group_to_bind_into() -> None:
    with pytest.raises(QueryError, match="no WHERE group"):
        sparql.outermost_group_start("DESCRIBE <http://e/x>")


def test_strip_prologue() -> None:
    text = "PREFIX a: <http://a/>\nBASE <http://b/>\nPREFIX : <http://c/> CONSTRUCT WHERE {}"
    assert sparql.strip_prologue(text) == "CONSTRUCT WHERE {}"
