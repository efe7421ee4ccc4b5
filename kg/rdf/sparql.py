"""One lexer for SPARQL text, and what the package reads from a query without parsing it: its
form, whether it names its own dataset (FROM / FROM NAMED), whether it is an update, whether it
uses SERVICE, its prologue, and where its outermost group pattern opens (for VALUES binding).

The lexer follows the engine that runs the queries (Oxigraph 0.5): a comment ends at a line feed
*or* a carriage return; strings, IRIs and comments are single tokens, so a keyword inside one of
them is never taken for a keyword; codepoint escapes (``\\uXXXX``) count only inside strings and
IRIs, which is where Oxigraph reads them (elsewhere it refuses them as a syntax error). The
lexer is one regular expression without nested repetition, linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from kg.errors import QueryError

# SPARQL 1.1 Query, 19.2: \uXXXX and \UXXXXXXXX are expanded before the grammar applies.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_CHARS = r"[\w\-.\u00b7\u0300-\u036f\u203f-\u2040]"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]{_PN_CHARS}+)
  | (?P<name>(?:[^\W\d]{_PN_CHARS}*)?:(?:{_PN_CHARS}|:|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])*
            |[^\W\d]{_PN_CHARS}*
            |@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<open>\{{)
  | (?P<close>\}})
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
PROLOGUE_KEYWORDS = ("PREFIX", "BASE")
# SERVICE as a word of its own: not part of a prefixed name, variable, blank node or language tag.
_SERVICE_WORD = re.compile(r"(?<![\w:?$@])SERVICE(?![\w:])", re.IGNORECASE)


class Token(NamedTuple):
    kind: str  # comment, string, iri, var, name, open, close, other
    text: str
    start: int
    end: int


def expand_codepoints(text: str) -> str:
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str, *, comments: bool = False) -> Iterator[Token]:
    """The tokens of ``text`` (as given: expand codepoints first where that matters), without
    white space and, unless asked for, without comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "space" or (kind == "comment" and not comments):
            continue
        yield Token(kind, match.group(), match.start(), match.end())


def keywords(text: str) -> list[str]:
    """The bare words of a query (keywords, prefixed names) in order, upper-cased."""
    return [t.text.upper() for t in tokens(text) if t.kind == "name"]


def code(text: str) -> str:
    """The text with every comment, string and IRI replaced by a space: what can be syntax.

    >>> code('ASK { ?s ?p "SERVICE" } # SERVICE')
    'ASK { ?s ?p   }  '
    """
    return "".join(
        " " if match.lastgroup in ("comment", "string", "iri") else match.group()
        for match in _TOKEN.finditer(text)
    )


def _first_word_after_prologue(words: list[str]) -> str | None:
    return next((w for w in words if w not in PROLOGUE_KEYWORDS and not w.endswith(":")), None)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None when the text has none of them.

    A keyword inside a prefixed name, a comment or a string is no keyword:

    >>> query_form("PREFIX select: <http://e/> # SELECT\\nASK { ?s select:p 'SELECT' }")
    'ASK'
    """
    return next((w for w in keywords(text) if w in QUERY_FORMS), None)


def is_update(text: str) -> bool:
    """True when the first word after the prologue starts an update.

    >>> is_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT * { ?s <http://e/insert> ?o }")
    False
    """
    return _first_word_after_prologue(keywords(text)) in UPDATE_KEYWORDS


def has_dataset_clause(text: str) -> bool:
    """FROM or FROM NAMED in the query itself."""
    return "FROM" in keywords(text)


def uses_service(text: str) -> bool:
    """True when the word SERVICE occurs anywhere outside comments, strings and IRIs.

    No other bare word of SPARQL is spelled SERVICE (prefixed names contain a colon, variables
    start with ? or $, blank nodes with _:), so such a word is the keyword, in whatever nesting:
    a subquery, EXISTS, OPTIONAL or UNION alike. Codepoint escapes are expanded in what is left
    (``\\u0053ERVICE`` counts, though Oxigraph would refuse it), so the check errs on the side of
    refusing; it never sees less than the engine."""
    return _SERVICE_WORD.search(expand_codepoints(code(text))) is not None


PATTERN_MARKS = frozenset({".", ";", ","})


def shape(text: str) -> tuple[int, dict[str, int]]:
    """How deeply the query nests brackets ({, ( and [ together), and how often each keyword
    and operator character occurs: what makes a parser or evaluator recurse. ``joins``
    counts what joins one more pattern: each ``.``, ``;`` and ``,`` outside parentheses (a
    ``,`` inside them separates arguments or IN values), and each group right after another
    (``{ ... } { ... }``; not one after UNION, OPTIONAL or MINUS)."""
    depth = deepest = parentheses = 0
    counts: dict[str, int] = {"joins": 0}
    previous = ""
    for token in tokens(text):
        if token.kind == "open" or token.text in ("(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "close" or token.text in (")", "]"):
            depth -= 1
        if token.text == "(":
            parentheses += 1
        elif token.text == ")":
            parentheses -= 1
        elif (parentheses <= 0 and token.text in PATTERN_MARKS) or (
            token.kind == "open" and previous == "}"
        ):
            counts["joins"] += 1
        key = token.text.upper() if token.kind in ("name", "other") else token.kind
        counts[key] = counts.get(key, 0) + 1
        previous = token.text
    return deepest, counts


def strip_prologue(text: str) -> str:
    """The query from its first token after the prologue (PREFIX and BASE declarations).

    >>> strip_prologue("PREFIX ex: <http://e/>\\nBASE <http://b/>\\nASK { ?s ex:p ?o }")
    'ASK { ?s ex:p ?o }'
    """
    significant = list(tokens(text))
    index = 0
    while index < len(significant):
        word = significant[index].text.upper() if significant[index].kind == "name" else ""
        if word == "BASE" and index + 1 < len(significant):
            index += 2
        elif word == "PREFIX" and index + 2 < len(significant):
            index += 3
        else:
            return text[significant[index].start :]
    return ""


def outermost_group_start(text: str) -> int:
    """Offset just after the '{' that opens the query's outermost WHERE group.

    That is the '{' after the keyword WHERE; without WHERE (``SELECT * { }``, ``ASK { }``) the
    first '{', except in CONSTRUCT and DESCRIBE, whose first '{' may open a template.

    >>> text = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> text[: outermost_group_start(text)]
    'CONSTRUCT { ?s ?p "{" } WHERE {'
    """
    significant = list(tokens(text))
    graph_form = query_form(text) in ("CONSTRUCT", "DESCRIBE")
    first_open = None
    for index, token in enumerate(significant):
        if token.kind == "name" and token.text.upper() == "WHERE":
            following = significant[index + 1] if index + 1 < len(significant) else None
            if following is not None and following.kind == "open":
                return following.end
        elif token.kind == "open" and first_open is None:
            first_open = token.end
            if not graph_form:
                return first_open
    if first_open is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return first_open
