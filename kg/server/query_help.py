"""Help for people writing queries: syntax errors as one sentence with the position, the
prefixes a query uses without declaring them, the order of ``SELECT *`` columns, and terms of
the project's namespaces that the ontology does not define.

Everything reads the query with the lexer of :mod:`kg.rdf.sparql`; nothing here runs a query.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from kg.rdf import sparql
from kg.server.worker import Outcome

_POSITION = re.compile(r"error at (\d+):(\d+)")
# Warnings about unknown terms given at once: a person fixes the first few, then asks again.
MAX_WARNINGS = 20
LONG_EXPECTATION = 120  # characters: a longer "expected one of" list is a grammar dump


@cache
def known_prefixes() -> dict[str, str]:
    """Prefix -> namespace IRI for every prefix the project declares. The namespaces module
    (rdflib) is imported on first use: a query worker needs it only to explain a syntax
    error, and importing rdflib would add a fifth of a second to every worker's start."""
    from kg.rdf.namespaces import BASE, PREFIXES

    return {**{prefix: str(ns) for prefix, ns in PREFIXES.items()}, "graph": BASE + "graph/"}


def checked_namespaces() -> tuple[str, ...]:
    """Namespaces whose terms the ontology defines: a term there that it does not know is a
    typo."""
    return (known_prefixes()["aip"],)


def declared_prefixes(query: str) -> dict[str, str]:
    """PREFIX declarations of the query, name -> namespace IRI."""
    found: dict[str, str] = {}
    significant = list(sparql.tokens(query))
    for index, token in enumerate(significant[:-2]):
        if token.kind == "name" and token.text.upper() == "PREFIX":
            name, iri = significant[index + 1], significant[index + 2]
            if name.kind == "name" and name.text.endswith(":") and iri.kind == "iri":
                found[name.text[:-1]] = iri.text[1:-1]
    return found


def _prefixed_names(query: str) -> Iterable[sparql.Token]:
    significant = list(sparql.tokens(query))
    for index, token in enumerate(significant):
        if token.kind != "name" or ":" not in token.text or token.text.startswith("_:"):
            continue
        before = significant[index - 1] if index else None
        if before is not None and before.kind == "name" and before.text.upper() == "PREFIX":
            continue
        yield token


def missing_prefixes(query: str, limit: int = MAX_WARNINGS) -> list[str]:
    """Prefixes used in the query but not declared, in order of first use: the first ``limit``."""
    declared = declared_prefixes(query)
    missing: dict[str, None] = {}
    for token in _prefixed_names(query):
        prefix = token.text.split(":", 1)[0]
        if prefix not in declared:
            missing[prefix] = None
            if len(missing) >= limit:
                break
    return list(missing)


def first_use(query: str, prefix: str) -> tuple[int, int]:
    """Line and column where the query first uses ``prefix``."""
    token = next(t for t in _prefixed_names(query) if t.text.split(":", 1)[0] == prefix)
    return line_and_column(query, token.start)


def prefix_declaration(prefix: str) -> str | None:
    namespace = known_prefixes().get(prefix)
    return f"PREFIX {prefix}: <{namespace}>" if namespace else None


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def readable_syntax_error(query: str, message: str) -> str:
    """The engine's syntax error as one sentence: a missing prefix by name, otherwise what was
    expected where, with a grammar dump cut down to "unexpected text"."""
    missing = missing_prefixes(query)
    if missing:
        prefix = missing[0]
        line, column = first_use(query, prefix)
        sentence = f"Prefix not found: {prefix} (line {line}, column {column})."
        declaration = prefix_declaration(prefix)
        return sentence + (f" Add: {declaration}" if declaration else "")
    position = _POSITION.search(message)
    where = f" at line {position.group(1)}, column {position.group(2)}" if position else ""
    expected = message.split("expected ", 1)[1] if "expected " in message else ""
    if expected and len(expected) <= LONG_EXPECTATION:
        return f"Syntax error{where}: expected {' '.join(expected.split())}."
    return f"Syntax error{where}: unexpected text there."


def _star(significant: list[sparql.Token]) -> sparql.Token | None:
    """The ``*`` of the query's own ``SELECT *`` (not a subquery's), if it has one."""
    for index, token in enumerate(significant[:-1]):
        if token.kind == "name" and token.text.upper() == "SELECT":
            following = significant[index + 1]
            if following.kind == "name" and following.text.upper() in ("DISTINCT", "REDUCED"):
                following = significant[index + 2] if index + 2 < len(significant) else following
            return following if following.text == "*" else None
    return None


def star_variable_order(query: str, variables: Sequence[str]) -> list[str]:
    """For ``SELECT *``: the variables in the order the query first names them (the engine
    sorts them by name). Other projections keep the engine's order, which is the query's."""
    significant = [t for t in sparql.tokens(query) if t.kind != "comment"]
    if _star(significant) is None:
        return list(variables)
    first_seen: dict[str, int] = {}
    for token in significant:
        if token.kind == "var":
            first_seen.setdefault(token.text[1:], len(first_seen))
    return sorted(variables, key=lambda v: (first_seen.get(v, len(first_seen)), v))


def has_select_star(query: str) -> bool:
    return _star([t for t in sparql.tokens(query) if t.kind != "comment"]) is not None


def star_as_variables(query: str, variables: Sequence[str]) -> str | None:
    """``query`` with the ``*`` of its ``SELECT *`` replaced by ``variables`` (the engine's, in
    scope there), in the order ``star_variable_order`` gives: the same solutions, the columns
    in that order when the engine writes them. None when there is nothing to change: no
    ``SELECT *``, or the engine's order is already that one."""
    significant = [t for t in sparql.tokens(query) if t.kind != "comment"]
    star = _star(significant)
    ordered = star_variable_order(query, variables)
    if star is None or ordered == list(variables) or not ordered:
        return None
    projection = " ".join(f"?{v}" for v in ordered)
    return f"{query[: star.start]}{projection}{query[star.end :]}"


@dataclass(frozen=True)
class TermWarning:
    term: str  # as written in the query
    line: int
    column: int
    suggestions: tuple[str, ...]

    @property
    def message(self) -> str:
        return self.message_in(ENGLISH)

    def message_in(self, texts: dict[str, str]) -> str:
        """The warning in the page's language (``texts`` of kg.server.i18n)."""
        text = texts["undefined_term"].format(term=self.term, line=self.line, column=self.column)
        if self.suggestions:
            names = f" {texts['or']} ".join(self.suggestions)
            text += "; " + texts["did_you_mean"].format(names=names)
        return text


ENGLISH = {
    "undefined_term": "{term} (line {line}, column {column}) is not in the ontology",
    "did_you_mean": "did you mean {names}?",
    "or": "or",
}


def _iri_of(token: sparql.Token, declared: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    prefix, _, local = token.text.partition(":")
    namespace = declared.get(prefix)
    return namespace + local if namespace is not None else None


def close_names(local: str, names: list[str], limit: int = 3) -> list[str]:
    """Names like ``local``: of the same kind (classes start upper-case, properties lower-case),
    those that contain it first (Instrument -> NationalInstrument), then similar spellings."""
    same_kind = [n for n in names if n[:1].isupper() == local[:1].isupper()] or names
    containing = sorted((n for n in same_kind if local.lower() in n.lower()), key=len)
    similar = difflib.get_close_matches(local, same_kind, n=limit, cutoff=0.5)
    return list(dict.fromkeys([*containing, *similar]))[:limit]


def undefined_terms(query: str, known: set[str], limit: int = MAX_WARNINGS) -> list[TermWarning]:
    """Terms of the checked namespaces that are not among ``known`` IRIs, with close names: the
    first ``limit`` of them, so that the cost of a long query full of them stays bounded."""
    declared = declared_prefixes(query)
    reverse = {ns: prefix for prefix, ns in declared.items()}
    warnings: list[TermWarning] = []
    seen: set[str] = set()
    candidates = [t for t in sparql.tokens(query) if t.kind in ("iri", "name")]
    for token in candidates:
        iri = _iri_of(token, declared) if (token.kind == "iri" or ":" in token.text) else None
        if not iri:
            continue
        namespace = next((ns for ns in checked_namespaces() if iri.startswith(ns)), None)
        if namespace is None or iri in known or iri in seen or iri == namespace:
            continue
        if token.kind == "name" and token.text.endswith(":"):
            continue  # the prefix of a declaration
        seen.add(iri)
        names = {k[len(namespace) :]: k for k in known if k.startswith(namespace)}
        close = close_names(iri[len(namespace) :], list(names))
        prefix = reverse.get(namespace)
        shown = [f"{prefix}:{name}" if prefix else f"<{names[name]}>" for name in close]
        line, column = line_and_column(query, token.start)
        warnings.append(TermWarning(token.text, line, column, tuple(shown)))
        if len(warnings) >= limit:
            break
    return warnings


def query_help(
    query: str, known_terms: set[str] | frozenset[str], texts: dict[str, str] = ENGLISH
) -> dict:
    """What the research page shows while a query is written: the prefixes it lacks (with their
    declarations and first use) and the terms of the ontology's namespace it does not define,
    worded with ``texts`` (the page language's, from kg.server.i18n)."""
    return {
        "missing": [_missing_prefix(query, p) for p in missing_prefixes(query)],
        "warnings": [w.message_in(texts) for w in undefined_terms(query, set(known_terms))],
    }


def _missing_prefix(query: str, prefix: str) -> dict:
    line, column = first_use(query, prefix)
    declaration = prefix_declaration(prefix)
    return {"prefix": prefix, "declaration": declaration, "line": line, "column": column}


def query_help_job(
    store: object, query: str, known_terms: frozenset[str], texts: dict[str, str]
) -> Outcome:
    """``query_help`` as a job for a query worker: reading a long query takes a while, and the
    server's event loop must never wait for it. ``texts`` come along because the worker does
    not import the web layer's i18n."""
    return Outcome(200, json.dumps(query_help(query, known_terms, texts)).encode("utf-8"))
