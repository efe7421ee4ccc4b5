"""What a document cites, as IRIs: a curated document with the identifier, or one minted from
what the string gives (described by the citing document's claims, never stated about it)."""

from __future__ import annotations

from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS
from rdflib.term import Node

from kg.extract.reference import LabelIndex
from kg.rdf.namespaces import AIP, ID
from kg.sources import identifiers as ids


class Citing(Protocol):
    """What citing needs of the graph builder of the citing document."""

    reference: Graph
    index: LabelIndex

    def claim(self, subject: URIRef, predicate: URIRef, value: Node) -> None: ...

    def entity(self, label: str, cls: URIRef) -> URIRef: ...


def footnote_citation(builder: Citing, identifier: ids.Identifier) -> URIRef | None:
    """The document a footnote's identifier names (none for a URL, or a motion named only by
    its submitter that no curated label names)."""
    if isinstance(identifier, ids.Url):
        return None
    if isinstance(identifier, ids.Motion):
        if identifier.kamerstuk is None:  # "Motie Ceder" alone: only a curated label names it
            return builder.index.lookup(identifier.text)
        motion = cited_document(builder, identifier.kamerstuk)
        if (motion, RDF.type, AIP.Motion) not in builder.reference:
            builder.claim(motion, RDF.type, AIP.Motion)
            builder.claim(motion, RDFS.label, Literal(f"Motie {identifier.submitter}", lang="nl"))
            # "Motie Ceder c.s.": Ceder tabled it with others the string does not name.
            submitter = identifier.submitter.removesuffix(" c.s.").strip()
            builder.claim(motion, DCTERMS.creator, builder.entity(submitter, FOAF.Person))
        return motion
    return cited_document(builder, identifier)


def cited_document(builder: Citing, identifier: ids.DocumentIdentifier) -> URIRef:
    """The curated document with this identifier, or one minted from what the string gives."""
    reference = builder.reference
    if isinstance(identifier, ids.ComDocument):
        for subject in reference.subjects(RDF.type, AIP.CitedDocument):
            for value in reference.objects(subject, DCTERMS.identifier):
                if str(value).startswith(identifier.short) and isinstance(subject, URIRef):
                    return subject
    if isinstance(identifier, ids.Celex):
        for subject in reference.subjects(AIP.celexNumber, Literal(identifier.celex)):
            if isinstance(subject, URIRef):
                return subject
    iri = ID[f"document/{identifier.key}"]
    if (iri, RDF.type, None) in reference:
        return iri
    claim = builder.claim
    claim(iri, RDF.type, AIP.CitedDocument)
    claim(iri, DCTERMS.identifier, Literal(identifier.text))
    if isinstance(identifier, ids.Kamerstuk):
        claim(iri, AIP.dossierNumber, Literal(identifier.dossier))
        claim(iri, AIP.documentNumber, Literal(identifier.number))
        if identifier.year:
            claim(iri, AIP.parliamentaryYear, Literal(identifier.year))
    elif isinstance(identifier, ids.Aanhangsel):
        year = f"{identifier.year[:4]}/{identifier.year[4:]}"
        claim(iri, AIP.documentNumber, Literal(identifier.number))
        claim(iri, AIP.parliamentaryYear, Literal(year))
    elif isinstance(identifier, ids.Celex):
        claim(iri, AIP.celexNumber, Literal(identifier.celex))
    return iri
