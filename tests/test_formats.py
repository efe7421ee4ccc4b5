"""kg.server.formats on its own, and SELECT and ASK results as the endpoint writes them (by the
engine's writers, through kg.server.result_writer): read back by Oxigraph's parsers (the same
solutions, term for term), CSV as the W3C note writes it, and Turtle that declares only the
prefixes it uses. No server; an empty in-memory store evaluates the rows."""

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
    serialize_triples,
    used_prefixes,
)
from kg.server.result_writer import RESULTS_FORMATS, write_solutions
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


def written(fmt: str, query: str | None = None) -> bytes:
    """ROWS (or ``query``'s) as the endpoint writes them: by the engine's result writer."""
    if query is None:
        branches = []
        for index, row in enumerate(ROWS):
            bound = [(v, t) for v, t in zip(VARIABLES, row, strict=True) if t is not None]
            if isinstance(row[0], ox.BlankNode):
                branch = "BIND(BNODE() AS ?s)"
            else:
                names = " ".join(f"?{v}" for v, _ in bound)
                branch = f"VALUES ({names}) {{ ({' '.join(str(t) for _, t in bound)}) }}"
            branches.append(f"{{ {branch} BIND({index} AS ?i) }}")
        query = f"SELECT ?s ?o WHERE {{ {' UNION '.join(branches)} }} ORDER BY ?i"
    results = solutions(ox.Store().query(query))
    return write_solutions(results, fmt, max_rows=100, max_bytes=10**6).body


def same_rows(found: list[tuple]) -> bool:
    """ROWS, a blank node matching any blank node."""
    return len(found) == len(ROWS) and all(
        isinstance(a, ox.BlankNode) if isinstance(b, ox.BlankNode) else a == b
        for row, expected in zip(found, ROWS, strict=True)
        for a, b in zip(row, expected, strict=True)
    )


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_solutions_read_back_as_the_same_terms(fmt: str) -> None:
    results = solutions(ox.parse_query_results(written(fmt), format=PARSERS[fmt]))
    assert [v.value for v in results.variables] == VARIABLES
    assert same_rows([(row["s"], row["o"]) for row in results])


def test_csv_is_the_w3c_form_values_only_crlf_and_quoted_where_needed() -> None:
    body = written("csv").decode("utf-8")
    assert body.startswith("s,o\r\n")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == ["s", "o"] and rows[1] == ["http://example.org/x", TRICKY.value]
    assert rows[2][0].startswith("_:") and rows[2][1] == ""
    assert rows[3:] == [["", "3"], ["http://example.org/x", PLAIN.value]]


def test_json_omits_unbound_variables_and_the_string_datatype() -> None:
    bindings = json.loads(written("json"))["results"]["bindings"]
    assert list(bindings[1]) == ["s"] and bindings[1]["s"]["type"] == "bnode"
    assert bindings[3]["o"] == {"type": "literal", "value": PLAIN.value}


def test_no_rows_is_still_a_result_with_its_head() -> None:
    body = written("json", "SELECT ?x WHERE { FILTER(false) }")
    results = solutions(ox.parse_query_results(body, format=PARSERS["json"]))
    assert ([v.value for v in results.variables], list(results)) == (["x"], [])


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_read_back(fmt: str, value: bool) -> None:
    answer = ox.Store().query(f"ASK {{ FILTER({str(value).lower()}) }}")
    assert isinstance(answer, ox.QueryBoolean)
    body = answer.serialize(format=RESULTS_FORMATS[fmt])
    assert body is not None
    assert bool(ox.parse_query_results(body, format=PARSERS[fmt])) is value


def test_a_boolean_is_offered_in_json_and_xml_only() -> None:
    assert {key for key, _ in OFFERS[BOOLEAN].values()} == {"json", "xml"}


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
