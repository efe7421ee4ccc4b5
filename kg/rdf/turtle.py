"""Turtle files into an rdflib graph, parsed by Oxigraph.

The ontology, the reference data and the shapes are read by every build, ``kg add`` and
``kg validate``; rdflib's Turtle parser, in Python, was most of a small build's time.
Oxigraph parses in Rust and names the line of a syntax error; the triples are then the same
rdflib terms rdflib's own parser makes (a plain string stays a plain literal).
"""

from __future__ import annotations

import bisect
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from kg.project import published_path
from kg.rdf.terms import OxTerm, from_ox, triple_term_message

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TurtleSyntaxError(ValueError):
    """A Turtle file that does not parse: ``where`` is ``path:line``, ``why`` the reason."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why


Location = tuple[str, int]  # a file (as published: relative to its project) and a line


@dataclass
class SourceLocations:
    """Where the triples of Turtle files were written: the file and the line of each triple
    (the line its object ends on) and of each subject (the line its statement starts on).
    A validation report names these, so that a result about curated data points at the
    line to edit, as a result about a document points at the document's line."""

    triples: dict[tuple[Node, Node, Node], Location] = field(default_factory=dict)
    subjects: dict[Node, Location] = field(default_factory=dict)

    def of(self, subject: Node, predicate: Node | None = None, obj: Node | None = None):
        """The triple's location when it is known, else the subject's, else None."""
        if predicate is not None and obj is not None:
            found = self.triples.get((subject, predicate, obj))
            if found is not None:
                return found
        return self.subjects.get(subject)


def read_turtle(
    paths: Iterable[Path], graph: Graph | None = None, locations: SourceLocations | None = None
) -> Graph:
    """The triples of every file in ``paths``, added to ``graph`` (a new one by default).
    Relative IRIs resolve against the file, as rdflib resolves them. Given ``locations``, the
    file and line of every triple and subject are recorded there.

    Blank nodes are named after the file's content and their order in it, so the same files
    read twice give equal graphs (Oxigraph names them at random): what is computed from a
    graph, such as compiled shapes, can be kept per content."""
    graph = Graph() if graph is None else graph
    terms: dict[OxTerm, Node] = {}

    def term(t: OxTerm) -> Node:
        found = terms.get(t)
        if found is None:
            found = terms[t] = _rdflib_term(t)
        return found

    for path in paths:
        data = Path(path).read_bytes()
        prefix = hashlib.sha256(data).hexdigest()[:16]
        named = 0
        parsed = _parse(Path(path), data) if locations is None else _parse_lines(Path(path), data)
        name = published_path(Path(path)) if locations is not None else ""
        for triple, line in parsed:
            subject, obj = triple.subject, triple.object
            if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
                where = f"{path}:{line}" if line else str(path)
                raise TurtleSyntaxError(where, triple_term_message(triple))
            for node in (subject, obj):
                if isinstance(node, ox.BlankNode) and node not in terms:
                    terms[node] = BNode(f"b{prefix}n{named}")
                    named += 1
            s, p, o = term(subject), term(triple.predicate), term(obj)
            graph.add((s, p, o))
            if locations is not None:
                locations.triples.setdefault((s, p, o), (name, line))
                if s not in locations.subjects:
                    locations.subjects[s] = (name, line)
    if locations is not None:
        _statement_starts(paths, locations)
    return graph


def _parse(path: Path, data: bytes) -> list[tuple[ox.Triple, int]]:
    base = path.resolve().as_uri()
    try:
        return [(t, 0) for t in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base)]
    except SyntaxError as err:
        raise TurtleSyntaxError(f"{path}:{err.lineno}", _reason(err.msg)) from None
    except UnicodeDecodeError as err:
        raise TurtleSyntaxError(str(path), f"not UTF-8 text: {err.reason}") from None


class _LineReader(io.RawIOBase):
    """The file handed to the parser one line at a time: when Oxigraph gives a triple, the
    lines read so far end with the one its object ends on (it reads no further ahead than the
    end of the token). Oxigraph's own parser has no positions to report."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.splitlines(keepends=True)
        self.read_lines = 0
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.pending:
            if self.read_lines >= len(self.lines):
                return 0
            self.pending = self.lines[self.read_lines]
            self.read_lines += 1
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def _parse_lines(path: Path, data: bytes) -> list[tuple[ox.Triple, int]]:
    reader = _LineReader(data)
    base = path.resolve().as_uri()
    found = []
    try:
        # pyoxigraph reads any object with read()/readinto(); its stub names only typing.IO,
        # which an io.RawIOBase subclass is not (typeshed keeps the two hierarchies apart).
        parsed = ox.parse(reader, format=ox.RdfFormat.TURTLE, base_iri=base)  # type: ignore[arg-type]
        for triple in parsed:
            found.append((triple, reader.read_lines))
    except SyntaxError as err:
        raise TurtleSyntaxError(f"{path}:{err.lineno}", _reason(err.msg)) from None
    except UnicodeDecodeError as err:
        raise TurtleSyntaxError(str(path), f"not UTF-8 text: {err.reason}") from None
    return found


def _statement_starts(paths: Iterable[Path], locations: SourceLocations) -> None:
    """Move each named subject from the line of its first triple (where that triple's object
    ends) up to the line its statement starts on: the first line after the end of the previous
    statement that begins in the first column (as a subject does in the files here) and is no
    comment or directive. Searching down from there, not up from the triple, never takes a
    line inside a long literal for a statement."""
    texts = {
        published_path(Path(p)): Path(p).read_text(encoding="utf-8").splitlines() for p in paths
    }
    ends: dict[str, list[int]] = {}
    for (subject, _, _), (name, line) in locations.triples.items():
        if not isinstance(subject, BNode):  # a nested [ ... ] ends inside its statement
            ends.setdefault(name, []).append(line)
    for name in ends:
        ends[name] = sorted(set(ends[name]))
    for subject, (name, line) in list(locations.subjects.items()):
        if isinstance(subject, BNode) or name not in texts:
            continue
        before = bisect.bisect_left(ends[name], line)
        floor = ends[name][before - 1] if before else 0
        lines = texts[name]
        for candidate in range(floor + 1, line + 1):
            text = lines[candidate - 1] if candidate - 1 < len(lines) else ""
            if text[:1] not in ("", " ", "\t", "#", "@") and not text.upper().startswith(
                ("PREFIX", "BASE")
            ):
                locations.subjects[subject] = (name, candidate)
                break


def _reason(message: str) -> str:
    """Oxigraph's message without the location, which ``where`` already gives."""
    location, colon, reason = message.partition(": ")
    reason = reason if colon and location.startswith("Parser error") else message
    if reason == "Unexpected end":
        return "the file ends inside a statement (a missing ' .' or closing bracket)"
    return reason


def _rdflib_term(term: OxTerm) -> Node:
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return from_ox(term)
