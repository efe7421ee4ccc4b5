"""Facts materialised in each document graph for the research queries that otherwise read
every mention of the corpus: at 10M triples ``answer-instruments`` took 18.5 s,
``entities-first-named-later`` 17.8 s and ``instruments-over-time`` 12.5 s, each reading the
350,000 mentions (and the label claims) to count or find a few thousand (document, entity)
pairs.

- ``<document> aip:names <entity>``: the document names the entity, by a mention of it or by
  a label it claims for it (``rdf:Statement`` of ``rdfs:label``);
- an ``aip:MentionCount`` per part (the document, and each question or answer with a
  mention, ``aip:inSection``) and entity: ``aip:countedIn`` the part, ``aip:countOf`` the
  entity, ``aip:mentionCount`` how many mentions.

They are derived from the document graph's own triples, so they depend on that document only:
an incremental build rewrites them with the graph, and the isolation test
(``tests/test_isolation.py``) holds them to it like every other fact of the graph.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.rdf.namespaces import AIP, DCTERMS, OA, RDF

Triple = tuple


def materialised(
    triples: Iterable[Triple], document: URIRef, node: Callable[[str], URIRef]
) -> set[Triple]:
    """The facts above for the graph of ``document`` (``triples``); ``node`` makes the IRI of
    a resource of the document from a path (``DocumentGraphBuilder.node``)."""
    by_subject: dict = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    named: set = set()
    counts: Counter = Counter()
    for facts in by_subject.values():
        types = {o for p, o in facts if p == RDF.type}
        if AIP.Mention in types:
            for entity in (o for p, o in facts if p == OA.hasBody):
                named.add(entity)
                counts[(document, entity)] += 1
                for section in (o for p, o in facts if p == AIP.inSection):
                    counts[(section, entity)] += 1
        elif RDF.Statement in types and (RDF.predicate, RDFS.label) in facts:
            named.update(o for p, o in facts if p == RDF.subject)
    found = {(document, AIP.names, entity) for entity in named}
    for (part, entity), count in counts.items():
        found.update(_count(node, document, part, entity, count))
    return found


def _count(node, document: URIRef, part, entity, count: int) -> set[Triple]:
    digest = hashlib.sha256(f"{part.n3()} {entity.n3()}".encode()).hexdigest()[:16]
    tally = node(f"mention-count/{digest}")
    return {
        (tally, RDF.type, AIP.MentionCount),
        (tally, AIP.countedIn, part),
        (tally, AIP.countOf, entity),
        (tally, AIP.mentionCount, Literal(count, datatype=XSD.integer)),
        (tally, DCTERMS.isPartOf, document),
    }
