"""Stances as RDF: each an ``oa:Annotation`` motivated by ``oa:assessing``, with ``aip:evidence``
like every other extracted fact (which stance, and why, is decided in ``kg.extract.stance``)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.convert.document import DocumentGraphBuilder
from kg.extract.reference import LabelIndex
from kg.extract.stance import CURATED, MACHINE, RULES, stances_for
from kg.rdf.namespaces import AIP, CONCEPT, DCTERMS, OA
from kg.sources.model import Document


def stance_graph(
    document: Document,
    index: LabelIndex,
    reference: Graph,
    schemes: Graph,
    curated: dict[Path, Graph],
) -> Graph:
    """The stances of one document, to be added to its named graph."""
    builder = DocumentGraphBuilder(document, index, reference)
    g = builder.g
    for stance in stances_for(document, curated, schemes):
        s = builder.node(f"stance/{stance.answer}")
        g.add((s, RDF.type, AIP.Stance))
        g.add((s, RDF.type, OA.Annotation))
        g.add((s, OA.motivatedBy, OA.assessing))
        g.add((s, OA.hasBody, CONCEPT[stance.stance]))
        label = f"{document.identifier} standpunt bij vraag {stance.answer}"
        g.add((s, RDFS.label, Literal(label, lang="nl")))
        g.add((s, AIP.towards, builder.node(f"question/{stance.answer}")))
        g.add((s, AIP.inSection, builder.node(f"answer/{stance.answer}")))
        g.add((s, DCTERMS.isPartOf, builder.document_iri))
        if stance.rule is None:
            g.add((s, AIP.annotationOrigin, CURATED))
            if stance.source_file:
                g.add((s, AIP.sourceFile, Literal(stance.source_file)))
        else:
            g.add((s, AIP.annotationOrigin, MACHINE))
            g.add((s, AIP.byRule, stance.rule.iri))
        if stance.note:
            g.add((s, SKOS.editorialNote, Literal(stance.note, lang="en")))
        g.add((s, OA.hasTarget, builder.evidence(s, stance.span)))
    return g


def rules_graph() -> Graph:
    """The stance rules, described once for the whole dataset (in the minted graph): a
    document graph only links its stances to them (``aip:byRule``)."""
    g = Graph()
    for rule in RULES:
        g.add((rule.iri, RDF.type, AIP.ExtractionRule))
        g.add((rule.iri, RDFS.label, Literal(f"standpuntregel {rule.name}", lang="nl")))
        g.add((rule.iri, SKOS.definition, Literal(f"Herkent {rule.label}.", lang="nl")))
        g.add((rule.iri, AIP.pattern, Literal(rule.pattern.pattern)))
        g.add((rule.iri, DCTERMS.subject, CONCEPT[rule.stance]))
    return g
