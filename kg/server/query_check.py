"""What the endpoint must know about a query before it runs: its form, whether it names its own
dataset (FROM / FROM NAMED), whether it is an update, and whether it calls out with SERVICE.

The quick checks use the SPARQL lexer of :mod:`kg.rdf.sparql` (linear in the query's length):
SERVICE outside comments, strings and IRIs is refused, and so is nesting or repetition the engine
cannot evaluate without running out of stack. But Oxigraph has no lexer: its grammar reads each
character in context (``SERVICE:x`` is the keyword before a prefixed name, ``a:b\\#`` is one
name, ``1<2)`` is no IRI), so a lexer can be led to hide a SERVICE the engine runs. Whether a
query calls out is therefore decided by Oxigraph's own parser (:func:`calls_out`). Every check
runs in the query worker, under its time limit, never on the server's event loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.rdf import sparql

# What Oxigraph 0.5 survives, and what it prepares and runs within a second, measured per
# construct by benchmarks/query_limits.py (QUERY_LIMITS.md; the seconds vary with the load of
# the machine, the lower of two runs is given): it overflows its stack at 2,226 nested groups,
# 956 nested function calls, 2,617 MINUS or BIND, 6,953 "-", 9,375 "&&" or "!"; it takes more
# than a second at 207 nested blank nodes, 171 path steps, 1,093 FILTERs, 166 OPTIONALs, 2,539
# UNION branches. Its optimiser takes time growing with the fourth power of the patterns it
# joins (100: 0.6 s, 150: 3 s, 200: 19 s; more than a second at 108 to 120; 3,000 commas in
# one object list ran past every time limit, and the worker was replaced each time). The
# limits are about half of each or less, so that no query within them costs a worker.
MAX_DEPTH = 100
MAX_JOINS = 60  # ".", ";", "," outside parentheses, and groups side by side
MAX_COUNTS = {
    "UNION": 1000, "/": 100, "|": 400, "^": 400, "+": 1500, "-": 2000, "*": 2000, "&": 2000,
    "!": 2000, "MINUS": 500, "OPTIONAL": 50, "FILTER": 300, "BIND": 800, ",": 4000,
    ";": 4000, ".": 4000,
}  # fmt: skip
READ_ONLY = "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, ...) is refused"
NO_SERVICE = (
    "SERVICE (federated query) is not allowed: this endpoint never fetches from other servers"
)
# Oxigraph matches keywords letter by letter, ASCII case-insensitively, wherever its grammar
# allows one (also glued to what follows: "SERVICEa:b" is SERVICE before a:b).
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE | re.ASCII)
_NO_KEYWORD = "servicx"  # as long, valid wherever "service" is part of a name, string or IRI
# Parsing the query followed by this always fails, so nothing is ever evaluated: the line feed
# ends a comment, and NUL can neither end a token nor start one (an open string or IRI stays
# open). The parser's message then tells where it stopped.
_PARSE_ONLY_TAIL = "\n\x00"


class RefusedQuery(Exception):
    """The query is not run; ``str(err)`` says why, for the 4xx answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None when it could not be told
    has_dataset_clause: bool  # FROM or FROM NAMED in the query itself


def inspect_query(text: str, base_iri: str | None = None) -> QueryInfo:
    """Check a query before it runs; raise :class:`RefusedQuery` for an update or SERVICE.
    ``base_iri`` is the base the query will run with (it decides which IRIs parse)."""
    words = sparql.keywords(text)
    if sparql.is_update(text):
        raise RefusedQuery(403, READ_ONLY)
    if sparql.uses_service(text):
        raise RefusedQuery(400, NO_SERVICE)
    check_shape(text)
    if calls_out(text, base_iri):
        raise RefusedQuery(400, NO_SERVICE)
    form = next((w for w in words if w in sparql.QUERY_FORMS), None)
    return QueryInfo(form=form, has_dataset_clause="FROM" in words)


def joins(counts: dict[str, int]) -> int:
    return counts.get("joins", 0)


def check_shape(text: str) -> None:
    """Refuse (400) what the engine would recurse on too deeply or take too long to plan."""
    depth, counts = sparql.shape(text)
    if depth > MAX_DEPTH:
        raise RefusedQuery(400, f"the query nests brackets {depth} deep; at most {MAX_DEPTH}")
    if joins(counts) > MAX_JOINS:
        raise RefusedQuery(
            400,
            f"the query has {joins(counts)} joins ('.', ';' or ',' between patterns, or groups "
            f"side by side); at most {MAX_JOINS}: split it, or use VALUES or IN",
        )
    for key, most in MAX_COUNTS.items():
        if counts.get(key, 0) > most:
            raise RefusedQuery(
                400, f"the query has {counts[key]} times {key!r}; at most {most} are accepted"
            )


def _where_parsing_stops(text: str, base_iri: str | None) -> str:
    """Oxigraph's syntax error for ``text`` followed by a tail no query can take: where and why
    its parser stops. Nothing is evaluated (an empty in-memory store is asked, and only parses)."""
    try:
        ox.Store().query(text + _PARSE_ONLY_TAIL, base_iri=base_iri)
    except SyntaxError as err:
        return str(err)
    except ValueError as err:  # an invalid base IRI: the run itself will say so
        return str(err)
    raise AssertionError("a query ending in NUL parsed")  # pragma: no cover


def calls_out(text: str, base_iri: str | None = None) -> bool:
    """True when Oxigraph reads a SERVICE keyword in ``text``.

    Every "service" in the text, in whatever letters, is respelled "servicx". Where it is part
    of a string, IRI, comment, variable or name, the parse is the same and so is the place and
    reason it stops; where the parser took it for the keyword, the respelled text stops there
    instead. Two parses of the text, no evaluation: done only when the letters occur at all."""
    if _SERVICE_LETTERS.search(text) is None:
        return False
    respelled = _SERVICE_LETTERS.sub(_NO_KEYWORD, text)
    return _where_parsing_stops(text, base_iri) != _where_parsing_stops(respelled, base_iri)
