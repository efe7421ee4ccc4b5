"""The generated ontology documentation has an anchor, both languages and relations per term."""

from __future__ import annotations

from html.parser import HTMLParser

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.describe.ontology_html import render_ontology_html
from kg.extract.reference import load_turtle_files, turtle_files
from kg.rdf.namespaces import AIP
from tests.support import PROJECT


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k == "id" and v)


def test_every_term_has_an_anchor_and_both_definitions() -> None:
    graph: Graph = load_turtle_files(turtle_files(PROJECT.ontology))
    page = render_ontology_html(graph)
    parser = _Ids()
    parser.feed(page)
    terms = {
        str(t)[len(str(AIP)) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in graph.subjects(RDF.type, kind)
        if isinstance(t, URIRef) and str(t).startswith(str(AIP))
    }
    assert len(terms) > 40
    assert terms <= parser.ids
    assert "Een genummerde vraag van een Kamerlid" in page
    assert "A numbered question by a member of parliament" in page
    assert '<a href="#Question"><code>aip:Question</code></a>' in page  # range of aip:answers
    assert (AIP.answers, RDFS.range, AIP.Question) in graph


def test_a_property_with_several_ranges_names_them() -> None:
    graph: Graph = load_turtle_files(turtle_files(PROJECT.ontology))
    page = render_ontology_html(graph)
    section = page[page.index('id="committedBy"') :]
    section = section[: section.index("</section>")]
    assert "<dt>range includes</dt>" in section
    assert "foaf:Person</code></a>" in section and "org:Post</code></a>" in section
