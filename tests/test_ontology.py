"""The ontology: every term it defines has nl and en labels and definitions; every property of
our namespace that the data uses is defined; the ontology has a stable IRI and a version IRI.
(`kg validate` reports on the data, not on the ontology, so these stay here.)"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.extract.reference import load_turtle_files, turtle_files
from kg.rdf.namespaces import AIP, ONTOLOGY_IRI, ONTOLOGY_VERSION_IRI
from tests.support import PROJECT

ONTOLOGY_FILES = sorted(PROJECT.ontology.glob("*.ttl"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_turtle_files(turtle_files(PROJECT.ontology))


def defined_terms(graph: Graph) -> list[URIRef]:
    return sorted(
        s for s in set(graph.subjects(RDFS.isDefinedBy, ONTOLOGY_IRI)) if isinstance(s, URIRef)
    )


def test_the_glob_found_ontology_files() -> None:
    assert ONTOLOGY_FILES


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert (ONTOLOGY_IRI, OWL.versionIRI, ONTOLOGY_VERSION_IRI) in ontology


def test_every_class_and_property_is_defined_by_the_ontology(ontology: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    declared = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    assert declared
    assert declared <= set(defined_terms(ontology))


@pytest.mark.parametrize("prop", [RDFS.label, SKOS.definition], ids=["label", "definition"])
def test_every_term_has_dutch_and_english(ontology: Graph, prop: URIRef) -> None:
    terms = defined_terms(ontology)
    assert len(terms) > 40
    missing = [
        f"{term} lacks {prop} @{lang}"
        for term in terms
        for lang in ("nl", "en")
        if not any(
            isinstance(v, Literal) and v.language == lang for v in ontology.objects(term, prop)
        )
    ]
    assert not missing, "\n".join(missing)


def test_every_aip_property_used_in_the_dataset_is_defined(
    ontology: Graph, seed_store: ox.Store
) -> None:
    """Properties: a class of ours used as a type is a rule of the shapes (shapes:OntologyTypes),
    which SHACL cannot say of a predicate."""
    used = {
        quad.predicate.value
        for quad in seed_store.quads_for_pattern(None, None, None)
        if quad.predicate.value.startswith(str(AIP))
    }
    assert used
    undefined = sorted(
        t for t in used if (URIRef(t), RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology
    )
    assert not undefined
