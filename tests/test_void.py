"""The VoID description agrees with the store it describes."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from kg.describe.void import describe
from kg.rdf.namespaces import AIP, DATASET, SD, VOID


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
    assert len(graphs) == 4
    assert sum(int(g.value(s, VOID.triples)) for s in graphs) == len(quads)


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
        if q.object.value.startswith("http://publications.europa.eu/resource/celex/")
    }
    assert len(to_cellar) >= 1
    assert g.value(cellar[0], VOID.triples) == Literal(len(to_cellar))
