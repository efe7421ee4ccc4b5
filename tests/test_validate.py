"""kg validate on the built seed, on mutated copies of it, and on broken input."""

from __future__ import annotations

import dataclasses
import gc
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.cli import main
from kg.pipeline.build import BuildResult
from kg.validate import compact as compact_iri

SEED = "https://w3id.org/ai-beleid/id/document/2026D32673"
DOC_GRAPH = "https://w3id.org/ai-beleid/graph/document/2026D32673"
MINTED_GRAPH = "https://w3id.org/ai-beleid/graph/minted"
REF_GRAPH = "https://w3id.org/ai-beleid/graph/reference"
PROJECT_SHAPES = Path(__file__).parent.parent / "shapes"
PREFIXES = """
PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# name: (SPARQL UPDATE on a copy of the seed store, focus node, shape, constraint component)
MUTATIONS = {
    "answer-without-its-question": (
        f"DELETE WHERE {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/question/3> ?p ?o }} }}",
        f"{SEED}/answer/3",
        "shapes:Answer-answers-kind",
        "sh:ClassConstraintComponent",
    ),
    "mention-offsets-point-at-other-text": (
        f"""DELETE {{ GRAPH <{DOC_GRAPH}> {{ ?p oa:start ?s ; oa:end ?e }} }}
            INSERT {{ GRAPH <{DOC_GRAPH}> {{ ?p oa:start ?s2 ; oa:end ?e2 }} }}
            WHERE {{ GRAPH <{DOC_GRAPH}> {{
                <{SEED}/mention/107-148#position> oa:start ?s ; oa:end ?e .
                BIND (<{SEED}/mention/107-148#position> AS ?p)
                BIND (?s + 3 AS ?s2) BIND (?e + 3 AS ?e2) }} }}""",
        f"{SEED}/mention/107-148",
        "shapes:Evidence-span",
        "sh:SPARQLConstraintComponent",
    ),
    "mention-offsets-outside-the-text": (
        f"""DELETE {{ GRAPH <{DOC_GRAPH}> {{ ?p oa:end ?e }} }}
            INSERT {{ GRAPH <{DOC_GRAPH}> {{ ?p oa:end 999999 }} }}
            WHERE {{ GRAPH <{DOC_GRAPH}> {{ ?p oa:end ?e }}
                     FILTER (?p = <{SEED}/mention/107-148#position>) }}""",
        f"{SEED}/mention/107-148",
        "shapes:Evidence-span",
        "sh:SPARQLConstraintComponent",
    ),
    "label-without-language-tag": (
        f"""DELETE {{ GRAPH <{REF_GRAPH}> {{ ?i rdfs:label ?l }} }}
            INSERT {{ GRAPH <{REF_GRAPH}> {{ ?i rdfs:label ?plain }} }}
            WHERE {{ GRAPH <{REF_GRAPH}> {{ ?i rdfs:label ?l }}
                     FILTER (?i = <https://w3id.org/ai-beleid/id/instrument/nadi> && LANG(?l) = "en")
                     BIND (STR(?l) AS ?plain) }}""",
        "https://w3id.org/ai-beleid/id/instrument/nadi",
        "shapes:label-tagged",
        "sh:DatatypeConstraintComponent",
    ),
    "amount-without-currency": (
        f"DELETE WHERE {{ GRAPH <{REF_GRAPH}> {{ ?a schema:currency ?c }} }}",
        "https://w3id.org/ai-beleid/id/instrument/nii-capital",
        "shapes:MonetaryAmount-currency",
        "sh:MinCountConstraintComponent",
    ),
    "amount-min-above-max": (
        f"""INSERT DATA {{ GRAPH <{REF_GRAPH}> {{
                <https://w3id.org/ai-beleid/id/instrument/nii-capital> schema:minValue 9000000000 }} }}""",
        "https://w3id.org/ai-beleid/id/instrument/nii-capital",
        "shapes:MonetaryAmount-minValue-kind",
        "sh:LessThanOrEqualsConstraintComponent",
    ),
    "duplicate-question-number": (
        f"""DELETE DATA {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/question/4> aip:number 4 }} }};
            INSERT DATA {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/question/4> aip:number 5 }} }}""",
        f"{SEED}/question/4",
        "shapes:Question-number",
        "sh:SPARQLConstraintComponent",
    ),
    # Committed by something that is neither a person nor a post (a missing actor is only a
    # warning: accepted, and flagged).
    "commitment-by-no-minister": (
        f"""DELETE {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/commitment/1> aip:committedBy ?who }} }}
            INSERT {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/commitment/1> aip:committedBy <{SEED}> }} }}
            WHERE {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/commitment/1> aip:committedBy ?who }} }}""",
        f"{SEED}/commitment/1",
        "shapes:Commitment-committedBy-kind",
        "sh:OrConstraintComponent",
    ),
    "date-as-string": (
        # The debate is described once, in the minted graph (a document graph only links it).
        f"""DELETE {{ GRAPH <{MINTED_GRAPH}> {{ ?d dcterms:date ?date }} }}
            INSERT {{ GRAPH <{MINTED_GRAPH}> {{ ?d dcterms:date ?text }} }}
            WHERE {{ GRAPH <{MINTED_GRAPH}> {{ ?d dcterms:date ?date }} BIND (STR(?date) AS ?text) }}""",
        "https://w3id.org/ai-beleid/id/debate/commissiedebat-innovatie-2026-06-25",
        "shapes:Dates-date",
        "sh:DatatypeConstraintComponent",
    ),
    "footnote-url-as-string": (
        f"""DELETE {{ GRAPH <{DOC_GRAPH}> {{ ?f schema:url ?u }} }}
            INSERT {{ GRAPH <{DOC_GRAPH}> {{ ?f schema:url ?text }} }}
            WHERE {{ GRAPH <{DOC_GRAPH}> {{ ?f schema:url ?u }}
                     FILTER (?f = <{SEED}/footnote/3>) BIND (STR(?u) AS ?text) }}""",
        f"{SEED}/footnote/3",
        "shapes:Footnote-url",
        "sh:NodeKindConstraintComponent",
    ),
    "type-outside-the-ontology": (
        f"""INSERT DATA {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}/answer/1> a aip:Antwoord }} }}""",
        "https://w3id.org/ai-beleid/def/aip#Antwoord",
        "shapes:OntologyTypes",
        "sh:OrConstraintComponent",
    ),
}


def mutated_store(seed: BuildResult, folder: Path, update: str) -> Path:
    """A writable copy of the seed store with ``update`` applied, closed for reading."""
    path = folder / "mutated"
    source = ox.Store.read_only(str(Path(seed.store).resolve()))
    source.backup(str(path))  # a RocksDB checkpoint: hard links, not a copy quad by quad
    copy = ox.Store(str(path))
    copy.update(PREFIXES + update)
    copy.flush()
    del copy, source
    gc.collect()
    return path


@pytest.mark.slow
def test_seed_conforms(seed_build: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(seed_build.store)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("conforms: validated reference data once and 1 document graph")
    assert "0 violations" in out


@pytest.mark.slow
def test_seed_json_report(seed_build: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(seed_build.store), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is True
    assert report["documents"] == ["https://w3id.org/ai-beleid/graph/document/2026D32673"]
    assert report["results"] == []


def test_warnings_are_reported_but_do_not_fail(
    seed_build: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--store", str(seed_build.store), "--warnings"]) == 0
    out = capsys.readouterr().out
    # the seed's commitment 2 waits on an event ("Zodra deze inventarisatie is afgerond")
    assert "Warning: shapes:Commitment-dated" in out
    assert f"<{SEED}/commitment/2>" in out
    assert "[data/sources/2026D32673.txt:" in out  # source document and line


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_a_violation(name: str, seed_build: BuildResult, tmp_path: Path) -> None:
    """The report of one run, in JSON and as text (the command's exit code on violations is
    tested below, on one mutation); pySHACL gives the same results."""
    from kg.store import open_store
    from kg.validate import load_shapes, render, validate_store

    update, focus, shape, component = MUTATIONS[name]
    store = open_store(mutated_store(seed_build, tmp_path, update))
    shapes = load_shapes(PROJECT_SHAPES)
    report = validate_store(store, shapes, check=False)
    assert report.results == validate_store(store, shapes, check=False, engine="pyshacl").results
    results = json.loads(render(report, "json"))["results"]
    found = {(r["focus"], compact(r["shape"]), compact(r["component"])) for r in results}
    assert (focus, shape, component) in found, found
    text = render(report, "text")
    assert f"Violation: {shape}" in text
    assert compact_iri(focus) in text
    assert "does not conform" in text.splitlines()[-1]


@pytest.mark.slow
def test_text_report_names_line_and_source(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    update = MUTATIONS["mention-offsets-point-at-other-text"][0]
    store = mutated_store(seed_build, tmp_path, update)
    assert main(["validate", "--store", str(store)]) == 1
    out = capsys.readouterr().out
    assert "Violation: shapes:Evidence-span (text span matches the text): 1 result" in out
    assert f"<{SEED}/mention/107-148>" in out
    assert "[data/sources/2026D32673.txt:" in out
    assert "is not the text at offsets 110-151" in out


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_document_node_is_sourced_to_its_document_file(
    engine: str, seed_build: BuildResult, tmp_path: Path
) -> None:
    """The document graph also holds curated stances with files of their own
    (data/reference/stances/), which must not stand in for the document's source."""
    from kg.store import open_store
    from kg.validate import load_shapes, validate_store

    update = f"DELETE WHERE {{ GRAPH <{DOC_GRAPH}> {{ <{SEED}> dcterms:identifier ?id }} }}"
    store = open_store(mutated_store(seed_build, tmp_path, update))
    report = validate_store(store, load_shapes(PROJECT_SHAPES), check=False, engine=engine)
    sources = {r.source for r in report.results if str(r.focus) == SEED}
    assert sources == {"data/sources/2026D32673.txt"}


@pytest.mark.slow
def test_turtle_report_is_a_shacl_report(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rdflib import Graph
    from rdflib.namespace import RDF

    from kg.rdf.namespaces import SH

    store = mutated_store(seed_build, tmp_path, MUTATIONS["amount-without-currency"][0])
    assert main(["validate", "--store", str(store), "--format", "turtle"]) == 1
    report = Graph().parse(data=capsys.readouterr().out, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert str(report.value(node, SH.conforms)) == "false"
    assert len(list(report.objects(node, SH.result))) == 1


def compact(iri: str) -> str:
    for prefix, ns in (
        ("shapes", "https://w3id.org/ai-beleid/def/shapes#"),
        ("sh", "http://www.w3.org/ns/shacl#"),
    ):
        if iri.startswith(ns):
            return prefix + ":" + iri[len(ns) :]
    return iri


# -- usage and input errors: exit 2, one line, no traceback -------------------------------------


def test_malformed_shapes_file(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://ex/S> a sh:NodeShape ;\n"
    )
    assert main(["validate", "--store", str(seed_build.store), "--shapes", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    # The parser finds the statement unfinished where the file ends: on line 3.
    assert f"{tmp_path / 'broken.ttl'}:3: not valid Turtle: the file ends inside a statement" in err


def test_shapes_that_are_not_valid_shacl(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://ex/S> a sh:NodeShape ; sh:targetClass <http://ex/C> ;\n"
        '  sh:property [ sh:path <http://ex/p> ; sh:minCount "one" ] .\n'
    )
    assert main(["validate", "--store", str(seed_build.store), "--shapes", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "shapes are not valid SHACL" in err
    assert 'sh:minCount = "one"' in err


def test_empty_shapes_folder(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--store", str(seed_build.store), "--shapes", str(tmp_path)]) == 2
    assert "no .ttl shapes files found" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["missing", "file", "corrupt"])
def test_unreadable_store(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    if kind == "file":
        store.write_text("not a store")
    elif kind == "corrupt":
        store.mkdir()
        (store / "CURRENT").write_text("garbage")
    assert main(["validate", "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"kg validate: error: {store}: ")


def test_unknown_document(seed_build: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(seed_build.store), "--document", "X1"]) == 2
    assert "no document graph X1 in the store" in capsys.readouterr().err


@pytest.mark.slow
def test_shapes_split_over_processes_report_what_one_run_reports(
    seed_build: BuildResult, tmp_path: Path
) -> None:
    """Every mutation at once: the results with the shapes split over two worker processes
    are exactly those of one pySHACL run (the split must neither lose nor double a result)."""
    from kg.rdf.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.store import open_store
    from kg.validate import load_graph, load_shapes, validate_store
    from kg.validate.mirror import data_graph
    from kg.validate.partition import PARALLEL_MIN_TRIPLES, shape_groups

    store_path = mutated_store(
        seed_build, tmp_path, ";\n".join(update for update, *_ in MUTATIONS.values())
    )
    store = open_store(store_path)
    shapes = load_shapes(PROJECT_SHAPES)
    data = data_graph(
        *(load_graph(store, g) for g in (str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH), DOC_GRAPH))
    )
    assert len(data) >= PARALLEL_MIN_TRIPLES
    groups = shape_groups(data, shapes, 2)
    assert groups is not None and len(groups) == 2, "the seed is large enough to split"

    def results(jobs: int) -> list[tuple]:
        report = validate_store(store, shapes, check=False, jobs=jobs)
        return [(r.focus, r.shape, r.component, r.value, r.message) for r in report.results]

    one_run = results(1)
    assert {(focus, compact(shape)) for focus, shape, *_ in one_run} >= {
        (focus, shape) for _, focus, shape, _ in MUTATIONS.values()
    }
    assert results(2) == one_run


@pytest.mark.slow
def test_document_only_run_skips_reference_shapes_but_not_document_ones(
    seed_build: BuildResult, tmp_path: Path
) -> None:
    """Without the reference data, shapes that target only reference nodes are left out of
    the run; a violation in the document is still found, one in the reference data is not."""
    from kg.store import open_store
    from kg.validate import load_shapes, validate_store

    document_update, document_focus, *_ = MUTATIONS["answer-without-its-question"]
    reference_update, reference_focus, *_ = MUTATIONS["amount-without-currency"]
    store = open_store(
        mutated_store(seed_build, tmp_path, f"{document_update};\n{reference_update}")
    )
    shapes = load_shapes(PROJECT_SHAPES)
    for jobs in (1, 2):
        found = {
            r.focus
            for r in validate_store(
                store, shapes, include_reference=False, check=False, jobs=jobs
            ).results
        }
        assert document_focus in found
        assert reference_focus not in found
        everything = validate_store(store, shapes, check=False, jobs=jobs).results
        assert {document_focus, reference_focus} <= {r.focus for r in everything}


# -- the SPARQL engine against pySHACL, the reference -------------------------------------------


def _without_times(text: str) -> str:
    return re.sub(r'\d+\.\d+ s\b|"seconds": [0-9.]+', "T", text)


@pytest.mark.slow
@pytest.mark.parametrize("mutated", [False, True], ids=["seed", "every-mutation"])
def test_engines_give_the_same_report(
    mutated: bool, seed_build: BuildResult, tmp_path: Path
) -> None:
    """Result by result and in every format, on the seed and with every mutation at once."""
    from kg.store import open_store
    from kg.validate import load_shapes, render, validate_store

    path = seed_build.store
    if mutated:
        path = mutated_store(seed_build, tmp_path, ";\n".join(u for u, *_ in MUTATIONS.values()))
    store = open_store(path)
    shapes = load_shapes(PROJECT_SHAPES)
    for options in ({}, {"include_reference": False}, {"documents": ["2026D32673"]}):
        reports = [
            validate_store(store, shapes, check=False, engine=engine, **options)
            for engine in ("pyshacl", "sparql")
        ]
        assert reports[1].results == reports[0].results
        assert reports[0].results  # warnings at least
        for fmt, warnings in (("text", True), ("json", True), ("text", False)):
            texts = [_without_times(render(r, fmt, warnings)) for r in reports]
            assert texts[1] == texts[0]
        turtle = [Graph().parse(data=render(r, "turtle", True)) for r in reports]
        assert isomorphic(turtle[0], turtle[1])


@pytest.mark.slow
def test_kg_validate_engine_option(seed_build: BuildResult, capsys) -> None:
    assert main(["validate", "--store", str(seed_build.store), "--engine", "pyshacl"]) == 0
    assert main(["validate", "--store", str(seed_build.store), "--engine", "sparql"]) == 0
    assert main(["validate", "--store", str(seed_build.store), "--engine", "fast"]) == 2
    assert "invalid choice: 'fast'" in capsys.readouterr().err


@pytest.mark.slow
def test_the_sparql_engine_is_the_default(
    seed_build: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kg validate and the check of kg build run no pySHACL unless a shape needs it (the
    project's shapes need none)."""
    import kg.validate.runner as runner

    def no_pyshacl(*args, **kwargs):
        raise AssertionError("pySHACL ran")

    for name in ("_pyshacl_on_store", "collect_results", "collect_graph_results"):
        monkeypatch.setattr(runner, name, no_pyshacl)
    mutated = mutated_store(seed_build, tmp_path, MUTATIONS["commitment-by-no-minister"][0])
    assert main(["validate", "--store", str(mutated)]) == 1
    assert main(["validate", "--store", str(seed_build.store), "--warnings"]) == 0
    data = Path(__file__).parent.parent / "data"
    assert main(["build", "--data", str(data), "--store", str(tmp_path / "built"), "-q"]) == 0
    with pytest.raises(AssertionError, match="pySHACL ran"):  # the patch does catch a run
        runner.validate_graph(Graph(), Graph(), engine="pyshacl")


DISJOINT_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
<http://example.org/NumberNotTwice> a sh:NodeShape ;
    sh:targetClass aip:Question ;
    sh:property [ sh:path aip:number ; sh:disjoint aip:number ;
                  sh:message "test shape: a feature the SPARQL compiler does not know" ] .
"""


@pytest.mark.slow
def test_a_shape_the_compiler_does_not_know_is_left_to_pyshacl(
    seed_build: BuildResult, tmp_path: Path
) -> None:
    """sh:disjoint is not compiled: that shape runs in pySHACL, the others as SPARQL, and the
    report is the one pySHACL alone gives (never a silent pass)."""
    import shutil

    from kg.store import open_store
    from kg.validate import load_shapes, validate_store
    from kg.validate.compiler import compile_shapes

    folder = tmp_path / "shapes"
    shutil.copytree(Path(__file__).parent.parent / "shapes", folder)
    (folder / "extra.ttl").write_text(DISJOINT_SHAPE, encoding="utf-8")
    shapes = load_shapes(folder)
    compiled = compile_shapes(shapes)
    assert list(compiled.fallback) == [URIRef("http://example.org/NumberNotTwice")]
    assert "disjoint" in compiled.fallback[URIRef("http://example.org/NumberNotTwice")]
    store = open_store(seed_build.store)
    reports = [
        validate_store(store, shapes, check=False, engine=engine)
        for engine in ("pyshacl", "sparql")
    ]
    disjoint = [
        r for r in reports[1].results if r.component.endswith("DisjointConstraintComponent")
    ]
    assert len(disjoint) == 12  # one per question of the seed

    def named(result):  # an anonymous shape has a fresh blank node in every pySHACL report
        anonymous = not result.shape.startswith("http")
        return dataclasses.replace(result, shape="_:anonymous") if anonymous else result

    assert [named(r) for r in reports[1].results] == [named(r) for r in reports[0].results]
