"""kg.server.formats on its own: the endpoint's own serialisers of SELECT and ASK results, read
back by Oxigraph's parsers (the same solutions, term for term), CSV as the W3C note writes it,
and Turtle that declares only the prefixes it uses. No server, no store."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kg.server.formats import (
    BOOLEAN,
    GRAPH,
    OFFERS,
    RDF_FORMATS,
    RDFLIB_FORMATS,
    TABULAR,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
    used_prefixes,
)
from tests.support import solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
EX = ox.NamedNode("http://example.org/x")
LABEL = ox.NamedNode(RDFS + "label")
# Terms that need escaping in each format: a tab, a quote, a line break, '<', '&' and a comma.
TRICKY = ox.Literal('a\tb "c"\nd <e> & f, g', language="nl")
NUMBER = ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))
PLAIN = ox.Literal("Tweede Kamer — één")
BLANK = ox.BlankNode("b0")
VARIABLES = ["s", "o"]
ROWS = [(EX, TRICKY), (BLANK, None), (None, NUMBER), (EX, PLAIN)]
PARSERS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_solutions_read_back_as_the_same_terms(fmt: str) -> None:
    body = serialize_solutions(VARIABLES, ROWS, fmt)
    results = solutions(ox.parse_query_results(body, format=PARSERS[fmt]))
    assert [v.value for v in results.variables] == VARIABLES
    assert [(row["s"], row["o"]) for row in results] == ROWS


def test_csv_is_the_w3c_form_values_only_crlf_and_quoted_where_needed() -> None:
    body = serialize_solutions(VARIABLES, ROWS, "csv").decode("utf-8")
    assert body.startswith("s,o\r\n")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows == [
        ["s", "o"],
        ["http://example.org/x", TRICKY.value],
        ["_:b0", ""],
        ["", "3"],
        ["http://example.org/x", PLAIN.value],
    ]


def test_json_omits_unbound_variables_and_the_string_datatype() -> None:
    doc = json.loads(serialize_solutions(VARIABLES, ROWS, "json"))
    bindings = doc["results"]["bindings"]
    assert bindings[1] == {"s": {"type": "bnode", "value": "b0"}}
    assert bindings[3]["o"] == {"type": "literal", "value": PLAIN.value}


def test_no_rows_is_still_a_result_with_its_head() -> None:
    body = serialize_solutions(["x"], [], "json")
    results = solutions(ox.parse_query_results(body, format=PARSERS["json"]))
    assert ([v.value for v in results.variables], list(results)) == (["x"], [])


def test_an_unknown_results_format_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown results format 'html'"):
        serialize_solutions(VARIABLES, ROWS, "html")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_read_back(fmt: str, value: bool) -> None:
    assert bool(ox.parse_query_results(serialize_boolean(value, fmt), format=PARSERS[fmt])) is value


def test_a_boolean_has_no_csv_form() -> None:
    with pytest.raises(ValueError, match="a boolean result has no 'csv' form"):
        serialize_boolean(True, "csv")


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_triples_read_back_in_every_graph_format(fmt: str) -> None:
    triples = [ox.Triple(EX, LABEL, TRICKY), ox.Triple(EX, LABEL, NUMBER)]
    body = serialize_triples(triples, fmt, {"rdfs": RDFS, "ex": "http://example.org/"})
    quads = list(ox.parse(body, format=RDF_FORMATS[fmt]))
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in quads} == set(triples)


def test_turtle_declares_only_the_prefixes_it_uses() -> None:
    prefixes = {"rdfs": RDFS, "ex": "http://example.org/", "owl": "http://www.w3.org/2002/07/owl#"}
    body = serialize_triples([ox.Triple(EX, LABEL, PLAIN)], "turtle", prefixes).decode()
    assert "@prefix rdfs:" in body and "@prefix ex:" in body
    assert "owl:" not in body
    assert "ex:x rdfs:label" in body


def test_used_prefixes_counts_datatypes_but_not_the_string_types() -> None:
    prefixes = {"xsd": XSD, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert used_prefixes([ox.Triple(EX, LABEL, NUMBER)], prefixes) == {"xsd": XSD}
    assert used_prefixes([ox.Triple(EX, LABEL, TRICKY)], prefixes) == {}


def test_every_offer_answers_with_a_known_format() -> None:
    keys = {TABULAR: {"json", "xml", "csv", "tsv"}, BOOLEAN: {"json", "xml"}, GRAPH: RDF_FORMATS}
    for kind, offers in OFFERS.items():
        assert offers, kind
        for media_type, (key, answer_type) in offers.items():
            assert key in keys[kind], media_type
            assert answer_type.split(";")[0] in offers, media_type  # an alias answers properly
    assert set(RDFLIB_FORMATS) == set(RDF_FORMATS)
