"""The VoID description agrees with the store it describes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from kg.describe.void import describe
from kg.rdf.namespaces import AIP, DATASET, SD, VOID
from tests.support import value_of


@pytest.mark.slow
def test_void_counts_match_the_store(seed_store: ox.Store) -> None:
    g: Graph = describe(seed_store, sparql_endpoint="http://127.0.0.1:8000/sparql")
    quads = list(seed_store.quads_for_pattern(None, None, None))
    union = {(q.subject, q.predicate, q.object) for q in quads}  # the dataset's triples
    assert g.value(DATASET, VOID.triples) == Literal(len(union))
    assert (DATASET, VOID.sparqlEndpoint, URIRef("http://127.0.0.1:8000/sparql")) in g
    questions = next(
        p
        for p in g.objects(DATASET, VOID.classPartition)
        if g.value(p, VOID["class"]) == AIP.Question
    )
    assert g.value(questions, VOID.entities) == Literal(12)
    graphs = [s for s in g.objects(DATASET, VOID.subset) if g.value(s, SD.name) is not None]
    assert len(graphs) == 5  # ontology, reference, minted, build and the seed's graph
    assert sum(int(str(g.value(s, VOID.triples))) for s in graphs) == len(quads)


def test_void_linksets_name_their_targets(seed_store: ox.Store) -> None:
    g = describe(seed_store)
    linksets = list(g.subjects(RDF.type, VOID.Linkset))
    assert linksets
    cellar = [ls for ls in linksets if g.value(ls, VOID.linkPredicate) == OWL.sameAs]
    assert len(cellar) == 1
    assert g.value(cellar[0], VOID.objectsTarget) == URIRef(
        "http://publications.europa.eu/resource/dataset/cellar"
    )
    same_as = ox.NamedNode(str(OWL.sameAs))
    to_cellar = {
        (q.subject, q.object)
        for q in seed_store.quads_for_pattern(None, same_as, None)
        if value_of(q.object).startswith("http://publications.europa.eu/resource/celex/")
    }
    assert len(to_cellar) >= 1
    assert g.value(cellar[0], VOID.triples) == Literal(len(to_cellar))


def test_every_link_of_the_seed_into_another_dataset_is_in_a_linkset(
    seed_store: ox.Store,
) -> None:
    """Each link (owl:sameAs, SKOS mapping, rdfs:seeAlso, ...) from a resource of ours to a
    resource outside our namespace is counted once, in the linkset of its target dataset; the
    reference data links into EUR-Lex, Wikidata, TOOI and the EU corporate bodies."""
    from kg.describe.void import LINK_PREDICATES
    from kg.rdf.namespaces import BASE, ID

    links = {
        (value_of(q.subject), q.predicate.value, q.object.value)
        for predicate in LINK_PREDICATES
        for q in seed_store.quads_for_pattern(None, ox.NamedNode(predicate), None)
        if isinstance(q.object, ox.NamedNode)
        and value_of(q.subject).startswith(str(ID))
        and not q.object.value.startswith(BASE)
    }
    assert links, "the seed has no links into other datasets"
    g = describe(seed_store)
    linksets = list(g.subjects(RDF.type, VOID.Linkset))
    assert sum(int(str(g.value(ls, VOID.triples))) for ls in linksets) == len(links)
    targets = {str(g.value(ls, VOID.objectsTarget)) for ls in linksets}
    assert {
        "http://data.europa.eu/eli/",
        "http://www.wikidata.org/",
        "https://identifier.overheid.nl/tooi/",
        "http://publications.europa.eu/resource/authority/corporate-body",
    } <= targets


def test_void_linksets_count_links_into_wikidata_tooi_and_eur_lex() -> None:
    from kg.describe.void import LINK_TARGETS, count_links
    from kg.rdf.namespaces import ID
    from kg.store.embedded import EmbeddedStore

    graph = ox.NamedNode("https://w3id.org/ai-beleid/graph/reference")
    exact = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    same = ox.NamedNode(str(OWL.sameAs))
    ours = [ox.NamedNode(f"{ID}organisation/o{i}") for i in range(3)]
    links = [
        (ours[0], exact, "http://www.wikidata.org/entity/Q1"),
        (ours[1], exact, "http://www.wikidata.org/entity/Q2"),
        (ours[2], exact, "http://www.wikidata.org/entity/Q3"),
        (ours[0], same, "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"),
        (ours[1], same, "http://publications.europa.eu/resource/celex/32024R1689"),
        (ours[2], exact, "http://data.europa.eu/eli/reg/2024/1689/oj"),
        # not links of ours: another dataset's subject, a predicate that is no link
        (ox.NamedNode("https://example.org/x"), exact, "http://www.wikidata.org/entity/Q4"),
        (ours[0], ox.NamedNode("http://purl.org/dc/terms/subject"),
         "http://www.wikidata.org/entity/Q5"),
    ]  # fmt: skip
    store = ox.Store()
    store.extend(ox.Quad(s, p, ox.NamedNode(o), graph) for s, p, o in links)
    expected = {
        (exact.value, "http://www.wikidata.org/entity/"): 3,
        (same.value, "https://identifier.overheid.nl/tooi/id/"): 1,
        (same.value, "http://publications.europa.eu/resource/celex/"): 1,
        (exact.value, "http://data.europa.eu/eli/"): 1,
    }
    assert count_links(store) == expected
    assert count_links(EmbeddedStore(store)) == expected  # the GraphStore protocol
    g = describe(store)
    linksets = {
        (str(g.value(ls, VOID.objectsTarget)), str(g.value(ls, VOID.linkPredicate))):
            int(str(g.value(ls, VOID.triples)))
        for ls in g.subjects(RDF.type, VOID.Linkset)
    }  # fmt: skip
    assert linksets == {
        (LINK_TARGETS[prefix][1], predicate): n for (predicate, prefix), n in expected.items()
    }
    wikidata = URIRef("http://www.wikidata.org/")
    assert (wikidata, RDF.type, VOID.Dataset) in g
    assert g.value(wikidata, VOID.uriSpace) is not None
