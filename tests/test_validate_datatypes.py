"""sh:datatype in the SPARQL engine gives what pySHACL gives for any lexical form: rdflib, not
the XSD lexical space, decides which literals are ill typed (``" 5"`` is an integer to rdflib's
``int()``, year 20200 is no date to Python), and a datatype Oxigraph folds into xsd:integer is
left to pySHACL."""

from __future__ import annotations

import logging

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD

from kg.rdf.namespaces import GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SH
from kg.store.embedded import EmbeddedStore
from kg.validate import validate_graph, validate_store
from kg.validate.compiler import compile_shapes

# rdflib warns about every odd lexical form it reads or writes: here they are the point
pytestmark = [
    pytest.mark.filterwarnings("ignore:Serializing weird numerical:UserWarning"),
    pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning"),
]
EX = Namespace("http://example.org/")
DOCUMENT = str(GRAPH["document/X"])
FORMS = [
    *("5", " 5", "+5", "05", "1_000", "5.0", ".5", "5.", "1e3", "abc", "", "TRUE", "1", "0"),
    *("2020-01-01", "2020-1-01", "2020-01-01Z", "2020-01-01-05:00", "20200-01-01"),
    *("-2020-01-01", "2020-13-01", "2020-02-30", "2020-02-29", "2021-02-29", "0000-01-01"),
    *("0001-01-01", "2020-01-31", "2020-01-01T10:00:00", "10:00:00", "ab", "AB", "a", "١٢"),
    *("NaN", "INF", "P1D", "http://x"),
]
DATATYPES = [
    *(XSD.integer, XSD.decimal, XSD.boolean, XSD.date, XSD.hexBinary, XSD.double, XSD.float),
    *(XSD.dateTime, XSD.time, XSD.gYear, XSD.anyURI, XSD.duration, XSD.string, XSD.token),
    XSD.base64Binary,
]


def datatype_shapes(datatypes, nested: bool) -> Graph:
    """One property shape per datatype; ``nested``: the datatype inside an sh:or."""
    shapes = Graph()
    shape = EX.Typed
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, EX.T))
    for i, datatype in enumerate(datatypes):
        prop = EX[f"Typed-p{i}"]
        shapes.add((shape, SH.property, prop))
        shapes.add((prop, SH.path, EX[f"p{i}"]))
        shapes.add((prop, SH.message, Literal(f"a {datatype}")))
        if nested:
            typed, never = BNode(), BNode()
            shapes.add((typed, SH.datatype, datatype))
            shapes.add((never, SH["class"], EX.Nothing))
            members = BNode()
            Collection(shapes, members, [typed, never])
            shapes.add((prop, SH["or"], members))
        else:
            shapes.add((prop, SH.datatype, datatype))
    return shapes


def store_with(datatypes) -> EmbeddedStore:
    """A store whose one document graph has one node per datatype and lexical form."""
    store = ox.Store()
    graph = ox.NamedNode(DOCUMENT)
    for i, datatype in enumerate(datatypes):
        for j, form in enumerate(FORMS):
            node = ox.NamedNode(f"http://example.org/n{i}-{j}")
            store.add(ox.Quad(node, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(EX.T)), graph))
            value = ox.Literal(form, datatype=ox.NamedNode(str(datatype)))
            store.add(ox.Quad(node, ox.NamedNode(str(EX[f"p{i}"])), value, graph))
    for name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
        store.add(
            ox.Quad(
                ox.NamedNode(str(EX.x)),
                ox.NamedNode(str(EX.p)),
                ox.Literal(1),
                ox.NamedNode(str(name)),
            )
        )
    return EmbeddedStore(store)


@pytest.mark.slow
@pytest.mark.parametrize("nested", [False, True], ids=["datatype", "datatype-in-sh:or"])
def test_engines_agree_on_every_lexical_form(nested: bool, caplog) -> None:
    caplog.set_level(logging.CRITICAL)  # rdflib logs every lexical form it cannot read
    shapes = datatype_shapes(DATATYPES, nested)
    assert compile_shapes(shapes).fallback == {}
    store = store_with(DATATYPES)
    reference, compiled = (
        validate_store(store, shapes, check=False, engine=engine).results
        for engine in ("pyshacl", "sparql")
    )
    assert compiled == reference
    found = {(r.message.removeprefix("a "), r.value) for r in reference}
    assert (str(XSD.duration), f'"abc"^^<{XSD.duration}>') in found  # no regular expression
    assert (str(XSD.date), f'"2020-02-30"^^<{XSD.date}>') in found  # no such day
    assert (str(XSD.date), f'"20200-01-01"^^<{XSD.date}>') in found  # past Python's year 9999
    assert (str(XSD.integer), f'" 5"^^<{XSD.integer}>') not in found  # int(" 5") reads it
    assert (str(XSD.date), f'"2020-02-29"^^<{XSD.date}>') not in found  # a leap day


def test_a_datatype_oxigraph_folds_into_integer_is_left_to_pyshacl() -> None:
    shapes = datatype_shapes([XSD.nonNegativeInteger], nested=False)
    assert "Oxigraph stores it as xsd:integer" in compile_shapes(shapes).fallback[EX.Typed]
    data = Graph()
    for form in ("-129", "5"):
        node = URIRef(f"http://example.org/n{form}")
        data.add((node, RDF.type, EX.T))
        data.add((node, EX.p0, Literal(form, datatype=XSD.nonNegativeInteger)))
    reference, compiled = (
        validate_graph(data, shapes, engine=engine).results for engine in ("pyshacl", "sparql")
    )
    assert [r.focus for r in compiled] == ["http://example.org/n-129"]
    assert compiled == reference


def test_only_unusual_lexical_forms_are_judged_in_python(monkeypatch, caplog) -> None:
    """A well-formed integer or date is taken in SPARQL; rdflib is asked about the rest only
    (the call into Python per value would cost more than the query)."""
    import kg.validate.sparql_engine as engine

    caplog.set_level(logging.CRITICAL)
    judged: list[tuple[str, str]] = []  # datatype and lexical form, as Oxigraph holds them
    original = engine._well_typed

    def counting(converter):
        judge = original(converter)

        def counted(value):
            judged.append((value.datatype.value.removeprefix(str(XSD)), value.value))
            return judge(value)

        return counted

    monkeypatch.setattr(engine, "_well_typed", counting)
    shapes = datatype_shapes([XSD.integer, XSD.date], nested=False)
    validate_store(store_with([XSD.integer, XSD.date]), shapes, check=False)
    assert ("integer", "5") not in judged  # Oxigraph keeps "+5" and "05" as "5" too
    assert ("date", "2020-01-01") not in judged and ("date", "0001-01-01") not in judged
    assert {("integer", " 5"), ("integer", "abc"), ("date", "2020-02-29")} <= set(judged)
