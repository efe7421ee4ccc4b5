"""The project's shapes compiled into SPARQL queries, one per constraint of each targeted shape.

Each query runs over the union of the store's graphs and returns the violating focus nodes
(``?this``), with the value node (``?value``) where the constraint is about one, following the
approach of Corman et al., "Validating SHACL constraints over a SPARQL endpoint" (ISWC 2019):
the focus nodes of a shape are a subquery, a value-node constraint a ``FILTER`` on the value
nodes reached by the path, a cardinality a ``GROUP BY`` count. pySHACL stays the reference: the
queries give exactly the results it gives (same focus node, path, value, component, shape,
severity and message), and a node shape that uses anything the compiler does not know is
left to pySHACL whole (``CompiledShapes.fallback``), never passed silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.rdf.namespaces import SH
from kg.validate.conditions import (
    Unsupported,
    constraint_condition,
    shape_condition,
    sparql_path,
    term,
)
from kg.validate.sparql_constraints import sparql_constraint_query

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Predicates of a shape that are no constraint: anything else from sh: must be compiled.
_NOT_CONSTRAINTS = {
    *TARGETS,
    RDF.type,
    SH.property,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.path,
    SH.deactivated,
    SH.defaultValue,
}
_COUNTS = {
    SH.minCount: ("<", SH.MinCountConstraintComponent),
    SH.maxCount: (">", SH.MaxCountConstraintComponent),
}
_QUALIFIED = {
    SH.qualifiedMinCount: ("<", SH.QualifiedMinCountConstraintComponent),
    SH.qualifiedMaxCount: (">", SH.QualifiedMaxCountConstraintComponent),
}
_PAIRS = {
    SH.lessThanOrEquals: ("<=", SH.LessThanOrEqualsConstraintComponent),
    SH.lessThan: ("<", SH.LessThanConstraintComponent),
}
# value-node constraints: the component a failing value node is reported under
_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
}
_HANDLED = {
    *_VALUE_COMPONENTS,
    *_COUNTS,
    *_QUALIFIED,
    *_PAIRS,
    SH.flags,
    SH.hasValue,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.sparql,
}


@dataclass(frozen=True)
class Check:
    """One query and what its rows mean.

    ``kind``: ``value`` rows are (?this, ?value), one result each with that value; ``focus``
    rows are (?this), a result without a value (cardinalities, sh:hasValue, sh:uniqueLang);
    ``node`` rows are (?this) with the focus node as the value (a node shape's own constraint);
    ``count`` rows are (?this, ?count), a result without a value where the count breaks
    ``count_limit`` (min and max count share one query);
    ``sparql`` rows carry every variable of a SPARQL-based constraint, for its message.
    """

    node_shape: URIRef
    shape: Node  # sh:sourceShape
    component: URIRef
    kind: str
    query: str
    severity: URIRef
    messages: tuple[Literal, ...]
    path: Node | None = None
    constraint: Node | None = None  # sh:sourceConstraint
    constraint_messages: tuple[Literal, ...] = ()
    count_limit: tuple[str, int] | None = None  # kind ``count``: ("<", min) or (">", max)


# A check's query, its component and its kind; a ``count`` query also its limit (compare, n).
_Query = tuple[str, URIRef, str] | tuple[str, URIRef, str, tuple[str, int]]


@dataclass
class CompiledShapes:
    checks: list[Check] = field(default_factory=list)
    fallback: dict[URIRef, str] = field(default_factory=dict)  # node shape: why pySHACL runs it


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Every targeted node shape as queries, or as a fallback to pySHACL with the reason.
    Raises ``Unsupported`` when the shapes cannot be told apart at all (a targeted blank node,
    a shape that is also a class), so that pySHACL runs them all."""
    compiled = CompiledShapes()
    for shape in _targeted_shapes(shapes):
        if _deactivated(shapes, shape):
            continue
        try:
            compiled.checks.extend(_node_shape_checks(shapes, shape))
        except Unsupported as why:
            compiled.fallback[shape] = str(why)
    return compiled


def _targeted_shapes(shapes: Graph) -> list[URIRef]:
    found = {s for t in TARGETS for s in shapes.subjects(t, None)}
    unnamed = sorted(str(s) for s in found if isinstance(s, BNode))
    if unnamed:
        raise Unsupported(f"a targeted shape without an IRI ({unnamed[0]})")
    shape_classes = sorted(
        str(s)
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes
    )
    if shape_classes:
        raise Unsupported(f"a shape that is also a class ({shape_classes[0]}): implicit targets")
    return sorted((s for s in found if isinstance(s, URIRef)), key=str)


def _deactivated(shapes: Graph, shape: Node) -> bool:
    flag = shapes.value(shape, SH.deactivated)
    return isinstance(flag, Literal) and flag.value is True


def focus_pattern(shapes: Graph, shape: Node) -> str:
    """A group pattern binding ``?this`` to the shape's focus nodes (possibly repeated)."""
    branches = []
    for cls in shapes.objects(shape, SH.targetClass):
        branches.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {term(cls)} .")
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        branches.append(f"?this {term(predicate)} ?target_object .")
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        branches.append(f"?target_subject {term(predicate)} ?this .")
    nodes = " ".join(term(n) for n in shapes.objects(shape, SH.targetNode))
    if nodes:
        branches.append(f"VALUES ?this {{ {nodes} }}")
    return " UNION ".join(f"{{ {b} }}" for b in branches)


def _focus_subquery(shapes: Graph, shape: Node) -> str:
    return f"{{ SELECT DISTINCT ?this WHERE {{ {focus_pattern(shapes, shape)} }} }}"


def _node_shape_checks(shapes: Graph, shape: Node) -> list[Check]:
    assert isinstance(shape, URIRef)
    focus = _focus_subquery(shapes, shape)
    # a targeted property shape: its constraints are about the values on its own path
    checks = _own_checks(shapes, shape, shape, focus, path=shapes.value(shape, SH.path))
    if (shape, SH.path, None) in shapes and (shape, SH.property, None) in shapes:
        raise Unsupported(f"{shape}: a property shape with sh:property is not compiled")
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        if _deactivated(shapes, prop):
            continue
        path = shapes.value(prop, SH.path)
        if path is None:
            raise Unsupported(f"property shape {prop} without sh:path")
        checks.extend(_own_checks(shapes, shape, prop, focus, path))
    return checks


def _own_checks(
    shapes: Graph, node_shape: URIRef, shape: Node, focus: str, path: Node | None
) -> list[Check]:
    """The checks of ``shape``'s own constraints; ``path`` None for a node shape."""
    unknown = sorted(
        str(p)
        for p in set(shapes.predicates(shape, None))
        if str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS | _HANDLED
    )
    if unknown:
        raise Unsupported(f"{shape}: {unknown[0]} is not compiled")
    messages = tuple(sorted(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)))
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef):
        raise Unsupported(f"{shape}: a severity that is not an IRI: {severity}")
    # what every check of this shape shares; each fills in its component, kind and query
    base = Check(node_shape, shape, SH.Violation, "", "", severity, messages, path)
    checks = []
    for query, component, kind, *limit in _core_queries(shapes, shape, focus, path):
        if not messages:  # pySHACL would write a default message per component
            raise Unsupported(f"{shape}: a constraint without sh:message")
        count_limit = limit[0] if limit else None
        checks.append(
            replace(base, component=component, kind=kind, query=query, count_limit=count_limit)
        )
    for constraint in shapes.objects(shape, SH.sparql):
        if _deactivated(shapes, constraint):
            continue
        query = sparql_constraint_query(shapes, constraint, focus, path)
        extra = tuple(m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal))
        checks.append(
            replace(
                base,
                component=SH.SPARQLConstraintComponent,
                kind="sparql",
                query=query,
                constraint=constraint,
                constraint_messages=extra,
            )
        )
    return checks


def _core_queries(shapes: Graph, shape: Node, focus: str, path: Node | None) -> Sequence[_Query]:
    if path is None:
        return _node_queries(shapes, shape, focus)
    values = f"?this {sparql_path(shapes, path)} ?value ."
    found = _counts(shapes, shape, focus, values)
    for predicate, component in _VALUE_COMPONENTS.items():
        for parameter in shapes.objects(shape, predicate):
            condition = constraint_condition(shapes, shape, predicate, parameter, "?value")
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER (!({condition})) }}"
            )
            found.append((query, component, "value"))
    found.extend(_pair_queries(shapes, shape, focus, values))
    found.extend(_other_queries(shapes, shape, focus, path, values))
    return found


def _node_queries(shapes: Graph, shape: Node, focus: str) -> list[tuple[str, URIRef, str]]:
    """A node shape's own value constraints, applied to the focus node itself."""
    for predicate in (*_COUNTS, *_QUALIFIED, *_PAIRS, SH.uniqueLang, SH.hasValue):
        if (shape, predicate, None) in shapes:
            raise Unsupported(f"{shape}: {predicate} on a node shape is not compiled")
    found = []
    for predicate, component in _VALUE_COMPONENTS.items():
        for parameter in shapes.objects(shape, predicate):
            condition = constraint_condition(shapes, shape, predicate, parameter, "?this")
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER (!({condition})) }}"
            found.append((query, component, "node"))
    return found


def _counts(shapes: Graph, shape: Node, focus: str, values: str) -> list[_Query]:
    """sh:minCount and sh:maxCount: one query for both, counting each focus node's values
    once; each limit reads the rows that break it (kind ``count``)."""
    limits = []
    for predicate, (compare, component) in _COUNTS.items():
        for limit in shapes.objects(shape, predicate):
            if not isinstance(limit, Literal) or not isinstance(limit.value, int):
                raise Unsupported(f"a count that is not an integer: {limit}")
            limits.append((compare, limit.value, component))
    if not limits:
        return []
    broken = " || ".join(f"?count {compare} {number}" for compare, number, _ in limits)
    query = (
        f"SELECT ?this ?count WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) "
        f"WHERE {{ {focus} OPTIONAL {{ {values} }} }} GROUP BY ?this }} FILTER ({broken}) }}"
    )
    return [(query, component, "count", (c, n)) for c, n, component in limits]


def _qualified_count_query(
    focus: str, values: str, condition: str, compare: str, limit: Node
) -> str:
    """Focus nodes whose number of distinct values that meet ``condition`` (the qualified
    value shape) ``compare`` limit."""
    if not isinstance(limit, Literal) or not isinstance(limit.value, int):
        raise Unsupported(f"a count that is not an integer: {limit}")
    where = f"OPTIONAL {{ {values} {condition} }}" if compare == "<" else f"{values} {condition}"
    return (
        f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) "
        f"WHERE {{ {focus} {where} }} GROUP BY ?this }} FILTER (?count {compare} {limit.value}) }}"
    )


def _pair_queries(
    shapes: Graph, shape: Node, focus: str, values: str
) -> list[tuple[str, URIRef, str]]:
    found = []
    for predicate, (operator, component) in _PAIRS.items():
        for other in shapes.objects(shape, predicate):
            # one result per (value, other value) pair that is not in order, as pySHACL gives
            query = (
                f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} {values} "
                f"?this {term(other)} ?other . "
                f"FILTER (!COALESCE(?value {operator} ?other, false)) }}"
            )
            found.append((query, component, "value"))
    return found


def _other_queries(
    shapes: Graph, shape: Node, focus: str, path: Node, values: str
) -> list[tuple[str, URIRef, str]]:
    found = []
    sparql = sparql_path(shapes, path)
    for value in shapes.objects(shape, SH.hasValue):
        query = (
            f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {sparql} {term(value)} }} }}"
        )
        found.append((query, SH.HasValueConstraintComponent, "focus"))
    unique = shapes.value(shape, SH.uniqueLang)
    if isinstance(unique, Literal) and unique.value is True:
        # one result per lower-cased language tag that two values share
        query = (
            f"SELECT ?this WHERE {{ {focus} {values} FILTER (LANG(?value) != '') }} "
            "GROUP BY ?this (LCASE(LANG(?value))) HAVING (COUNT(DISTINCT ?value) > 1)"
        )
        found.append((query, SH.UniqueLangConstraintComponent, "focus"))
    qualified = shapes.value(shape, SH.qualifiedValueShape)
    if qualified is not None:
        if (shape, SH.qualifiedValueShapesDisjoint, None) in shapes:
            raise Unsupported(f"{shape}: sh:qualifiedValueShapesDisjoint is not compiled")
        condition = f"FILTER ({shape_condition(shapes, qualified, '?value')})"
        for predicate, (compare, component) in _QUALIFIED.items():
            for limit in shapes.objects(shape, predicate):
                query = _qualified_count_query(focus, values, condition, compare, limit)
                found.append((query, component, "focus"))
    return found
