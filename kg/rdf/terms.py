"""RDF terms between rdflib and Oxigraph, and IRIs as prefixed names: one helper per job.

rdflib parses Turtle and runs pySHACL; Oxigraph stores and queries. Converting a term is most
of the cost of moving a graph between them, so :class:`OxToRdflib` keeps one rdflib term per
Oxigraph term (predicates, classes and document IRIs repeat thousands of times).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.rdf.namespaces import PREFIXES

# An RDF term as Oxigraph has it: what queries return and bindings take.
Term = ox.NamedNode | ox.BlankNode | ox.Literal
OxTerm = Term


def to_ox(term: Node) -> OxTerm:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: OxTerm | ox.Triple) -> Identifier:
    """An Oxigraph term as an rdflib term. An RDF 1.2 triple term (which Oxigraph parses and
    stores) is refused with a TypeError: rdflib has no such term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise TypeError(triple_term_message(term))
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class OxToRdflib:
    """Converts Oxigraph terms and triples to rdflib, sharing one rdflib term per input term."""

    def __init__(self) -> None:
        self._cache: dict[OxTerm | ox.Triple, Identifier] = {}

    def term(self, term: OxTerm | ox.Triple) -> Identifier:
        found = self._cache.get(term)
        if found is None:
            found = self._cache[term] = from_ox(term)
        return found

    def triples(self, triples: Iterable[ox.Triple | ox.Quad]) -> list[tuple[Node, Node, Node]]:
        """The triples (or the triples of quads) as rdflib terms; a TypeError for one that holds an RDF 1.2 triple term
        (as subject or object), which rdflib cannot hold."""
        term = self.term  # raises that TypeError (from_ox): a triple term is never cached
        return [(term(t.subject), term(t.predicate), term(t.object)) for t in triples]


def triple_term_message(found: object) -> str:
    return (
        f"an RDF 1.2 triple term (written <<( ... )>> or << ... >> in Turtle) in {found}: "
        "rdflib, and so kg, has no such term"
    )


# Characters RFC 3987 allows nowhere in an IRI, though sources put them into URLs.
_NOT_IN_IRIS = frozenset('<>"{}|\\^` ') | {chr(c) for c in range(0x21)} | {chr(0x7F)}


def iri_safe(url: str) -> str:
    """``url`` with every character an IRI may not hold percent-encoded (UTF-8), so a URL
    written carelessly in a source still becomes a valid IRI naming the same resource.

    >>> iri_safe("https://example.org/a b|c")
    'https://example.org/a%20b%7Cc'
    """
    return "".join(
        "".join(f"%{b:02X}" for b in c.encode("utf-8")) if c in _NOT_IN_IRIS else c for c in url
    )


def _is_local_name(local: str) -> bool:
    return bool(local) and all(c.isalnum() or c in "-_" for c in local)


def prefixed_name(
    iri: str, prefixes: Mapping[str, object] = PREFIXES, *, strict: bool = False
) -> str | None:
    """``prefix:local`` for an IRI in one of ``prefixes`` (the first that matches), else None.

    ``strict`` accepts only local names of letters, digits, ``-`` and ``_``, so the result is
    also valid Turtle and SPARQL; otherwise any non-empty rest counts (for display).

    >>> prefixed_name("https://w3id.org/ai-beleid/def/aip#Question")
    'aip:Question'
    >>> prefixed_name("https://w3id.org/ai-beleid/def/aip#a/b", strict=True) is None
    True
    >>> prefixed_name("http://example.org/x") is None
    True
    """
    for prefix, namespace in prefixes.items():
        base = str(namespace)
        if iri.startswith(base):
            local = iri[len(base) :]
            if _is_local_name(local) if strict else bool(local):
                return f"{prefix}:{local}"
    return None
