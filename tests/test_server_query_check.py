"""The one SPARQL lexer (kg.rdf.sparql) and the endpoint's query check built on it: what counts
as a keyword is what Oxigraph reads as one (comments end at CR or LF; strings, IRIs and comments
hide nothing), and SERVICE anywhere in the syntax is refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.rdf import sparql
from kg.server.query_check import NO_SERVICE, READ_ONLY, RefusedQuery, inspect_query


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
    rows = list(ox.Store().query("SELECT * WHERE { # x\r BIND(2 AS ?s) \n }"))
    assert rows[0]["s"] == ox.Literal(
        "2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { BIND ("SERVICE <http://x/> { }" AS ?x) }',
        "SELECT * WHERE { BIND (<http://x/SERVICE> AS ?x) } # SERVICE <http://x/> {}",
        "PREFIX service: <http://e/> SELECT ?service WHERE { ?service service:p _:service }",
        "PREFIX : <http://e/> SELECT * WHERE { ?s :service ?o }",
        "SELECT * WHERE { ?s ?p 'it''s a SERVICE' }".replace("''", "\\'"),
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
