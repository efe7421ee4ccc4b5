"""Turtle files read by Oxigraph into rdflib: the triples rdflib's own parser gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg.rdf.turtle import SourceLocations, TurtleSyntaxError, read_turtle
from tests.support import PROJECT

FILES = sorted(
    [*PROJECT.ontology.glob("*.ttl"), *PROJECT.shapes.glob("*.ttl"), *PROJECT.data.rglob("*.ttl")]
)


def test_the_glob_found_turtle_files() -> None:
    assert len(FILES) >= 10


def literals(graph: Graph) -> set[Literal]:
    return {o for o in graph.objects() if isinstance(o, Literal)}


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_same_graph_as_rdflibs_parser(path: Path) -> None:
    expected = Graph().parse(path, format="turtle")
    found = read_turtle([path])
    assert len(found) == len(expected)
    assert found.isomorphic(expected)
    # A plain string stays plain: rdflib tells "x" from "x"^^xsd:string.
    assert literals(found) == literals(expected)


def test_relative_iris_resolve_against_the_file(tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text('<> <http://ex/p> "x" .\n', encoding="utf-8")
    [(subject, _, _)] = read_turtle([path])
    assert str(subject) == path.resolve().as_uri()


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://ex/> .\nex:a ex:b "x" .\nex:a ex:b ex:c ex:d .\n')
    with pytest.raises(TurtleSyntaxError) as err:
        read_turtle([path])
    assert err.value.where == f"{path}:3"
    assert not err.value.why.startswith("Parser error")


def test_text_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<http://ex/a> <http://ex/p> "Café" .\n'.encode("latin-1"))
    with pytest.raises(TurtleSyntaxError) as err:
        read_turtle([path])
    assert err.value.where.startswith(str(path))


TRIPLE_TERMS = {
    "object": "<http://ex/a> <http://ex/p> <<( <http://ex/x> <http://ex/y> <http://ex/z> )>> .\n",
    "reifier": "<< <http://ex/x> <http://ex/y> <http://ex/z> >> <http://ex/p> <http://ex/o> .\n",
}


@pytest.mark.parametrize("text", TRIPLE_TERMS.values(), ids=list(TRIPLE_TERMS))
@pytest.mark.parametrize("with_locations", [False, True])
def test_an_rdf12_triple_term_is_refused_by_name(
    tmp_path: Path, text: str, with_locations: bool
) -> None:
    # Oxigraph parses RDF 1.2 triple terms; rdflib has none. They used to reach from_ox and
    # end in AttributeError: 'pyoxigraph.Triple' object has no attribute 'language'.
    path = tmp_path / "star.ttl"
    path.write_text("# RDF 1.2\n" + text, encoding="utf-8")
    with pytest.raises(TurtleSyntaxError) as err:
        read_turtle([path], locations=SourceLocations() if with_locations else None)
    assert err.value.where == (f"{path}:2" if with_locations else str(path))
    assert "triple term" in err.value.why


def test_converting_a_triple_term_from_a_store_is_a_type_error() -> None:
    import pyoxigraph as ox

    from kg.rdf.terms import OxToRdflib, from_ox

    x, y, z = (ox.NamedNode(f"http://ex/{n}") for n in "xyz")
    quoted = ox.Triple(x, y, z)
    with pytest.raises(TypeError, match="triple term"):
        OxToRdflib().triples([ox.Triple(x, y, quoted)])
    with pytest.raises(TypeError, match="triple term"):
        from_ox(quoted)
    assert OxToRdflib().triples([ox.Triple(x, y, z)]) == [
        (URIRef("http://ex/x"), URIRef("http://ex/y"), URIRef("http://ex/z"))
    ]


def test_the_same_files_read_twice_give_equal_graphs() -> None:
    """Blank nodes are named by content: kept computations (compiled shapes) find them."""
    shapes = sorted(PROJECT.shapes.glob("*.ttl"))
    first, second = read_turtle(shapes), read_turtle(shapes)
    assert any(isinstance(s, BNode) for s in first.subjects())
    assert set(first) == set(second)


def test_blank_nodes_of_different_files_stay_apart(tmp_path: Path) -> None:
    for name, value in (("a.ttl", "1"), ("b.ttl", "2")):
        (tmp_path / name).write_text(f"<http://ex/s> <http://ex/p> [ <http://ex/v> {value} ] .\n")
    graph = read_turtle([tmp_path / "a.ttl", tmp_path / "b.ttl"])
    assert len(set(graph.objects(None, URIRef("http://ex/p")))) == 2


# --- where each triple was written ------------------------------------------------------------

LOCATED = """@prefix ex: <http://ex/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

# a comment above the first block
ex:a
    a ex:Thing ;
    rdfs:label "A"@en,
        "Aa"@nl ;
    ex:budget [ a ex:Amount ;
        ex:value 5 ] ;
    ex:status ex:bogus .

ex:b a ex:Thing . ex:c a ex:Thing .
ex:d
    ex:note \"\"\"two
lines\"\"\" ;
    ex:next ex:e .
"""


def test_locations_name_the_line_of_each_triple_and_of_each_block(tmp_path: Path) -> None:
    path = tmp_path / "located.ttl"
    path.write_text(LOCATED, encoding="utf-8")
    locations = SourceLocations()
    graph = read_turtle([path], locations=locations)
    assert set(graph) == set(read_turtle([path]))  # the same triples as without locations
    name = str(path.resolve())  # outside any project: the absolute path
    ex = "http://ex/"
    assert locations.subjects[URIRef(ex + "a")] == (name, 5)  # the block, not its first triple
    assert locations.of(URIRef(ex + "a"), URIRef(ex + "status"), URIRef(ex + "bogus")) == (name, 11)
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert locations.of(URIRef(ex + "a"), label, Literal("Aa", lang="nl")) == (name, 8)
    # a value the file does not hold: the block's line
    assert locations.of(URIRef(ex + "a"), label, Literal("B", lang="en")) == (name, 5)
    assert locations.subjects[URIRef(ex + "b")] == (name, 13)
    assert locations.subjects[URIRef(ex + "c")] == (name, 13)
    assert locations.subjects[URIRef(ex + "d")] == (name, 14)
    assert locations.of(URIRef(ex + "d"), URIRef(ex + "next"), URIRef(ex + "e")) == (name, 17)
    assert locations.of(URIRef(ex + "nowhere")) is None


def test_locations_of_the_reference_data_are_relative_to_the_project() -> None:
    locations = SourceLocations()
    read_turtle(sorted(PROJECT.reference.glob("*.ttl")), locations=locations)
    nds = URIRef("https://w3id.org/ai-beleid/id/instrument/nds")
    file, line = locations.subjects[nds]
    assert file == "data/reference/instruments.ttl"
    assert (PROJECT.root / file).read_text(encoding="utf-8").splitlines()[line - 1] == (
        "instrument:nds"
    )
