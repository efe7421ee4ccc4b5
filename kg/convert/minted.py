"""The minted graph: one description of every entity the documents name but nobody curated.

A document graph never describes an entity it does not own; it records what its text says
about one as claims (``rdf:Statement`` nodes, see ``DocumentGraphBuilder.claim``). This module
turns the claims of all documents into one description per entity, so that it depends only on
the set of documents, never on their order or on which one was converted last:

- a subject the reference data describes is left out (curated descriptions win), and so is a
  document's own resource (a cited document that is itself a source of the dataset);
- of the labels claimed for one entity, one per language is kept: the one most documents
  give, ties to the smallest text ("Jansen" and "Jánsen" share a slug and an IRI);
- every other claimed statement is kept (their IRIs already carry what could disagree: the
  date of a debate, the number of a Kamerstuk);
- ``prov:wasDerivedFrom`` links each described entity to the claims it was made from, which
  name their document (``dcterms:isPartOf``): the provenance of every minted name.

The stance rules (``kg.convert.stance_annotations.rules_graph``) are described here too: the code mints
them, not a document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDFS
from rdflib.term import Node

from kg.convert.commitments import rules_graph as commitment_rules
from kg.convert.stance_annotations import rules_graph
from kg.rdf.namespaces import AIP, DCTERMS, ID, PREFIXES, RDF

DOCUMENT_PREFIX = str(ID["document/"])

# Every claim of every document graph (the union of the named graphs is the default graph).
CLAIMS_QUERY = f"""
PREFIX rdf: <{RDF}>
PREFIX dcterms: <{DCTERMS}>
SELECT ?claim ?document ?subject ?predicate ?object WHERE {{
  ?claim a rdf:Statement ; dcterms:isPartOf ?document ;
     rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
}}"""
SOURCE_DOCUMENTS_QUERY = f"SELECT ?document WHERE {{ ?document a <{AIP.SourceDocument}> }}"


@dataclass(frozen=True)
class Claim:
    """One row of ``CLAIMS_QUERY``, as rdflib terms (IRIs but for subject and value, as the
    graphs are written; the query does not check that)."""

    node: Node  # the rdf:Statement in the document graph
    document: Node
    subject: Node
    predicate: Node
    value: Node


def minted_graph(
    claims: Iterable[Claim], reference: Graph, source_documents: Iterable[Node]
) -> Graph:
    """The description of every uncurated entity the claims are about, plus the rules."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    sources = {str(d) for d in source_documents}
    labels: dict[tuple[Node, str], dict[str, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for claim in claims:
        if _not_ours_to_describe(claim.subject, reference, sources):
            continue
        graph.add((claim.subject, PROV.wasDerivedFrom, claim.node))
        value = claim.value
        if claim.predicate == RDFS.label and isinstance(value, Literal):
            labels[(claim.subject, value.language or "")][str(value)].add(claim.document)
        else:
            graph.add((claim.subject, claim.predicate, value))
    for (subject, language), variants in labels.items():
        text = min(variants, key=lambda t: (-len(variants[t]), t))
        graph.add((subject, RDFS.label, Literal(text, lang=language or None)))
    graph += rules_graph()
    graph += commitment_rules()  # deadline forms and fulfilment rules (#28)
    return graph


def _not_ours_to_describe(subject: Node, reference: Graph, sources: set[str]) -> bool:
    if (subject, None, None) in reference:
        return True
    return owning_document(str(subject)) in sources


def owning_document(iri: str) -> str | None:
    """The document an IRI under ``…/id/document/`` belongs to (the document itself, its
    questions, its parts); None for any other IRI."""
    if not iri.startswith(DOCUMENT_PREFIX):
        return None
    owner = iri[len(DOCUMENT_PREFIX) :].split("/", 1)[0].split("#", 1)[0]
    return DOCUMENT_PREFIX + owner
