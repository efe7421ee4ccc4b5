"""A SPARQL-based constraint (``sh:sparql`` with ``sh:select``) as a query over all focus nodes.

pySHACL runs the query once per focus node with ``$this`` pre-bound. Here the shape's focus
nodes become a subquery first in the query's outermost group, so that one query answers for all
of them (a group with an independent star is planned for the engine: ``kg.validate.join_plan``);
``$PATH`` is replaced by the shape's path as pySHACL does, the prefixes of ``sh:prefixes`` are
declared, and ``SELECT DISTINCT`` drops the repeated rows that pySHACL also
drops (and that the union of several graphs holding the same triple would give). Queries whose
meaning could change under that rewrite (a subquery, ``$currentShape``, ``$shapesGraph``,
``?failure``, no ``$this`` in the result) are left to pySHACL.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal
from rdflib.term import Node

from kg.rdf.namespaces import SH
from kg.validate.conditions import Unsupported, sparql_path
from kg.validate.join_plan import group_end, planned_group

_PATH = re.compile(r"([\s{}()])[\$\?]PATH")  # pySHACL's own pattern for $PATH
_SELECT = re.compile(r"\bSELECT\s+(?:(DISTINCT|REDUCED)\s+)?(.*?)\bWHERE\s*\{", re.I | re.S)
_NOT_REWRITTEN = re.compile(r"[\$\?](currentShape|shapesGraph|failure)\b")


def sparql_constraint_query(shapes: Graph, constraint: Node, focus: str, path: Node | None) -> str:
    select = shapes.value(constraint, SH.select)
    if not isinstance(select, Literal):
        raise Unsupported(f"{constraint}: a SPARQL constraint without sh:select")
    text = str(select)
    if _NOT_REWRITTEN.search(text) or len(re.findall(r"\bSELECT\b", text, re.I)) != 1:
        raise Unsupported(f"{constraint}: a query the compiler does not rewrite")
    if _PATH.search(text):
        if path is None:
            raise Unsupported(f"{constraint}: $PATH in a node shape")
        replacement = sparql_path(shapes, path).replace("\\", "\\\\")
        text = _PATH.sub(lambda m: m.group(1) + replacement, text)
    found = _SELECT.search(text)
    if found is None:
        raise Unsupported(f"{constraint}: no SELECT ... WHERE {{")
    projection = found.group(2)
    if "*" not in projection and not re.search(r"[\$\?]this\b", projection):
        raise Unsupported(f"{constraint}: $this is not among the results")
    return _prefixes(shapes, constraint) + _with_focus(text, found, projection, focus)


def _with_focus(text: str, found: re.Match, projection: str, focus: str) -> str:
    """The query with the focus nodes joined first in its group; a group of plain patterns
    with an independent star is planned for Oxigraph (``kg.validate.join_plan``)."""
    head = text[: found.start()] + f"SELECT DISTINCT {projection}WHERE {{ "
    end = group_end(text, found.end() - 1)
    planned = None if end is None else planned_group(text[found.end() : end - 1], focus)
    if planned is None:
        return head + f"{focus} " + text[found.end() :]
    return head + planned + " }" + text[end:]


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declared in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declared, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise Unsupported(f"{constraint}: an incomplete sh:declare")
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(lines))
