"""What the endpoint must know about a query before it runs: its form, whether it names its own
dataset (FROM / FROM NAMED), whether it is an update, and whether it calls out with SERVICE.

SERVICE is refused by parsing, never by searching the text for a word: a query that mentions
"service" at all (after SPARQL's codepoint escapes are expanded, as every SPARQL parser does
before parsing) is parsed with rdflib's SPARQL grammar and refused when the parse tree has a
``ServiceGraphPattern`` anywhere, in a subquery, EXISTS, OPTIONAL or UNION alike. A query that
mentions "service" but cannot be parsed is refused too, because it cannot be checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# SPARQL 1.1 Query, 19.2: \uXXXX and \UXXXXXXXX are expanded before the grammar applies.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Tokens that can hide a keyword: comments, strings, IRIs. Longest string forms first.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>[^\W\d][\w\-.\u00b7]*:?[\w\-.:%\\]*|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


class RefusedQuery(Exception):
    """The query is not run; ``str(err)`` says why, for the 4xx answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None when it could not be told
    has_dataset_clause: bool  # FROM or FROM NAMED in the query itself


def expand_codepoints(text: str) -> str:
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _keywords(text: str) -> list[str]:
    """The bare words of the query (keywords, prefixed names) in order, upper-cased; comments,
    strings and IRIs are skipped. Good enough to tell the form and FROM; SERVICE is decided by
    the parser instead."""
    words = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "name":
            words.append(match.group().upper())
    return words


def inspect_query(text: str) -> QueryInfo:
    """Check a query before it runs; raise :class:`RefusedQuery` for an update or SERVICE."""
    expanded = expand_codepoints(text)
    words = _keywords(expanded)
    form = next((w for w in words if w in QUERY_FORMS), None)
    first = next((w for w in words if w not in ("PREFIX", "BASE") and not w.endswith(":")), None)
    if first in UPDATE_KEYWORDS:
        raise RefusedQuery(
            403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, ...) is refused"
        )
    if "service" in expanded.lower():
        _refuse_service(expanded)
    return QueryInfo(form=form, has_dataset_clause="FROM" in words)


def _refuse_service(expanded: str) -> None:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(expanded)
    except Exception as err:  # pyparsing raises several kinds; any of them means "unchecked"
        raise RefusedQuery(
            400,
            "the query mentions SERVICE and could not be parsed to check it: "
            + " ".join(str(err).split())[:300],
        ) from None
    if _has_service(tree):
        raise RefusedQuery(
            400,
            "SERVICE (federated query) is not allowed: this endpoint never fetches from "
            "other servers",
        )


def _has_service(node: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))
    return False
