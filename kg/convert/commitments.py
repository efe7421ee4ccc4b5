"""Commitments for follow-up, as RDF: deadlines as dates, the post and co-owners of the
committer, topics with where they were found, and the fulfilments a document states.

Called from ``kg.convert.document.DocumentGraphBuilder``; everything is stated about the
document's own resources (its commitments and fulfilments) and links out from them. What each
fact is derived from is decided in ``kg.extract`` (``deadlines``, ``commitments``,
``fulfilment``); the forms and rules are described once, in the minted graph
(:func:`rules_graph`), and each node links to the one that made it.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from kg.extract import deadlines
from kg.extract.commitments import (
    ANSWER,
    PREVIOUS_SENTENCE,
    SENTENCE,
    co_owner_posts,
    commitment_deadline,
    reference_date,
    topics,
    topics_in,
)
from kg.extract.fulfilment import RULES as FULFILMENT_RULES
from kg.extract.fulfilment import find_fulfilments
from kg.rdf.namespaces import AIP, ID, SCHEMA
from kg.sources import identifiers as ids
from kg.sources.model import Commitment

# The builder of the document's graph (kg.convert.document.DocumentGraphBuilder, which calls
# these functions; not imported here, as it imports this module).
DocumentGraphBuilder = Any
TIMING_KIND = {kind: ID[f"concept/timing-{kind}"] for kind in deadlines.KINDS}
TOPICS_FROM = {
    SENTENCE: ID["concept/topics-from-sentence"],
    PREVIOUS_SENTENCE: ID["concept/topics-from-previous-sentence"],
    ANSWER: ID["concept/topics-from-answer"],
}
MACHINE = ID["concept/origin-machine"]


def deadline_rule(name: str) -> URIRef:
    return ID[f"rule/deadline/{name}"]


def fulfilment_rule(name: str) -> URIRef:
    return ID[f"rule/fulfilment/{name}"]


def add_commitment_facts(
    builder: DocumentGraphBuilder, node: URIRef, commitment: Commitment
) -> None:
    """Dates, owners and topics of one commitment (its text, committer, timing as written,
    section and evidence are written by the builder)."""
    g, doc = builder.g, builder.doc
    made = reference_date(doc)
    if made.day is not None:
        g.add((node, DCTERMS.date, Literal(made.day, datatype=XSD.date)))
    found = commitment_deadline(doc, commitment, made.day)
    if found is not None:
        if not commitment.timing:  # a form the finder's patterns do not know: as written
            g.add((node, AIP.timing, Literal(doc.text[found.start : found.end], lang="nl")))
        g.add((node, AIP.timingKind, TIMING_KIND[found.kind]))
        if found.form:
            g.add((node, AIP.deadlineRule, deadline_rule(found.form)))
        if found.due_after is not None:
            g.add((node, AIP.dueAfter, Literal(found.due_after, datatype=XSD.date)))
        if found.due_by is not None:
            g.add((node, AIP.dueBy, Literal(found.due_by, datatype=XSD.date)))
        if found.note:
            g.add((node, SKOS.scopeNote, Literal(found.note, lang="en")))
    letter = doc.letter
    if letter.sender_post:
        g.add((node, AIP.committerPost, post(builder, letter.sender_post)))
    for name in letter.behalf or co_owner_posts(letter.on_behalf_of):
        g.add((node, AIP.committedOnBehalfOf, post(builder, name)))
    about, where = topics(doc, commitment, builder.index, parties(builder.reference))
    for topic in about:
        g.add((node, AIP.concerns, URIRef(topic)))
    if about:
        g.add((node, AIP.topicsFrom, TOPICS_FROM[where]))


def parties(reference: Graph) -> frozenset:
    """The political parties of the reference data: never a commitment's topic."""
    return frozenset(str(p) for p in reference.subjects(RDF.type, AIP.PoliticalParty))


def post(builder: DocumentGraphBuilder, name: str) -> URIRef:
    """The curated post with this name, or one minted from it; a minted post is claimed to be
    a post of the ministry its name names ("Minister van Financiën": the Ministerie van
    Financiën), where the reference data has that ministry."""
    iri = builder.entity(name, ORG.Post)
    if (iri, None, None) in builder.reference:
        return iri
    ministry = _ministry(builder, name)
    if ministry is not None:
        builder.claim(iri, ORG.postIn, ministry)
    return iri


def _ministry(builder: DocumentGraphBuilder, name: str) -> URIRef | None:
    """ "Minister van X" and "Staatssecretaris van X" hold a post in the Ministerie van X; a
    "Minister voor X" (without a ministry of their own) is left alone."""
    title, _, rest = name.partition(" ")
    if not rest.startswith("van ") or title.lower() not in ("minister", "staatssecretaris"):
        return None
    return builder.index.lookup(f"Ministerie {rest}")


def add_fulfilments(builder: DocumentGraphBuilder) -> None:
    """Each passage in which the document says it delivers on an earlier commitment."""
    g, doc = builder.g, builder.doc
    made = reference_date(doc)
    for found in find_fulfilments(doc):
        f = builder._numbered_part("fulfilment", found.number, AIP.Fulfilment, "nakoming")
        g.add((f, SCHEMA.text, Literal(found.text, lang="nl")))
        g.add((f, AIP.annotationOrigin, MACHINE))
        g.add((f, AIP.byRule, fulfilment_rule(found.rule.name)))
        if made.day is not None:
            g.add((f, DCTERMS.date, Literal(made.day, datatype=XSD.date)))
        target = _made_in(builder, found)
        if target is not None:
            g.add((f, AIP.fulfilsCommitmentIn, target))
        for topic in topics_in(found.span, doc.mentions, builder.index, parties(builder.reference)):
            g.add((f, AIP.concerns, URIRef(topic)))
        section = builder.section(found.span.start)
        if section is not None:
            g.add((f, AIP.inSection, section))
        builder.evidence(f, found.span)


def _made_in(builder: DocumentGraphBuilder, found) -> URIRef | None:
    if found.document:
        identifiers = ids.document_identifiers(found.document)
        if not identifiers:
            return None
        cited = builder.cited_document(identifiers[0])
        return URIRef(f"{cited}/answer/{found.answer}") if found.answer else cited
    if found.debate:
        return builder._debate()
    return None


def rules_graph() -> Graph:
    """The deadline forms and fulfilment rules, described once for the dataset (in the minted
    graph): a commitment links to the form that read its timing (``aip:deadlineRule``), a
    fulfilment to the rule that found it (``aip:byRule``)."""
    g = Graph()
    for form in deadlines.FORMS:
        rule = deadline_rule(form.name)
        g.add((rule, RDF.type, AIP.ExtractionRule))
        g.add((rule, RDFS.label, Literal(f"termijnvorm {form.name}", lang="nl")))
        g.add((rule, SKOS.definition, Literal(form.meaning, lang="en")))
        g.add((rule, AIP.pattern, Literal(form.pattern.pattern)))
        g.add((rule, DCTERMS.subject, TIMING_KIND[form.kind]))
    for fulfilment in FULFILMENT_RULES:
        rule = fulfilment_rule(fulfilment.name)
        g.add((rule, RDF.type, AIP.ExtractionRule))
        g.add((rule, RDFS.label, Literal(f"nakomingsregel {fulfilment.name}", lang="nl")))
        g.add((rule, SKOS.definition, Literal(fulfilment.meaning, lang="en")))
        g.add((rule, AIP.pattern, Literal(fulfilment.pattern.pattern)))
    return g
