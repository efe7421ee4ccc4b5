"""Binding a query's variables to RDF terms: a ``VALUES`` block first in its outermost group.

Pyoxigraph can bind variables itself (``substitutions``), but 0.5 applies them after evaluating
the pattern, not as constants: on a 1M-triple store ``fact-source`` with ``?fact`` substituted
took 14 s where the same query with ``VALUES ?fact { <iri> }`` took 2 ms. A server cannot take
bindings at all. So the terms are serialised as N-Triples by pyoxigraph (every character escaped
as the grammar requires) into a ``VALUES`` block put first in the query's outermost group: the
same solutions as a substitution, and no user text is ever spliced into the query.

Blank nodes cannot be written into a query (a blank node label there is a fresh variable), so
``query`` falls back to ``substitutions`` for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import QueryError

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def query(
    store: ox.Store, text: str, bindings: Mapping[ox.Variable, Term] | None = None, **options
):
    """``store.query`` with ``bindings`` as a ``VALUES`` block (or as substitutions when one
    of them is a blank node); ``options`` go to pyoxigraph (``use_default_graph_as_union``...)."""
    if not bindings:
        return store.query(text, **options)
    if any(isinstance(term, ox.BlankNode) for term in bindings.values()):
        return store.query(text, substitutions=dict(bindings), **options)
    return store.query(bind_values(text, bindings), **options)


_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      |(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\s]*>)
      |(?P<where>\bWHERE\b)
      |(?P<open>\{)
      |(?P<other>.)""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)


def bind_values(text: str, substitutions: Mapping[ox.Variable, Term]) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` first in its outermost group pattern."""
    names, terms = [], []
    for variable, term in substitutions.items():
        if isinstance(term, ox.BlankNode):
            raise QueryError(
                f"parameter ?{variable.value}: a blank node cannot be written into a query"
            )
        names.append(str(variable))  # '?name', checked by ox.Variable
        terms.append(str(term))  # N-Triples serialisation, escaped by pyoxigraph
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    position = _group_start(text)
    return text[:position] + block + text[position:]


def _group_start(text: str) -> int:
    """Offset just after the '{' that opens the outermost WHERE group."""
    first_open = None
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "where":
            rest = _TOKEN.finditer(text, match.end())
            for following in rest:
                if following.lastgroup == "open":
                    return following.end()
                if following.lastgroup in ("string", "iri", "where"):
                    break
        elif match.lastgroup == "open" and first_open is None:
            first_open = match.end()
            if not re.match(r"\s*(?:CONSTRUCT|DESCRIBE)\b", strip_prologue(text), re.I):
                return first_open
    if first_open is None:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return first_open


def strip_prologue(text: str) -> str:
    body = re.sub(r"#[^\n]*", "", text)
    return re.sub(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s+)<[^>]*>\s*)*", "", body, flags=re.I)
