"""The minted graph: one description per uncurated entity, from the claims of all documents."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS

from kg.convert.minted import Claim, minted_graph
from kg.rdf.namespaces import AIP, ID

PERSON = ID["person/jansen"]
CURATED = ID["person/aerdts"]
SOURCE = ID["document/2026D32673"]


def claim(document: str, subject: URIRef, predicate: URIRef, value) -> Claim:
    doc = ID[f"document/{document}"]
    digest = hashlib.sha256(f"{subject} {predicate} {value}".encode()).hexdigest()[:16]
    return Claim(URIRef(f"{doc}/claim/{digest}"), doc, subject, predicate, value)


def curated() -> Graph:
    graph = Graph()
    graph.add((CURATED, RDF.type, FOAF.Person))
    graph.add((CURATED, RDFS.label, Literal("W.J.M. Aerdts", lang="nl")))
    return graph


CLAIMS = [
    claim("a", PERSON, RDF.type, FOAF.Person),
    claim("a", PERSON, RDFS.label, Literal("Jánsen", lang="nl")),
    claim("b", PERSON, RDF.type, FOAF.Person),
    claim("b", PERSON, RDFS.label, Literal("Jansen", lang="nl")),
    claim("c", PERSON, RDFS.label, Literal("Jansen", lang="nl")),
    claim("b", CURATED, RDFS.label, Literal("Aerdts", lang="nl")),
    claim("b", SOURCE, RDF.type, AIP.CitedDocument),
]


def test_one_label_per_language_the_one_most_documents_give() -> None:
    graph = minted_graph(CLAIMS, curated(), [])
    assert set(graph.objects(PERSON, RDFS.label)) == {Literal("Jansen", lang="nl")}
    assert set(graph.objects(PERSON, RDF.type)) == {FOAF.Person}
    # The provenance of the name: the claims it was made from.
    assert len(set(graph.objects(PERSON, PROV.wasDerivedFrom))) == 5


@pytest.mark.slow
def test_ties_go_to_the_smallest_text_whatever_the_order() -> None:
    tied = [c for c in CLAIMS if not str(c.document).endswith("/c")]
    graphs = {
        frozenset(minted_graph(order, curated(), [])) for order in itertools.permutations(tied)
    }
    assert len(graphs) == 1
    graph = minted_graph(tied, curated(), [])
    assert set(graph.objects(PERSON, RDFS.label)) == {Literal("Jansen", lang="nl")}


def test_curated_entities_and_loaded_documents_are_never_described() -> None:
    graph = minted_graph(CLAIMS, curated(), [SOURCE])
    assert (CURATED, None, None) not in graph
    assert (SOURCE, None, None) not in graph
    # Without the source document loaded, what other documents say of it is its description.
    assert (SOURCE, RDF.type, AIP.CitedDocument) in minted_graph(CLAIMS, curated(), [])


def test_the_stance_rules_are_described_once() -> None:
    graph = minted_graph([], Graph(), [])
    assert len(set(graph.subjects(RDF.type, AIP.ExtractionRule))) >= 5
