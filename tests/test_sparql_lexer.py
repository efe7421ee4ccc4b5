"""kg.rdf.sparql's lexer on its own: token kinds and offsets, what ``code`` hides, the shape the
query check measures, updates behind a prologue. The SERVICE check and the binding position are
in tests/test_server_query_check.py; the examples in the module's docstrings run as doctests
(tests/test_doctests.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.rdf import sparql

QUERY = 'PREFIX ex: <http://e/> SELECT ?x # a comment\n WHERE { ?x ex:p "s{" } LIMIT 1'


def test_token_kinds_and_offsets() -> None:
    found = [(t.kind, t.text) for t in sparql.tokens(QUERY, comments=True)]
    assert found == [
        ("name", "PREFIX"),
        ("name", "ex:"),
        ("iri", "<http://e/>"),
        ("name", "SELECT"),
        ("var", "?x"),
        ("comment", "# a comment"),
        ("name", "WHERE"),
        ("open", "{"),
        ("var", "?x"),
        ("name", "ex:p"),
        ("string", '"s{"'),
        ("close", "}"),
        ("name", "LIMIT"),
        ("other", "1"),
    ]
    assert all(QUERY[t.start : t.end] == t.text for t in sparql.tokens(QUERY, comments=True))


def test_comments_are_left_out_unless_asked_for() -> None:
    assert "comment" not in {t.kind for t in sparql.tokens(QUERY)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('"""a "quoted" line\nand } another"""', "string"),
        ("'''it''s'''", "string"),
        ("'it\\'s'", "string"),
        ("$var", "var"),
        ("@nl-BE", "name"),
        (":local", "name"),
        ("<urn:x:y>", "iri"),
    ],
)
def test_one_token(text: str, kind: str) -> None:
    assert [(t.kind, t.text) for t in sparql.tokens(text)] == [(kind, text)]


def test_a_local_escape_stays_in_its_prefixed_name() -> None:
    # Oxigraph reads ex:a\#b as <http://e/a#b>: the escape is part of the name, not a comment.
    assert [(t.kind, t.text) for t in sparql.tokens("ex:a\\#b ?x")] == [
        ("name", "ex:a\\#b"),
        ("var", "?x"),
    ]
    assert sparql.keywords("SELECT * { ex:a\\#b ?p ex:c%2Fd } LIMIT 1") == [
        "SELECT", "EX:A\\#B", "EX:C%2FD", "LIMIT",
    ]  # fmt: skip


def test_a_lone_backslash_ends_a_prefixed_name() -> None:
    assert [t.text for t in sparql.tokens("ex:a\\ b")][:1] == ["ex:a"]


def test_a_string_never_spans_a_line_unless_triple_quoted() -> None:
    assert [t.kind for t in sparql.tokens('"a\nb"')] == ["other", "name", "name", "other"]


def test_code_hides_comments_strings_and_iris() -> None:
    assert sparql.code('ASK { <http://x/SELECT> ?p "SELECT" } # SELECT') == "ASK {   ?p   }  "


def test_keywords_are_the_bare_words_upper_cased() -> None:
    assert sparql.keywords(QUERY) == ["PREFIX", "EX:", "SELECT", "WHERE", "EX:P", "LIMIT"]


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", True),
        ("BASE <http://b/> PREFIX : <http://e/> clear all", True),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("SELECT * { ?s <http://e/insert> ?o }", False),
        ("PREFIX delete: <http://e/> SELECT * { ?s delete:p ?o }", False),
        ("# DROP ALL\nASK {}", False),
    ],
)
def test_is_update(text: str, update: bool) -> None:
    assert sparql.is_update(text) is update


def test_shape_counts_depth_keywords_and_operators() -> None:
    depth, counts = sparql.shape(
        "SELECT * { { ?s ?p ?o } FILTER((1+2) > 0) OPTIONAL { [] ?p ?o } }"
    )
    assert depth == 3  # { { } } and { ( ( ) ) }: brackets of every kind nest together
    assert (counts["open"], counts["("], counts["["], counts["FILTER"], counts["+"]) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert counts["var"] == 5


def test_codepoint_escapes_expand_in_both_lengths() -> None:
    assert sparql.expand_codepoints("\\u0053ERVICE \\U0001F600") == "SERVICE \U0001f600"


@given(st.text(alphabet=st.sampled_from(list("SELECT{}<>\"'#?$: \n\r\\ab1.,()[]")), max_size=60))
def test_the_lexer_loses_nothing_but_white_space(text: str) -> None:
    """Tokens (comments included) cover the text in order, without overlap, leaving only white
    space between them: whatever is syntax is seen by the checks built on the lexer."""
    cursor = 0
    for token in sparql.tokens(text, comments=True):
        assert token.start >= cursor
        assert text[cursor : token.start].strip() == ""
        assert text[token.start : token.end] == token.text != ""
        cursor = token.end
    assert text[cursor:].strip() == ""
