"""Result formats of the endpoint: which media types each kind of result is offered in, and the
serialisers for SELECT and ASK results (written here so that the row cap can cut a result
without buffering it twice; CONSTRUCT and DESCRIBE use Oxigraph's RDF serialisers)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

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


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_solutions(variables: Sequence[str], rows: Iterable[Sequence], fmt: str) -> bytes:
    """SPARQL 1.1 Query Results in JSON, XML, CSV or TSV; ``rows`` hold terms or None."""
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        out = [
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>",
            *(f"<variable name={quoteattr(v)}/>" for v in variables),
            "</head><results>",
        ]
        for row in rows:
            out.append("<result>")
            out.extend(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"a boolean result has no {fmt!r} form")


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
