"""SHACL paths and value-node constraints as SPARQL: paths as property paths, each constraint
(and each nested shape of sh:or, sh:and, sh:not, sh:node, sh:qualifiedValueShape) as a boolean
expression over one variable that is true when the value node conforms.

The expressions follow pySHACL 0.40 where it is stricter than plain SPARQL: a blank node never
matches sh:pattern or a length, a comparison that cannot be made fails (``COALESCE(..., false)``),
and a literal of a datatype rdflib knows must also be well formed as rdflib judges it (which is
not the XSD lexical space: rdflib's ``int()`` takes ``" 5"``, its dates stop at year 9999). A
lexical form that is well formed by any reading (``_CERTAINLY_WELL_FORMED``) passes in SPARQL;
any other is judged by rdflib itself, through the custom function ``WELL_TYPED``
(``well_typed``), which the engine binds to each query.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node, XSDToPython

from kg.rdf.namespaces import SH
from kg.rdf.terms import to_ox


class Unsupported(Exception):
    """A shape feature the compiler does not translate; the shape is left to pySHACL."""


# Lexical forms that rdflib reads without fault, by datatype: the SPARQL side of the datatype
# check; a form outside them is judged by rdflib (``WELL_TYPED``). Days up to 28 only: the
# 29th to 31st are valid in some months, which rdflib's calendar decides.
_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_CERTAINLY_WELL_FORMED = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: f"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?$",
    XSD.hexBinary: r"^([0-9a-fA-F]{2})*$",
}
# Datatypes whose literals Oxigraph keeps as xsd:integer ones: a graph held in memory has
# them, its copy in Oxigraph not, so only pySHACL can check them.
_FOLDED_INTO_INTEGER = {
    XSD[name]
    for name in [
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    ]
}
# The custom SPARQL function that tells whether a literal is well typed as pySHACL sees it.
WELL_TYPED = "urn:kg:validate:well-typed"
# What pySHACL 0.40 also requires of a literal's Python value (_assert_actual_datatype).
_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: datetime.date,
    XSD.time: datetime.time,
    XSD.dateTime: datetime.datetime,
}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
_RANGES: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_PATH_OPERATORS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
_NESTING_LIMIT = 8  # deeper nesting (or recursion through sh:node) is left to pySHACL


def term(node: Node) -> str:
    """An IRI or literal as SPARQL text (N-Triples form, escaped by pyoxigraph)."""
    if isinstance(node, BNode):
        raise Unsupported("a blank node where a term is written into a query")
    return str(to_ox(node))


def string(text: str) -> str:
    return str(ox.Literal(text))


def sparql_path(shapes: Graph, path: Node | None) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return term(path)
    if not isinstance(path, BNode):
        raise Unsupported(f"not a property path: {path}")
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        members = [sparql_path(shapes, p) for p in Collection(shapes, alternatives)]
        return f"({'|'.join(members)})"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({sparql_path(shapes, inverse)})"
    for predicate, operator in _PATH_OPERATORS.items():
        inner = shapes.value(path, predicate)
        if inner is not None:
            return f"({sparql_path(shapes, inner)}){operator}"
    if shapes.value(path, RDF.first) is not None:
        return f"({'/'.join(sparql_path(shapes, p) for p in Collection(shapes, path))})"
    raise Unsupported(f"a property path the compiler does not know: {path}")


def constraint_condition(
    shapes: Graph, shape: Node, predicate: Node, parameter: Node, var: str, depth: int = 0
) -> str:
    """True when the node in ``var`` meets the one constraint ``shape predicate parameter``."""
    if depth > _NESTING_LIMIT:
        raise Unsupported(f"shapes nested deeper than {_NESTING_LIMIT}")
    if predicate == SH["class"]:
        return f"EXISTS {{ {var} <{RDF.type}>/<{RDFS.subClassOf}>* {term(parameter)} }}"
    if predicate == SH.datatype:
        return _datatype(parameter, var)
    if predicate == SH.nodeKind:
        if parameter not in _NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {parameter}")
        return _NODE_KINDS[parameter].format(v=var)
    if predicate == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        flag_text = f", {string(str(flags))}" if flags is not None else ""
        return f"(!isBlank({var}) && REGEX(STR({var}), {string(str(parameter))}{flag_text}))"
    if predicate in _RANGES:
        return f"COALESCE({var} {_RANGES[predicate]} {term(parameter)}, false)"
    if predicate in (SH.minLength, SH.maxLength):
        operator = ">=" if predicate == SH.minLength else "<="
        return f"(!isBlank({var}) && STRLEN(STR({var})) {operator} {term(parameter)})"
    if predicate == SH.hasValue:
        return f"sameTerm({var}, {term(parameter)})"
    return _list_condition(shapes, predicate, parameter, var, depth)


def _list_condition(shapes: Graph, predicate: Node, parameter: Node, var: str, depth: int) -> str:
    if predicate == SH["in"]:
        members = [f"sameTerm({var}, {term(m)})" for m in Collection(shapes, parameter)]
        return f"({' || '.join(members) or 'false'})"
    if predicate == SH.languageIn:
        tags = [
            f"langMatches(LANG({var}), {string(str(t))})" for t in Collection(shapes, parameter)
        ]
        return f"(isLiteral({var}) && ({' || '.join(tags) or 'false'}))"
    if predicate in (SH["or"], SH["and"]):
        parts = [shape_condition(shapes, m, var, depth + 1) for m in Collection(shapes, parameter)]
        joiner, empty = (" || ", "false") if predicate == SH["or"] else (" && ", "true")
        return f"({joiner.join(parts) or empty})"
    if predicate == SH["not"]:
        return f"!({shape_condition(shapes, parameter, var, depth + 1)})"
    if predicate == SH.node:
        return shape_condition(shapes, parameter, var, depth + 1)
    raise Unsupported(f"{predicate} is not compiled")


def _datatype(datatype: Node, var: str) -> str:
    if datatype == RDF.langString:
        return f"(isLiteral({var}) && LANG({var}) != '')"
    if datatype == RDFS.Literal:
        return f"isLiteral({var})"
    if datatype == RDFS.Datatype:  # pySHACL: any literal with a datatype, not a plain one
        raise Unsupported("sh:datatype rdfs:Datatype is not compiled")
    if datatype in _FOLDED_INTO_INTEGER:
        raise Unsupported(f"sh:datatype {datatype}: Oxigraph stores it as xsd:integer")
    condition = f"isLiteral({var}) && DATATYPE({var}) = {term(datatype)}"
    # rdflib judges its lexical form (XSDToPython's keys are URIRefs, which equal no other term)
    if isinstance(datatype, URIRef) and datatype in XSDToPython and datatype != XSD.string:
        judged = f"<{WELL_TYPED}>({var})"
        certain = _CERTAINLY_WELL_FORMED.get(datatype)
        if certain is not None:  # most values: no call into Python
            judged = f"IF(REGEX(STR({var}), {string(certain)}), true, {judged})"
        condition += f" && ({judged})"
    return f"({condition})"


def well_typed(value: Node) -> bool:
    """Whether pySHACL's sh:datatype takes the literal ``value`` (of the datatype it has) as
    well typed: rdflib could read its lexical form, into the Python type pySHACL expects."""
    if not isinstance(value, Literal) or value.ill_typed is True:
        return False
    expected = _PYTHON_TYPES.get(value.datatype or XSD.string)
    return expected is None or isinstance(value.value if value.datatype else str(value), expected)


# Constraints a nested shape may have; a nested property shape or SPARQL constraint may not.
_NESTED = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH["in"],
    SH.languageIn,
    SH.hasValue,
    SH.minLength,
    SH.maxLength,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.node,
    *_RANGES,
}
# pySHACL ignores these on a nested shape (its targets too: it is validated as a value here)
_NESTED_IGNORED = {
    RDF.type,
    SH.message,
    SH.name,
    SH.description,
    SH.flags,
    SH.severity,
    SH.deactivated,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
}


def shape_condition(shapes: Graph, shape: Node, var: str, depth: int = 0) -> str:
    """True when the node in ``var`` conforms to the whole (nested) shape ``shape``."""
    flag = shapes.value(shape, SH.deactivated)
    if isinstance(flag, Literal) and flag.value is True:
        return "true"
    if shapes.value(shape, SH.path) is not None:  # a property shape, ``var`` its focus node
        return _property_condition(shapes, shape, var, depth + 1)
    parts = []
    for predicate, parameter in sorted(shapes.predicate_objects(shape), key=str):
        if predicate in _NESTED:
            parts.append(constraint_condition(shapes, shape, predicate, parameter, var, depth))
        elif predicate == SH.property:
            parts.append(shape_condition(shapes, parameter, var, depth + 1))
        elif predicate not in _NESTED_IGNORED and str(predicate).startswith(str(SH)):
            raise Unsupported(f"{predicate} inside a nested shape is not compiled")
    return f"({' && '.join(parts) or 'true'})"


def _property_condition(shapes: Graph, prop: Node, var: str, depth: int) -> str:
    """True when the node in ``var`` meets the nested property shape ``prop``: cardinalities
    of 0 or 1 as (NOT) EXISTS, value constraints as "no value breaks them"."""
    if depth > _NESTING_LIMIT:
        raise Unsupported(f"shapes nested deeper than {_NESTING_LIMIT}")
    path = sparql_path(shapes, shapes.value(prop, SH.path))
    value, other = f"?nested_{depth}", f"?nested_{depth}_other"
    parts = []
    for predicate, parameter in sorted(shapes.predicate_objects(prop), key=str):
        limit = parameter.value if isinstance(parameter, Literal) else None
        if predicate == SH.minCount and limit in (0, 1):
            parts.append(f"EXISTS {{ {var} {path} {value} }}" if limit else "true")
        elif predicate == SH.maxCount and limit in (0, 1):
            two = f" . {var} {path} {other} FILTER (!sameTerm({value}, {other}))" if limit else ""
            parts.append(f"NOT EXISTS {{ {var} {path} {value}{two} }}")
        elif predicate == SH.hasValue:
            parts.append(f"EXISTS {{ {var} {path} {term(parameter)} }}")
        elif predicate in _NESTED:
            condition = constraint_condition(shapes, prop, predicate, parameter, value, depth)
            parts.append(f"NOT EXISTS {{ {var} {path} {value} FILTER (!({condition})) }}")
        elif predicate not in _NESTED_IGNORED | {SH.path} and str(predicate).startswith(str(SH)):
            raise Unsupported(f"{predicate} in a nested property shape is not compiled")
    return f"({' && '.join(parts) or 'true'})"
