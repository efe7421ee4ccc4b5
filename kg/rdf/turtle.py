"""Turtle files into an rdflib graph, parsed by Oxigraph.

The ontology, the reference data and the shapes are read by every build, ``kg add`` and
``kg validate``; rdflib's Turtle parser, in Python, was most of a small build's time.
Oxigraph parses in Rust and names the line of a syntax error; the triples are then the same
rdflib terms rdflib's own parser makes (a plain string stays a plain literal).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from kg.rdf.terms import from_ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TurtleSyntaxError(ValueError):
    """A Turtle file that does not parse: ``where`` is ``path:line``, ``why`` the reason."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why


def read_turtle(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """The triples of every file in ``paths``, added to ``graph`` (a new one by default).
    Relative IRIs resolve against the file, as rdflib resolves them.

    Blank nodes are named after the file's content and their order in it, so the same files
    read twice give equal graphs (Oxigraph names them at random): what is computed from a
    graph, such as compiled shapes, can be kept per content."""
    graph = Graph() if graph is None else graph
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}

    def term(t):
        found = terms.get(t)
        if found is None:
            found = terms[t] = _rdflib_term(t)
        return found

    for path in paths:
        data = Path(path).read_bytes()
        prefix = hashlib.sha256(data).hexdigest()[:16]
        named = 0
        for triple in _parse(Path(path), data):
            for node in (triple.subject, triple.object):
                if isinstance(node, ox.BlankNode) and node not in terms:
                    terms[node] = BNode(f"b{prefix}n{named}")
                    named += 1
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
    return graph


def _parse(path: Path, data: bytes) -> list[ox.Triple]:
    base = path.resolve().as_uri()
    try:
        return list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base))
    except SyntaxError as err:
        raise TurtleSyntaxError(f"{path}:{err.lineno}", _reason(err.msg)) from None
    except UnicodeDecodeError as err:
        raise TurtleSyntaxError(str(path), f"not UTF-8 text: {err.reason}") from None


def _reason(message: str) -> str:
    """Oxigraph's message without the location, which ``where`` already gives."""
    location, colon, reason = message.partition(": ")
    reason = reason if colon and location.startswith("Parser error") else message
    if reason == "Unexpected end":
        return "the file ends inside a statement (a missing ' .' or closing bracket)"
    return reason


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return from_ox(term)
