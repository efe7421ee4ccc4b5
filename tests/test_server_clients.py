"""The endpoint and the linked-data pages as real clients see them: httpx with explicit Accept
headers, SPARQLWrapper (JSON and XML), rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.query.library import list_queries
from kg.server.negotiation import choose
from kg.server.query_check import RefusedQuery, inspect_query
from tests.golden import golden_path
from tests.support import PROJECT, loopback
from tests.support.live_server import running_server

AIP = "https://w3id.org/ai-beleid/def/aip#"
NADI = "https://w3id.org/ai-beleid/id/instrument/nadi"
QUESTIONS = f"SELECT ?q ?n WHERE {{ ?q a <{AIP}Question> ; <{AIP}number> ?n }} ORDER BY ?n"
CONSTRUCT = f"CONSTRUCT {{ <{NADI}> ?p ?o }} WHERE {{ <{NADI}> ?p ?o }}"
QUERIES = list_queries(PROJECT.queries)


@pytest.fixture(scope="module")
def server(seed_build):
    with running_server(seed_build.store) as base:
        yield base


def get(base: str, text: str, accept: str | None = None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return loopback.get(base + "/sparql", params={"query": text}, headers=headers, timeout=30)


# ------------------------------------------------------------------ negotiation, unit level


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
        ("image/png", None),
    ],
)
def test_negotiation_uses_q_values_and_specificity(accept, expected) -> None:
    offers = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ]
    assert choose(accept, offers) == expected


def test_query_check_tells_form_and_dataset() -> None:
    info = inspect_query("PREFIX ex: <http://e/> CONSTRUCT WHERE { ?s ex:p ?o }")
    assert (info.form, info.has_dataset_clause) == ("CONSTRUCT", False)
    info = inspect_query("# SELECT\nASK FROM <http://g> { }")
    assert (info.form, info.has_dataset_clause) == ("ASK", True)
    with pytest.raises(RefusedQuery, match="read-only"):
        inspect_query("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }")


# ------------------------------------------------------------------ protocol over HTTP


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(server: str, accept: str, media_type: str) -> None:
    response = get(server, QUESTIONS, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type.endswith("json"):
        rows = response.json()["results"]["bindings"]
        assert rows[0]["n"] == {
            "type": "literal",
            "value": "1",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
        }
    elif media_type.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        rows = ET.fromstring(response.content).findall(f"{ns}results/{ns}result")
    elif media_type == "text/csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))[0:]
        assert rows[0]["n"] == "1"
    else:
        lines = response.text.splitlines()
        assert lines[0] == "?q\t?n"
        # Oxigraph's TSV writer uses Turtle's short form of an xsd:integer, as the format allows
        assert lines[1].endswith("\t1")
        rows = lines[1:]
    assert len(rows) == 12


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
    ],
)
def test_construct_in_every_rdf_format(server: str, accept: str, rdflib_format: str) -> None:
    response = get(server, CONSTRUCT, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (URIRef(NADI), RDF.type, URIRef(AIP + "NationalInstrument")) in graph


def test_describe(server: str) -> None:
    response = get(server, f"DESCRIBE <{NADI}>", "text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) > 3


def test_406_when_nothing_fits(server: str) -> None:
    response = get(server, QUESTIONS, "image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    assert get(server, "ASK {}", "text/csv").status_code == 406
    assert get(server, CONSTRUCT, "text/csv").status_code == 406


def test_400_carries_the_parser_message(server: str) -> None:
    response = get(server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.text == (
        "Syntax error at line 1, column 25: expected one of LATERAL, SERVICE, [_].\n"
    )


def test_a_missing_prefix_is_named_in_one_sentence(server: str) -> None:
    response = get(server, "SELECT ?i WHERE {\n  ?i a aip:NationalInstrument }")
    assert response.status_code == 400
    assert response.text == (
        "Prefix not found: aip (line 2, column 8). "
        "Add: PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>\n"
    )


def test_format_parameter_instead_of_accept(server: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
    url = f"{server}/sparql?format=csv&query={quote(query)}"
    response = loopback.get(url)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))  # what pandas.read_csv(url) reads
    assert rows[0] == ["s", "p", "o"] and len(rows) == 4
    assert (
        loopback.get(url.replace("format=csv", "format=tsv"))
        .headers["content-type"]
        .startswith("text/tab-separated-values")
    )
    assert loopback.get(url.replace("format=csv", "format=xml")).headers["content-type"] == (
        "application/sparql-results+xml"
    )
    as_json = loopback.get(url.replace("format=csv", "format=json"))
    assert as_json.headers["content-type"] == "application/sparql-results+json"
    assert as_json.json()["head"]["vars"] == ["s", "p", "o"]
    unknown = loopback.get(url.replace("format=csv", "format=xlsx"))
    assert unknown.status_code == 400 and "unknown format='xlsx'" in unknown.text


def test_a_browser_gets_an_html_table(server: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/ai-beleid/def/aip#NationalInstrument> }"
    response = loopback.get(f"{server}/sparql?query={quote(query)}", headers={"Accept": browser})
    assert response.headers["content-type"].startswith("text/html")
    assert '<table class="results">' in response.text
    assert ">Nationaal Agentschap voor Disruptieve Innovatie</a>" in response.text
    assert get(server, query, "*/*").headers["content-type"] == "application/sparql-results+json"


def test_select_star_keeps_the_order_of_the_query(server: str) -> None:
    response = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/csv")
    assert response.text.splitlines()[0] == "s,p,o"


def test_construct_turtle_declares_only_used_prefixes(server: str) -> None:
    query = (
        "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c "
        "FILTER (?c = <https://w3id.org/ai-beleid/def/aip#Question>) }"
    )
    turtle = get(server, query, "text/turtle").text
    declared = {line.split()[1] for line in turtle.splitlines() if line.startswith("@prefix")}
    assert declared == {"aip:", "rdf:"} or declared == {"aip:"}


def test_415_for_a_wrong_content_type(server: str) -> None:
    response = loopback.post(
        server + "/sparql", content=b"ASK {}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_post_form_and_direct_and_dataset_parameters(server: str) -> None:
    form = loopback.post(server + "/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert form.json()["boolean"] is True
    direct = loopback.post(
        server + "/sparql",
        content=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
        params={"default-graph-uri": "https://w3id.org/ai-beleid/graph/build"},
    )
    assert direct.json()["boolean"] is True
    empty = loopback.post(
        server + "/sparql",
        content=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
        params={"default-graph-uri": "http://example.org/not-stored"},
    )
    assert empty.json()["boolean"] is False


def test_service_description(server: str) -> None:
    response = loopback.get(server + "/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server + "/sparql")
    assert (endpoint, RDF.type, URIRef(sd + "Service")) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph


@pytest.mark.parametrize("named", QUERIES, ids=lambda q: q.name)
def test_every_library_query_runs_over_http(server: str, named) -> None:
    assert QUERIES, "no queries found in queries/"
    # With the declared defaults bound, as the research page sends it: a status "as of" a
    # date is otherwise the build's, and then today's rows (commitment-status.rq).
    text = named.text_with_defaults()
    response = loopback.post(server + "/sparql", data={"query": text}, timeout=30)
    assert response.status_code == 200, response.text
    # Rows where the seed has some: a query that compares documents has none on the seed alone.
    seed_rows = golden_path(named).read_text(encoding="utf-8").count("\n") - 1
    assert bool(response.json()["results"]["bindings"]) == (seed_rows > 0)


# ------------------------------------------------------------------ real SPARQL clients


@pytest.mark.parametrize("return_format", ["json", "xml"])
def test_sparqlwrapper(server: str, return_format: str) -> None:
    from xml.dom.minidom import Document, Text

    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(QUESTIONS)
    client.setReturnFormat(JSON if return_format == "json" else XML)
    result = client.query().convert()
    numbers = []
    if return_format == "json":
        assert isinstance(result, dict)
        numbers = [int(b["n"]["value"]) for b in result["results"]["bindings"]]
    else:
        assert isinstance(result, Document)
        for node in result.getElementsByTagName("literal"):
            assert isinstance(node.firstChild, Text)
            numbers.append(int(node.firstChild.data))
    assert numbers == list(range(1, 13))


def test_rdflib_sparqlstore(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from rdflib.query import ResultRow

    store = SPARQLStore(server + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    numbers = []
    for row in graph.query(QUESTIONS):
        assert isinstance(row, ResultRow)
        numbers.append(int(row.n))
    assert numbers == list(range(1, 13))
    assert graph.query(f"ASK {{ <{NADI}> a ?t }}").askAnswer is True
    # For CONSTRUCT rdflib asks for RDF/XML (its default return format); a JSON-only Accept
    # would rightly get 406.
    constructed = Graph(store=SPARQLStore(server + "/sparql")).query(CONSTRUCT).graph
    assert constructed is not None
    assert (URIRef(NADI), RDF.type, URIRef(AIP + "NationalInstrument")) in constructed


# ------------------------------------------------------------------ linked data


def test_id_answers_303_to_doc(server: str) -> None:
    response = loopback.get(server + "/id/instrument/nadi")
    assert response.status_code == 303
    assert response.headers["location"].endswith("/doc/instrument/nadi")


def test_resource_page_html(server: str) -> None:
    response = loopback.get(server + "/doc/instrument/nadi", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    assert "<h1>Nationaal Agentschap voor Disruptieve Innovatie" in html
    assert 'href="/def/aip#NationalInstrument"' in html  # its type, linked locally
    assert 'href="/doc/document/2026D32673/answer/9"' in html  # a link in


def test_fact_page_highlights_its_source_span(server: str) -> None:
    response = loopback.get(server + "/doc/document/2026D32673/mention/11710-11714")
    assert response.status_code == 200
    assert "<mark>NADI</mark>" in response.text


@pytest.mark.parametrize(
    ("accept", "rdflib_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_resource_as_rdf(server: str, accept: str, rdflib_format: str) -> None:
    response = loopback.get(
        server + "/doc/document/2026D32673/answer/9", headers={"Accept": accept}
    )
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    answer = URIRef("https://w3id.org/ai-beleid/id/document/2026D32673/answer/9")
    assert (answer, RDF.type, URIRef(AIP + "Answer")) in graph
    span = URIRef(str(answer) + "#position")  # the hash resources come with it
    assert (span, URIRef("http://www.w3.org/ns/oa#start"), None) in graph


def test_unknown_resource_is_404(server: str) -> None:
    assert loopback.get(server + "/doc/instrument/does-not-exist").status_code == 404
    response = loopback.get(
        server + "/doc/instrument/does-not-exist", headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 404


def test_ontology_as_turtle_and_html(server: str) -> None:
    turtle = loopback.get(server + "/def/aip", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (
        URIRef(AIP + "Question"),
        RDF.type,
        URIRef("http://www.w3.org/2002/07/owl#Class"),
    ) in graph
    html = loopback.get(server + "/def/aip", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert 'id="Question"' in html.text


def test_void(server: str) -> None:
    response = loopback.get(server + "/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    [endpoint] = graph.objects(None, URIRef(void + "sparqlEndpoint"))
    assert str(endpoint) == server + "/sparql"
    assert any(graph.objects(None, URIRef(void + "triples")))


# ------------------------------------------------------------------ research page


def test_research_page_lists_every_query_and_needs_no_cdn(server: str) -> None:
    html = loopback.get(server + "/").text
    for named in QUERIES:
        assert f'value="{named.name}"' in html
    examples = html.split('<script type="application/json" id="examples">')[1].split("</script>")[0]
    assert {q["name"] for q in json.loads(examples)} == {q.name for q in QUERIES}
    for tag in ("src=", "href="):
        for value in html.split(tag)[1:]:
            target = value[1:].split(value[0])[0]
            assert not target.startswith(("http://", "https://", "//")), target
    assert loopback.get(server + "/static/app.js").status_code == 200


PARAMETRISED = [q for q in QUERIES if q.params]


@pytest.mark.parametrize("named", PARAMETRISED, ids=lambda q: q.name)
def test_a_parametrised_example_runs_with_its_default_bound(server: str, named) -> None:
    """The page's example is what `kg query NAME` runs: the default bound as a VALUES block
    (unbound, fact-source would list the source of every fact in the graph)."""
    html = loopback.get(server + "/").text
    examples = html.split('<script type="application/json" id="examples">')[1].split("</script>")[0]
    [example] = [q["query"] for q in json.loads(examples) if q["name"] == named.name]
    [param] = named.params
    assert f"VALUES (?{param.name}) {{ ({param.default}) }}" in example
    response = loopback.post(
        server + "/sparql", data={"query": example}, headers={"Accept": "text/csv"}, timeout=60
    )
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {row[param.name] for row in rows} == {param.default.value}


def test_the_library_has_parametrised_examples() -> None:
    assert len(PARAMETRISED) >= 2


# ------------------------------------------------------------------ network analysis


def test_network_picture_is_an_svg_of_the_entity_network(server: str) -> None:
    response = loopback.get(server + "/analysis/network.svg", timeout=90)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.lstrip().startswith(("<?xml", "<svg"))
    assert "NADI" in response.text and "Techsoevereiniteitspakket" in response.text


def test_explain_path_names_answers_and_passages(server: str) -> None:
    response = loopback.get(
        server + "/analysis/path",
        params={"from": "NADI", "to": "id:eu/tech-sovereignty-package"},
        timeout=60,
    )
    assert response.status_code == 200
    path = response.json()
    assert path["source"] == "https://w3id.org/ai-beleid/id/instrument/nadi"
    assert path["target"] == "https://w3id.org/ai-beleid/id/eu/tech-sovereignty-package"
    [step] = path["steps"]
    [passage] = step["passages"]
    assert (passage["document"], passage["answer"]) == ("2026D32673", 1)
    assert "Techsoevereiniteitspakket" in passage["text"] and "NADI" in passage["text"]


@pytest.mark.parametrize(
    ("source", "target", "status", "message"),
    [
        ("NADI", "Nergensfonds", 400, "unknown entity 'Nergensfonds': no entity has that label"),
        ("NADI", "kabinet", 404, "is not in the entity network"),
    ],
)
def test_explain_path_errors(
    server: str, source: str, target: str, status: int, message: str
) -> None:
    response = loopback.get(
        server + "/analysis/path", params={"from": source, "to": target}, timeout=60
    )
    assert response.status_code == status
    assert message in response.text


@pytest.mark.parametrize(
    "path",
    ["/doc/instrument/nadi", "/def/aip", "/.well-known/void"],
    ids=["resource", "ontology", "void"],
)
def test_linked_data_406_names_what_is_offered(server: str, path: str) -> None:
    response = loopback.get(server + path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.text.startswith("offered: ")
    assert "text/turtle" in response.text


def test_labels_api_skips_what_is_not_an_iri(server: str) -> None:
    nadi = "https://w3id.org/ai-beleid/id/instrument/nadi"
    iris = [nadi, "x> } ?s ?p ?o {", "no colon", "urn:a\nb"]
    response = loopback.post(f"{server}/api/labels", json={"iris": iris, "lang": "en"})
    assert response.json() == {nadi: "National Agency for Disruptive Innovation"}
    assert loopback.post(f"{server}/api/labels", content=b"[1]").status_code == 400
