"""Result formats of the endpoint: which media types each kind of result is offered in, and the
serialiser of CONSTRUCT and DESCRIBE results (Oxigraph's, with the prefixes the triples use).
SELECT and ASK results are written by Oxigraph's result writers (``kg.server.result_writer``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Kinds of results.
TABULAR, BOOLEAN, GRAPH = "tabular", "boolean", "graph"

# Offered media type -> (format key, media type of the answer), in the server's order of
# preference. Aliases (application/json, application/xml, text/plain) answer with the proper type.
OFFERS: dict[str, dict[str, tuple[str, str]]] = {
    TABULAR: {
        "application/sparql-results+json": ("json", "application/sparql-results+json"),
        "application/sparql-results+xml": ("xml", "application/sparql-results+xml"),
        "text/csv": ("csv", "text/csv; charset=utf-8"),
        "text/tab-separated-values": ("tsv", "text/tab-separated-values; charset=utf-8"),
        "application/json": ("json", "application/sparql-results+json"),
        "application/xml": ("xml", "application/sparql-results+xml"),
        "text/xml": ("xml", "application/sparql-results+xml"),
    },
    BOOLEAN: {
        "application/sparql-results+json": ("json", "application/sparql-results+json"),
        "application/sparql-results+xml": ("xml", "application/sparql-results+xml"),
        "application/json": ("json", "application/sparql-results+json"),
        "application/xml": ("xml", "application/sparql-results+xml"),
        "text/xml": ("xml", "application/sparql-results+xml"),
    },
    GRAPH: {
        "text/turtle": ("turtle", "text/turtle; charset=utf-8"),
        "application/n-triples": ("ntriples", "application/n-triples"),
        "application/ld+json": ("jsonld", "application/ld+json"),
        "application/rdf+xml": ("rdfxml", "application/rdf+xml"),
        "application/trig": ("trig", "application/trig"),
        "application/x-turtle": ("turtle", "text/turtle; charset=utf-8"),
        "text/plain": ("ntriples", "application/n-triples"),
    },
}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
}
# The same formats by their rdflib serialiser names, for graphs rdflib builds (VoID, the
# service description).
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
}


def serialize_triples(triples: Iterable, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    rdf_format = RDF_FORMATS[fmt]
    if rdf_format is ox.RdfFormat.TRIG:  # TriG holds quads: the triples go in the default graph
        triples = (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    used = None
    if prefixes and fmt in ("turtle", "trig", "rdfxml"):
        triples = list(triples)
        used = used_prefixes(triples, prefixes)
    written = ox.serialize(triples, format=rdf_format, prefixes=used)
    assert written is not None  # given no output, pyoxigraph returns the bytes
    return written


def _iris(term) -> Iterable[str]:
    if isinstance(term, ox.NamedNode):
        yield term.value
    elif isinstance(term, ox.Literal) and term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        yield term.datatype.value  # plain and language-tagged literals are written without it
    elif isinstance(term, ox.Triple):
        for part in (term.subject, term.predicate, term.object):
            yield from _iris(part)


def used_prefixes(triples: Sequence, prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace some IRI of the triples starts with: a Turtle answer
    should not open with declarations it never uses."""
    namespaces = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            for iri in _iris(term):
                cut = max(iri.rfind("#"), iri.rfind("/")) + 1
                namespaces.add(iri[:cut])
    return {p: ns for p, ns in prefixes.items() if any(n.startswith(ns) for n in namespaces)}
