"""The shapes themselves: valid SHACL, every term they use exists, and fixtures that fail for
the right reason (focus node, path, constraint component and shape, exactly)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib import namespace as vocab
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg import project as paths
from kg.extract.reference import load_turtle_files, turtle_files
from kg.rdf.namespaces import AIP, SH, SHAPES
from kg.validate import check_shapes, compact, load_shapes, validate_graph

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
    return load_shapes(paths.SHAPES_DIR)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_turtle_files(turtle_files(paths.ONTOLOGY_DIR))


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
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if c.startswith(str(AIP))}
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


def test_severity_is_split_by_file() -> None:
    violations = Graph().parse(paths.SHAPES_DIR / "violations.ttl")
    warnings = Graph().parse(paths.SHAPES_DIR / "warnings.ttl")
    assert (None, SH.severity, SH.Warning) not in violations
    for shape in warnings.subjects(RDF.type, SH.NodeShape):
        assert warnings.value(shape, SH.severity) == SH.Warning


# -- fixtures -----------------------------------------------------------------------------------


def test_every_node_shape_has_a_fixture(shapes: Graph) -> None:
    assert FIXTURE_DIRS, f"no fixture folders in {FIXTURES}"
    named = {
        str(s).removeprefix(str(SHAPES))
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and (None, SH["or"], None) not in shapes.triples((None, None, s))
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


def family(shapes: Graph, node_shape: URIRef) -> set[URIRef]:
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


def results_of(folder: Path, case: str, shapes: Graph, ontology: Graph) -> set[tuple[str, ...]]:
    data = Graph().parse(data=PREFIXES + (folder / f"{case}.ttl").read_text(), format="turtle")
    report = validate_graph(data, shapes, context=ontology).results_graph
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


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_fixture_passes(folder: Path, shapes: Graph, ontology: Graph) -> None:
    assert results_of(folder, "pass", shapes, ontology) == set()


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_fixture_fails_for_the_right_reason(folder: Path, shapes: Graph, ontology: Graph) -> None:
    assert results_of(folder, "fail", shapes, ontology) == expected_results(folder)


# -- the SPARQL engine against pySHACL ----------------------------------------------------------


@pytest.mark.parametrize("case", ["pass", "fail"])
@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_sparql_engine_gives_what_pyshacl_gives(
    folder: Path, case: str, shapes: Graph, ontology: Graph
) -> None:
    """Every result of every shape (not only the fixture's own), field by field."""
    data = Graph().parse(data=PREFIXES + (folder / f"{case}.ttl").read_text(), format="turtle")
    reference = validate_graph(data, shapes, context=ontology, engine="pyshacl").results
    compiled = validate_graph(data, shapes, context=ontology, engine="sparql").results
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
