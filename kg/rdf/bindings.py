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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.rdf.sparql import outermost_group_start, strip_prologue

if TYPE_CHECKING:  # kg.rdf.terms imports rdflib, which a query worker otherwise never needs
    from kg.rdf.terms import Term

__all__ = ["bind_values", "query", "strip_prologue"]  # strip_prologue: for kg.store


def query(
    store: ox.Store, text: str, bindings: Mapping[ox.Variable, Term] | None = None, **options: Any
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """``store.query`` with ``bindings`` as a ``VALUES`` block (or as substitutions when one
    of them is a blank node); ``options`` go to pyoxigraph (``use_default_graph_as_union``...)."""
    if not bindings:
        return store.query(text, **options)
    if any(isinstance(term, ox.BlankNode) for term in bindings.values()):
        return store.query(text, substitutions=dict(bindings), **options)
    return store.query(bind_values(text, bindings), **options)


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
    position = outermost_group_start(text)
    return text[:position] + block + text[position:]
