"""A SPARQL-based constraint's group ordered for Oxigraph: each independent star a hash join.

Oxigraph plans the triple patterns of a group itself, greedily, and treats a subquery (the
focus nodes) as a block it joins afterwards. For a uniqueness constraint, "no other question
of the same document has this number"::

    $this $PATH ?value ; dcterms:isPartOf ?document .
    ?other a aip:Question ; $PATH ?value ; dcterms:isPartOf ?document .
    FILTER (?other != $this)

it starts from ``?other a aip:Question`` and then looks up, for each other question, every
node with the same number (``?this $PATH ?value``): quadratic, 22.8 s of the 52 s of
validation queries at 1M triples (7.5 million intermediate rows for 4,007 questions). Written
as two subqueries, the focus nodes with their own patterns and the other question's star,
Oxigraph evaluates each once and hash-joins them on ``?value`` and ``?document``: 0.12 s on
the same data, same rows (``/work`` measurements in ``benchmarks/VALIDATE_ENGINES.md``).

The rewrite is exact: a group of triple patterns and filters is the join of its patterns
filtered by its filters, whatever the grouping, and a subquery ``SELECT *`` over some of the
patterns projects every variable they bind. It is applied only to a group of plain triple
patterns and ``FILTER``s (anything else, such as ``OPTIONAL``, ``BIND``, ``GRAPH`` or a blank
node, keeps the query as written), and only when the group has an *independent star*: the
patterns about one variable subject other than ``$this`` that no other pattern reaches (the
variable is no object of another pattern), with a constant object to start from (``a
aip:Question``) and joined to the rest only through variables. Other constraints are left as
written, so their plans do not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_][\w.\-]*:[\w.\-%]*(?<!\.)|[A-Za-z_][\w\-]*(?::)?|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].;,^/|*+?!=<>\-])
    """,
    re.X,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Pattern:
    subject: str
    predicate: str
    object: str

    def text(self) -> str:
        return f"{self.subject} {self.predicate} {self.object} ."


def tokens(text: str) -> list[_Token] | None:
    """The SPARQL tokens of ``text`` without white space; None when something is not one."""
    found, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            return None
        if match.lastgroup != "space":
            found.append(_Token(match.lastgroup or "", match.group(), at, match.end()))
        at = match.end()
    return found


def group_end(text: str, opening: int) -> int | None:
    """The index just after the ``}`` that closes the ``{`` at ``opening``."""
    found = tokens(text[opening:])
    if found is None:
        return None
    depth = 0
    for token in found:
        depth += {"{": 1, "}": -1}.get(token.text, 0) if token.kind == "punct" else 0
        if depth == 0:
            return opening + token.end
    return None


def planned_group(body: str, focus: str) -> str | None:
    """The group ``{ focus body }`` with each independent star of ``body`` (see the module)
    in a subquery of its own; None when ``body`` is not planned (then it stays as written)."""
    found = tokens(body)
    if found is None:
        return None
    parsed = _patterns_and_filters(body, found)
    if parsed is None:
        return None
    patterns, filters = parsed
    stars = _independent_stars(patterns)
    if not stars:
        return None
    rest = [p for p in patterns if p.subject not in stars]
    blocks = [_subquery(focus + " " + " ".join(p.text() for p in rest))]
    for subject in stars:
        blocks.append(_subquery(" ".join(p.text() for p in patterns if p.subject == subject)))
    return " ".join([*blocks, *filters])


def _subquery(patterns: str) -> str:
    return f"{{ SELECT * WHERE {{ {patterns} }} }}"


def _patterns_and_filters(
    body: str, found: list[_Token]
) -> tuple[list[_Pattern], list[str]] | None:
    """The triple patterns (abbreviations expanded) and the FILTERs' text of a group holding
    nothing else; None otherwise."""
    patterns: list[_Pattern] = []
    filters: list[str] = []
    at = 0
    while at < len(found):
        token = found[at]
        if token.kind == "word" and token.text.upper() == "FILTER":
            end = _filter_end(found, at + 1)
            if end is None:
                return None
            filters.append(body[token.start : found[end - 1].end])
            at = end
        elif token.text == "." and token.kind == "punct":
            at += 1
        else:
            end = _triples(found, at, patterns)
            if end is None:
                return None
            at = end
    return patterns, filters


def _filter_end(found: list[_Token], at: int) -> int | None:
    """The token index after a FILTER's constraint: a bracketed expression, (NOT) EXISTS with
    its group, or a function call."""
    if at < len(found) and found[at].kind == "word" and found[at].text.upper() == "NOT":
        at += 1
    if at < len(found) and found[at].kind == "word" and found[at].text.upper() == "EXISTS":
        return _balanced(found, at + 1, "{", "}")
    if at < len(found) and found[at].kind in ("iri", "word") and found[at].text != "(":
        at += 1  # a function name: its arguments follow
    return _balanced(found, at, "(", ")")


def _balanced(found: list[_Token], at: int, opening: str, closing: str) -> int | None:
    if at >= len(found) or found[at].text != opening:
        return None
    depth = 0
    for index in range(at, len(found)):
        if found[index].kind == "punct":
            depth += {opening: 1, closing: -1}.get(found[index].text, 0)
        if depth == 0:
            return index + 1
    return None


def _triples(found: list[_Token], at: int, into: list[_Pattern]) -> int | None:
    """Read ``subject predicate object (, object)* (; predicate object ...)*`` into ``into``;
    the index after it, or None for anything but plain terms and paths."""
    subject = _term(found, at)
    if subject is None:
        return None
    at += 1
    while True:
        predicate_end = _path_end(found, at)
        if predicate_end is None:
            return None
        predicate = " ".join(t.text for t in found[at:predicate_end])
        at = predicate_end
        while True:
            value = _term(found, at)
            if value is None:
                return None
            into.append(_Pattern(subject, predicate, value))
            at = _after_literal(found, at + 1)
            if at < len(found) and found[at].text == ",":
                at += 1
                continue
            break
        if at < len(found) and found[at].text == ";":
            at += 1
            if at < len(found) and found[at].text in (".", "}"):
                return at
            continue
        return at


def _term(found: list[_Token], at: int) -> str | None:
    """A variable, IRI, prefixed name or literal (blank nodes and keywords are not planned)."""
    if at >= len(found):
        return None
    token = found[at]
    if token.kind in ("var", "iri", "string", "number"):
        return token.text + _literal_suffix(found, at + 1)
    if token.kind == "word" and ":" in token.text and not token.text.startswith("_:"):
        return token.text
    if token.kind == "word" and token.text in ("true", "false"):
        return token.text
    return None


def _literal_suffix(found: list[_Token], at: int) -> str:
    if at < len(found) and found[at].text.startswith("@"):
        return found[at].text
    if at + 1 < len(found) and found[at].text == "^^":
        return "^^" + found[at + 1].text
    return ""


def _after_literal(found: list[_Token], at: int) -> int:
    if at < len(found) and found[at].text.startswith("@"):
        return at + 1
    if at < len(found) and found[at].text == "^^":
        return at + 2
    return at


_PATH_TOKENS = {"^", "/", "|", "*", "+", "?", "!", "(", ")"}


def _path_end(found: list[_Token], at: int) -> int | None:
    """The index after a predicate: a variable, or a property path of IRIs, prefixed names,
    ``a`` and path operators."""
    if at < len(found) and found[at].kind == "var":
        return at + 1
    depth, start = 0, at
    while at < len(found):
        token = found[at]
        if token.kind == "punct" and token.text in _PATH_TOKENS:
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            if depth < 0:
                return None
        elif token.kind == "iri" or (
            token.kind == "word" and (":" in token.text or token.text == "a")
        ):
            if at > start and depth == 0 and found[at - 1].text not in ("^", "/", "|", "!"):
                break  # the object
        else:
            break
        at += 1
    if at == start or depth != 0:
        return None
    return at


def _independent_stars(patterns: list[_Pattern]) -> list[str]:
    """Subjects (variables other than ``$this``) whose patterns form a star no other pattern
    reaches, with a constant object to start from; in the order they first occur."""
    objects = {p.object for p in patterns} | {p.predicate for p in patterns}
    stars = []
    for subject in dict.fromkeys(p.subject for p in patterns):
        if subject[0] not in "?$" or subject[1:] == "this" or subject in objects:
            continue
        own = [p for p in patterns if p.subject == subject]
        if any(p.object[0] not in "?$" for p in own) and len(own) < len(patterns):
            stars.append(subject)
    return stars
