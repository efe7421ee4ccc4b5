"""The shapes themselves: valid SHACL, every term they use exists, and fixtures that fail for
the right reason (focus node, path, constraint component and shape, exactly)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib import namespace as vocab
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.extract.reference import load_turtle_files, turtle_files
from kg.rdf.namespaces import AIP, SH, SHAPES
from kg.validate import ValidationReport, check_shapes, compact, load_shapes, validate_graph
from tests.support import PROJECT

FIXTURES = Path(__file__).parent / "shapes" / "fixtures"
FIXTURE_DIRS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
PREFIXES = (FIXTURES / "prefixes.ttl").read_text()
# Reused vocabularies with a closed term list in rdflib; Web Annotation (oa:) is not in rdflib,
# so the oa: terms the shapes may use are listed from the W3C vocabulary.
REUSED_NAMES = ("DCTERMS", "FOAF", "ORG", "OWL", "RDF", "RDFS", "SDO", "SKOS", "XSD")
OA_TERMS = {
    "http://www.w3.org/ns/oa#" + name
    for name in [
        "Annotation",
        "SpecificResource",
        "TextPositionSelector",
        "TextQuoteSelector",
        "hasBody",
        "hasTarget",
        "hasSource",
        "hasSelector",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "motivatedBy",
    ]
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PROJECT.shapes)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_turtle_files(turtle_files(PROJECT.ontology))


@pytest.mark.slow
def test_shapes_pass_meta_shacl(shapes: Graph) -> None:
    check_shapes(shapes)  # raises ShapesError with the first meta-SHACL result


def term_exists(term: URIRef, ontology: Graph) -> bool:
    if term.startswith(str(AIP)):
        return (term, RDF.type, None) in ontology
    if str(term) in OA_TERMS:
        return True
    return any(term in getattr(vocab, name) for name in REUSED_NAMES)


def path_properties(shapes: Graph, path) -> list[URIRef]:
    if isinstance(path, URIRef):
        return [path]
    alternatives = shapes.value(path, SH.alternativePath)
    members = Collection(shapes, alternatives if alternatives is not None else path)
    return [p for member in members for p in path_properties(shapes, member)]


def test_every_term_in_the_shapes_exists(shapes: Graph, ontology: Graph) -> None:
    used: set[URIRef] = set()
    for path in shapes.objects(None, SH.path):
        used.update(path_properties(shapes, path))
    for predicate in (SH.targetClass, SH["class"], SH.targetSubjectsOf, SH.targetObjectsOf):
        used.update(o for o in shapes.objects(None, predicate) if isinstance(o, URIRef))
    assert len(used) > 40
    missing = sorted(compact(str(t)) for t in used if not term_exists(t, ontology))
    assert missing == []


def test_every_ontology_class_is_a_shape_target(shapes: Graph, ontology: Graph) -> None:
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(AIP))}
    assert len(classes) >= 15
    targeted = set(shapes.objects(None, SH.targetClass))
    assert sorted(compact(str(c)) for c in classes - targeted) == []


def test_every_property_shape_is_named_with_a_message(shapes: Graph) -> None:
    properties = set(shapes.objects(None, SH.property))
    assert properties
    for shape in properties:
        assert isinstance(shape, URIRef), f"anonymous property shape {shape}"
        assert shapes.value(shape, SH.name) is not None, compact(str(shape))
        assert shapes.value(shape, SH.message) is not None, compact(str(shape))


COUNT_CONSTRAINTS = {SH.minCount, SH.maxCount, SH.uniqueLang}
VALUE_CONSTRAINTS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"], SH.hasValue, SH.minInclusive,
    SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["or"], SH["and"], SH["not"], SH.node,
    SH.lessThan, SH.lessThanOrEquals, SH.languageIn, SH.minLength, SH.maxLength,
}  # fmt: skip


def test_a_shape_says_how_many_values_or_what_kind_never_both(shapes: Graph) -> None:
    """SHACL gives each shape one message: a shape with a count and a value rule told a reader
    of a class violation ("concept:status-bogus") how many statuses are allowed. Each is split
    in two, the kind of value in shapes:<Class>-<property>-kind, with a message of its own."""
    mixed = []
    for shape in set(shapes.subjects(SH.path, None)):
        given = set(shapes.predicates(shape, None))
        if given & COUNT_CONSTRAINTS and given & VALUE_CONSTRAINTS:
            mixed.append(compact(str(shape)))
    assert sorted(mixed) == []


def test_a_class_violation_gets_the_message_of_the_class_rule(
    shapes: Graph, ontology: Graph
) -> None:
    data = Graph().parse(
        data="""
        @prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
        @prefix ex: <http://example.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:nds a aip:NationalInstrument ; rdfs:label "NDS"@nl, "NDS"@en ;
            aip:instrumentType <https://w3id.org/ai-beleid/id/concept/instrument-type-strategy> ;
            aip:governanceLevel <https://w3id.org/ai-beleid/id/concept/level-national> ;
            aip:status <https://w3id.org/ai-beleid/id/concept/status-bogus> .
        """,
        format="turtle",
    )
    for engine in ("sparql", "pyshacl"):
        report = validate_graph(data, shapes, ontology, engine=engine)
        found = [
            (compact(r.shape), compact(r.component), r.message)
            for r in report.violations
            if r.path == "https://w3id.org/ai-beleid/def/aip#status"
        ]
        assert found == [
            (
                "shapes:PolicyInstrument-status-kind",
                "sh:ClassConstraintComponent",
                "An instrument's status (aip:status) must be a concept of the status scheme "
                "(a skos:Concept, such as concept:status-adopted).",
            )
        ], engine


def test_severity_is_split_by_file() -> None:
    violations = Graph().parse(PROJECT.shapes / "violations.ttl")
    warnings = Graph().parse(PROJECT.shapes / "warnings.ttl")
    assert (None, SH.severity, SH.Warning) not in violations
    for shape in warnings.subjects(RDF.type, SH.NodeShape):
        assert warnings.value(shape, SH.severity) == SH.Warning


# -- fixtures -----------------------------------------------------------------------------------


def test_every_node_shape_has_a_fixture(shapes: Graph) -> None:
    assert FIXTURE_DIRS, f"no fixture folders in {FIXTURES}"
    named = {
        str(s).removeprefix(str(SHAPES))
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef)
    }
    helpers = {  # node shapes used only inside sh:or, tested through the shape that uses them
        str(member).removeprefix(str(SHAPES))
        for lst in shapes.objects(None, SH["or"])
        for member in Collection(shapes, lst)
        if isinstance(member, URIRef)
    }
    assert sorted(named - helpers - {p.name for p in FIXTURE_DIRS}) == []
    for folder in FIXTURE_DIRS:
        assert (SHAPES[folder.name], RDF.type, SH.NodeShape) in shapes, folder.name


def family(shapes: Graph, node_shape: URIRef) -> set[Node]:
    """A node shape and the property shapes it uses: the results a fixture is about."""
    return {node_shape, *shapes.objects(node_shape, SH.property)}


def is_target(shapes: Graph, node_shape: URIRef, focus, data: Graph) -> bool:
    """Whether ``focus`` is a focus node of ``node_shape`` itself (not of another shape)."""
    for cls in shapes.objects(node_shape, SH.targetClass):
        for typ in data.objects(focus, RDF.type):
            if cls in data.transitive_objects(typ, RDFS.subClassOf):
                return True
    if any((focus, p, None) in data for p in shapes.objects(node_shape, SH.targetSubjectsOf)):
        return True
    return any((None, p, focus) in data for p in shapes.objects(node_shape, SH.targetObjectsOf))


def path_text(report: Graph, path) -> str:
    if path is None:
        return "-"
    if isinstance(path, URIRef):
        return compact(str(path))
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(path_text(report, p) for p in Collection(report, alternatives))
    return "/".join(path_text(report, p) for p in Collection(report, path))


@functools.cache
def fixture_data(folder: Path, case: str) -> Graph:
    """A fixture file's graph (read only by the tests: parsed once for all of them)."""
    return Graph().parse(data=PREFIXES + (folder / f"{case}.ttl").read_text(), format="turtle")


@pytest.fixture(scope="module")
def fixture_report(shapes: Graph, ontology: Graph):
    """The report of one engine on one fixture file, made once for the module's tests (the
    expectations and the engines' agreement read the same SPARQL-engine report)."""
    reports: dict[tuple[Path, str, str], ValidationReport] = {}

    def report(folder: Path, case: str, engine: str = "sparql") -> ValidationReport:
        key = (folder, case, engine)
        if key not in reports:
            data = fixture_data(folder, case)
            reports[key] = validate_graph(data, shapes, context=ontology, engine=engine)
        return reports[key]

    return report


def results_of(folder: Path, case: str, shapes: Graph, ontology: Graph, fixture_report):
    data = fixture_data(folder, case)
    report = fixture_report(folder, case).results_graph
    node_shape = SHAPES[folder.name]
    mine = family(shapes, node_shape)
    everything = data + ontology
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.sourceShape) not in mine:
            continue
        focus = report.value(result, SH.focusNode)
        assert not isinstance(focus, BNode)
        if not is_target(shapes, node_shape, focus, everything):
            continue
        found.add(
            (
                compact_fixture(str(focus)),
                path_text(report, report.value(result, SH.resultPath)),
                compact(str(report.value(result, SH.sourceConstraintComponent))),
                compact(str(report.value(result, SH.sourceShape))),
            )
        )
    return found


def compact_fixture(iri: str) -> str:
    return (
        "ex:" + iri.removeprefix("http://example.org/") if "example.org/" in iri else compact(iri)
    )


def expected_results(folder: Path) -> set[tuple[str, ...]]:
    lines = (folder / "expected.txt").read_text().splitlines()
    rows = {tuple(line.split()) for line in lines if line.strip() and not line.startswith("#")}
    assert rows and all(len(row) == 4 for row in rows), f"{folder}/expected.txt: 4 fields a line"
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_fixture_passes(folder: Path, shapes: Graph, ontology: Graph, fixture_report) -> None:
    assert results_of(folder, "pass", shapes, ontology, fixture_report) == set()


@pytest.mark.slow
@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_fixture_fails_for_the_right_reason(
    folder: Path, shapes: Graph, ontology: Graph, fixture_report
) -> None:
    expected = expected_results(folder)
    assert results_of(folder, "fail", shapes, ontology, fixture_report) == expected


# -- the SPARQL engine against pySHACL ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("case", ["pass", "fail"])
@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_sparql_engine_gives_what_pyshacl_gives(folder: Path, case: str, fixture_report) -> None:
    """Every result of every shape (not only the fixture's own), field by field."""
    reference = fixture_report(folder, case, engine="pyshacl").results
    compiled = fixture_report(folder, case).results
    if case == "fail":
        assert reference, "a failing fixture gives results"
    assert compiled == reference


def test_the_project_shapes_compile_without_fallback(shapes: Graph) -> None:
    from kg.validate.compiler import compile_shapes

    compiled = compile_shapes(shapes)
    assert compiled.fallback == {}
    assert {c.node_shape for c in compiled.checks} == {
        s
        for t in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
        for s in shapes.subjects(t, None)
    }


# Constraint components and paths the project's shapes do not use (yet), each with data that
# breaks it, a nested property shape, and a feature the compiler leaves to pySHACL (sh:xone).
OTHER_FEATURES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:Ranges a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:n ; sh:maxInclusive 10 ; sh:minExclusive 0 ; sh:message "n in (0, 10]" ] ,
        [ sh:path ex:code ; sh:minLength 2 ; sh:maxLength 3 ; sh:pattern "^[a-z]+$" ; sh:flags "i" ;
          sh:message "code" ] ,
        [ sh:path ex:colour ; sh:in ( ex:red ex:green ) ; sh:message "colour" ] ,
        [ sh:path ex:name ; sh:languageIn ( "nl" "en" ) ; sh:uniqueLang true ; sh:message "name" ] ,
        [ sh:path ( ex:part ex:n ) ; sh:minCount 1 ; sh:message "a part with a number" ] ,
        [ sh:path [ sh:inversePath ex:has ] ; sh:maxCount 1 ; sh:message "one owner" ] ,
        [ sh:path [ sh:oneOrMorePath ex:part ] ; sh:class ex:Thing ; sh:message "parts are things" ] ,
        [ sh:path ex:start ; sh:lessThan ex:end ; sh:message "start before end" ] ,
        [ sh:path ex:kind ; sh:node ex:Kind ; sh:message "a kind" ] ,
        [ sh:path ex:alias ; sh:not [ sh:datatype xsd:integer ] ; sh:message "no number" ] .
ex:Kind a sh:NodeShape ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:hasValue ex:k1 ] ) .
ex:Listed a sh:NodeShape ; sh:targetNode ex:a, ex:z ; sh:class ex:Thing ; sh:message "listed" .
ex:Either a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:xone ( [ sh:class ex:Thing ] [ sh:class ex:Other ] ) ; sh:message "exactly one" .
ex:Nested a sh:NodeShape ; sh:targetSubjectsOf ex:kind ;
    sh:property [ sh:path ex:kind ; sh:message "a kind with one string label" ;
        sh:node [ sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:maxCount 1 ;
                                sh:datatype xsd:string ] ] ] .
"""
OTHER_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:Thing, ex:Other ; ex:n 0, 11, 5, "x" ; ex:code "A", "abcd", "ab1" ; ex:colour ex:blue, ex:red ;
    ex:name "een"@nl, "twee"@NL, "one"@en-GB, "ein"@de, "plain" ; ex:part ex:b, ex:c ;
    ex:start 5 ; ex:end 3, 7 ; ex:kind ex:k2, "k1" ; ex:alias 3, "three" .
ex:b a ex:Thing ; ex:part ex:d ; ex:n 1 ; ex:kind ex:k1 .
ex:c ex:n 2 .
ex:d a ex:Thing ; ex:kind ex:k3, ex:k4 .
ex:k3 ex:label "k", "kk" .
ex:k4 ex:label 4 .
ex:o1 ex:has ex:b . ex:o2 ex:has ex:b .
ex:k1 ex:label "k" .
"""


def test_engines_agree_on_other_features() -> None:
    from kg.validate.compiler import compile_shapes

    shapes = Graph().parse(data=OTHER_FEATURES, format="turtle")
    data = Graph().parse(data=OTHER_DATA, format="turtle")
    compiled = compile_shapes(shapes)
    assert list(compiled.fallback) == [URIRef("http://example.org/Either")]
    reports = [validate_graph(data, shapes, engine=e) for e in ("pyshacl", "sparql")]

    def key(r):  # anonymous property shapes get a fresh blank node in every pySHACL report
        return (
            r.focus,
            r.path if r.path and r.path.startswith("http") else "-",
            r.value or "-",
            r.component,
            r.shape if r.shape.startswith("http") else "_",
            r.severity,
            r.message,
        )

    found = sorted(map(key, reports[1].results))
    assert found == sorted(map(key, reports[0].results))
    nested = {r.value for r in reports[0].results if r.message == "a kind with one string label"}
    assert nested == {f"http://example.org/k{n}" for n in (2, 3, 4)} | {'"k1"'}
    components = {r.component.removeprefix(str(SH)) for r in reports[0].results}
    assert {
        "MaxInclusiveConstraintComponent",
        "MinExclusiveConstraintComponent",
        "MinLengthConstraintComponent",
        "MaxLengthConstraintComponent",
        "InConstraintComponent",
        "LanguageInConstraintComponent",
        "UniqueLangConstraintComponent",
        "LessThanConstraintComponent",
        "NodeConstraintComponent",
        "NotConstraintComponent",
        "ClassConstraintComponent",
        "XoneConstraintComponent",
        "MaxCountConstraintComponent",
    } <= components


TARGETED_PROPERTY_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:P a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; sh:datatype xsd:integer ;
    sh:minCount 1 ; sh:message "p: at least one integer" .
ex:Q sh:targetClass ex:T ; sh:path ex:q ; sh:class ex:T ; sh:message "q: a T" .
"""


def test_engines_agree_on_a_targeted_property_shape() -> None:
    """A property shape with targets of its own (no node shape around it) constrains the values
    on its path, not the focus node (it was once compiled as a node shape: the focus node
    failed sh:datatype, and sh:class on ex:q passed silently)."""
    from kg.validate.compiler import compile_shapes

    shapes = Graph().parse(data=TARGETED_PROPERTY_SHAPES, format="turtle")
    data = Graph().parse(
        data="@prefix ex: <http://example.org/> .\n"
        'ex:a a ex:T ; ex:p "x", 5 ; ex:q ex:b, 3 . ex:b a ex:T ; ex:p 3 . ex:c a ex:T .',
        format="turtle",
    )
    assert compile_shapes(shapes).fallback == {}
    reference, compiled = (
        validate_graph(data, shapes, engine=e).results for e in ("pyshacl", "sparql")
    )
    assert compiled == reference
    assert sorted((r.focus, r.shape, r.component.removeprefix(str(SH))) for r in compiled) == [
        ("http://example.org/a", "http://example.org/P", "DatatypeConstraintComponent"),
        ("http://example.org/a", "http://example.org/Q", "ClassConstraintComponent"),
        ("http://example.org/c", "http://example.org/P", "MinCountConstraintComponent"),
    ]


def test_a_changed_shapes_graph_is_compiled_again(shapes: Graph, ontology: Graph) -> None:
    """The SPARQL engine keeps compiled shapes per content: a shape added to the same graph
    object counts, a stale compilation would miss it."""
    shapes = shapes + Graph()  # a copy: the module's graph stays as loaded
    data = Graph().parse(data=PREFIXES + "ex:q a aip:Question ; aip:number 1 .", format="turtle")
    before = validate_graph(data, shapes, context=ontology, engine="sparql").results
    shapes.parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://example.org/QuestionNeedsTopic> a sh:NodeShape ;\n"
        "  sh:targetClass <https://w3id.org/ai-beleid/def/aip#Question> ;\n"
        "  sh:property [ sh:path <http://example.org/topic> ; sh:minCount 1 ;\n"
        '    sh:message "test shape: every question needs a topic" ] .\n',
        format="turtle",
    )
    after = validate_graph(data, shapes, context=ontology, engine="sparql").results
    added = [(r.focus, r.path, r.component, r.message) for r in after if r not in before]
    assert added == [
        (
            "http://example.org/q",
            "http://example.org/topic",
            str(SH.MinCountConstraintComponent),
            "test shape: every question needs a topic",
        )
    ]
