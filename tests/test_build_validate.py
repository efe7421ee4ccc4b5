"""kg build checks what it wrote against the SHACL shapes before the new store becomes current,
and the meta-SHACL check of the shapes is remembered per shapes change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.cli import main
from kg.errors import ShapesError
from kg.pipeline.build import build
from kg.rdf.namespaces import document_graph
from kg.synthetic.generate import document_id
from kg.validate import check_shapes_once, load_shapes, shapes_digest
from tests.support import PROJECT, seed_and_generated, solutions

EXTRA_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
<http://example.org/QuestionNeedsTopic> a sh:NodeShape ;
    sh:targetClass aip:Question ;
    sh:property [ sh:path <http://example.org/topic> ; sh:minCount 1 ;
                  sh:message "test shape: every question needs an ex:topic" ] .
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seed plus one generated document."""
    return seed_and_generated(tmp_path, 1, seed=5)


@pytest.fixture
def strict_shapes(tmp_path: Path) -> Path:
    """The project's shapes plus one that every question violates."""
    folder = tmp_path / "shapes"
    shutil.copytree(PROJECT.shapes, folder)
    (folder / "extra.ttl").write_text(EXTRA_SHAPE, encoding="utf-8")
    return folder


def _change(corpus: Path) -> Path:
    path = corpus / "sources" / f"{document_id(0)}.txt"
    text = path.read_text(encoding="utf-8")
    assert "Dit geldt" in text
    path.write_text(text.replace("Dit geldt", "Dit gold", 1), encoding="utf-8")
    return path


def _change_again(corpus: Path) -> Path:
    path = corpus / "sources" / f"{document_id(0)}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Dit gold", "Dit gold nog", 1), encoding="utf-8")
    return path


def _texts(store: Path) -> str:
    from kg.store.versions import open_store

    found = solutions(
        open_store(store).query(
            "SELECT ?t WHERE { GRAPH ?g { ?x <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?t } }"
        )
    )
    return "\n".join(row[0].value for row in found)


@pytest.mark.slow
def test_build_validates_only_the_changed_graphs(corpus: Path, tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def record(named):
        seen.append(sorted(str(name) for name, _ in named if "/document/" in str(name)))
        return []

    store = tmp_path / "store"
    build(corpus, store, PROJECT.ontology, checks=[record], shapes_dir=PROJECT.shapes)
    assert len(seen[-1]) == 2
    changed = _change(corpus)
    build(corpus, store, PROJECT.ontology, checks=[record], shapes_dir=PROJECT.shapes)
    assert seen[-1] == [str(document_graph(changed.stem))]


@pytest.mark.slow
def test_a_shapes_change_validates_every_graph_and_keeps_the_store_on_violations(
    corpus: Path, strict_shapes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["build", "--data", str(corpus), "--store", str(store)]) == 0
    assert "Validated the 2 changed document graph(s): no violations." in capsys.readouterr().out
    _change(corpus)
    args = ["build", "--data", str(corpus), "--store", str(store), "--shapes", str(strict_shapes)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert "violation(s) of " in captured.err and "the previous one stays" in captured.err
    # the findings as kg validate reports them, on standard output
    assert "test shape: every question needs an ex:topic" in captured.out
    assert captured.out.splitlines()[-1].startswith("does not conform: ")
    # new shapes: the unchanged seed is validated again too, not only the changed document
    assert "2026D32673/question/" in captured.out
    # the failed build left the previous store current
    assert "Dit gold" not in _texts(store)
    assert main([*args, "--no-validate", "-q"]) == 0
    assert "Dit gold" in _texts(store)


@pytest.mark.slow
def test_a_build_after_an_unvalidated_one_validates_everything(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["build", "--data", str(corpus), "--store", str(store), "--no-validate"]) == 0
    assert "Validated" not in capsys.readouterr().out
    _change(corpus)
    assert main(["build", "--data", str(corpus), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "Incremental" not in out  # the graphs built unvalidated are validated now
    assert "Validated the 2 changed document graph(s): no violations." in out
    _change_again(corpus)
    assert main(["build", "--data", str(corpus), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "Incremental: 1 document(s) reprocessed" in out
    assert "Validated the 1 changed document graph(s): no violations." in out
    assert "Dit gold nog" in _texts(store)


def test_meta_shacl_runs_once_per_shapes_change(tmp_path: Path) -> None:
    # One small shapes file: the cache is under test here, not the project's shapes (which
    # test_shapes checks against meta-SHACL).
    shapes_dir, cache = tmp_path / "shapes", tmp_path / "cache"
    shapes_dir.mkdir()
    (shapes_dir / "extra.ttl").write_text(EXTRA_SHAPE, encoding="utf-8")
    assert check_shapes_once(shapes_dir, load_shapes(shapes_dir), cache) is True
    assert (cache / shapes_digest(shapes_dir)).is_file()
    assert check_shapes_once(shapes_dir, load_shapes(shapes_dir), cache) is False
    # a changed shapes file is checked again: the cache cannot hide a broken shape
    (shapes_dir / "bad.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://ex/S> a sh:NodeShape ; sh:targetClass <http://ex/C> ;\n"
        '  sh:property [ sh:path <http://ex/p> ; sh:minCount "one" ] .\n'
    )
    with pytest.raises(ShapesError, match='sh:minCount = "one"'):
        check_shapes_once(shapes_dir, load_shapes(shapes_dir), cache)
    assert len(list(cache.iterdir())) == 1  # a failed check is not remembered


@pytest.mark.slow
def test_kg_validate_rechecks_a_changed_shapes_folder(
    seed_build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shapes_dir = tmp_path / "shapes"
    shutil.copytree(PROJECT.shapes, shapes_dir)
    store = str(seed_build.store)
    assert main(["validate", "--store", store, "--shapes", str(shapes_dir)]) == 0
    assert main(["validate", "--store", store, "--shapes", str(shapes_dir)]) == 0
    second = capsys.readouterr().out.splitlines()[-1]
    assert "meta-SHACL" not in second  # unchanged shapes: the check is not repeated
    text = (shapes_dir / "violations.ttl").read_text(encoding="utf-8")
    broken = text.replace("sh:minCount 1 ;", 'sh:minCount "one" ;', 1)
    assert broken != text
    (shapes_dir / "violations.ttl").write_text(broken, encoding="utf-8")
    assert main(["validate", "--store", store, "--shapes", str(shapes_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "shapes are not valid SHACL" in err


# -- the SPARQL engine against pySHACL on a generated corpus ------------------------------------


def _damaged_copy(store_path: Path, into: Path, every: int) -> Path:
    """A copy of the store where, of the quads about a node of the document itself, one in
    ``every`` is dropped, one has its object turned into a plain string and one gets a second
    object beside it: missing, mistyped and repeated values of every kind, the same on every
    run. Nodes that several document graphs describe alike (stance rules, posts, the debate)
    are left whole: there pySHACL, run on each document graph alone, sees one copy of the
    description where the SPARQL engine sees the union, so damage to one copy is reported by
    pySHACL only."""
    import gc

    import pyoxigraph as ox

    from kg.store import open_store

    quads = []
    for i, quad in enumerate(sorted(open_store(store_path).quads(), key=str)):
        turn = i % every if "/id/document/" in str(quad.subject) else -1
        if turn == 0:
            continue
        if turn in (1, 2):
            text = ox.Literal(getattr(quad.object, "value", str(quad.object)))
            quads.append(ox.Quad(quad.subject, quad.predicate, text, quad.graph_name))
        if turn != 1:
            quads.append(quad)
    copy = ox.Store(str(into))
    copy.bulk_extend(quads)
    copy.flush()
    del copy
    gc.collect()
    return into


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and 2 generated documents (kg bench generate), built without validation."""
    folder = tmp_path_factory.mktemp("generated")
    data = seed_and_generated(folder, 2, seed=11)
    assert (
        main(
            ["build", "--data", str(data), "--store", str(folder / "store"), "-q", "--no-validate"]
        )
        == 0
    )
    return folder / "store"


@pytest.mark.slow
@pytest.mark.parametrize("every", [0, 7], ids=["as-built", "damaged"])
def test_engines_agree_on_a_generated_corpus(
    generated_store: Path, tmp_path: Path, every: int
) -> None:
    from kg.store import open_store
    from kg.validate import validate_store

    path = _damaged_copy(generated_store, tmp_path / "store", every) if every else generated_store
    store = open_store(path)
    shapes = load_shapes(PROJECT.shapes)
    reference, compiled = (
        validate_store(store, shapes, check=False, engine=engine).results
        for engine in ("pyshacl", "sparql")
    )
    assert compiled == reference
    if every:
        assert sum(r.severity == "Violation" for r in reference) > 100
        assert len({r.component for r in reference}) >= 8


@pytest.mark.slow
def test_build_check_engines_agree_on_damaged_graphs(generated_store: Path, tmp_path: Path) -> None:
    """What kg build checks (graphs in memory, only the changed documents)."""
    from kg.rdf.namespaces import MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.store import open_store
    from kg.validate import GraphSet, document_graph_names, load_graph, validate_named_graphs

    store = open_store(_damaged_copy(generated_store, tmp_path / "store", 11))
    documents = [(name, load_graph(store, name)) for name in document_graph_names(store)[:5]]
    ontology, reference, minted = (
        load_graph(store, str(g)) for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, MINTED_GRAPH)
    )
    shapes = load_shapes(PROJECT.shapes)
    graphs = GraphSet(ontology, reference, documents, minted)
    results = [validate_named_graphs(graphs, shapes, engine)[0] for engine in ("pyshacl", "sparql")]
    assert results[1] == results[0]
    assert any(r.severity == "Violation" for r in results[0])


XONE_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
<http://example.org/QuestionOrQuestion> a sh:NodeShape ;
    sh:targetClass aip:Question ;
    sh:xone ( [ sh:class aip:Question ] [ sh:nodeKind sh:IRI ] ) ;
    sh:message "test shape: sh:xone, which the SPARQL compiler leaves to pySHACL" .
"""


@pytest.mark.slow
def test_build_check_leaves_a_shape_it_cannot_compile_to_pyshacl(
    generated_store: Path, tmp_path: Path
) -> None:
    """sh:xone in what the build's check validates (graphs of the new store version): that
    shape runs in pySHACL beside the compiled ones, and every question is reported as pySHACL
    alone reports it (never a silent pass)."""
    from kg.rdf.namespaces import MINTED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from kg.store import open_store
    from kg.validate import GraphSet, document_graph_names, load_graph, validate_named_graphs
    from kg.validate.compiler import compile_shapes

    folder = tmp_path / "shapes"
    shutil.copytree(PROJECT.shapes, folder)
    (folder / "extra.ttl").write_text(XONE_SHAPE, encoding="utf-8")
    shapes = load_shapes(folder)
    assert (
        "xone" in compile_shapes(shapes).fallback[URIRef("http://example.org/QuestionOrQuestion")]
    )
    store = open_store(generated_store)
    documents = [(name, load_graph(store, name)) for name in document_graph_names(store)[:2]]
    ontology, reference, minted = (
        load_graph(store, str(g)) for g in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, MINTED_GRAPH)
    )
    graphs = GraphSet(ontology, reference, documents, minted)
    results = [validate_named_graphs(graphs, shapes, engine)[0] for engine in ("pyshacl", "sparql")]
    assert results[1] == results[0]
    xone = [r for r in results[1] if r.component.endswith("XoneConstraintComponent")]
    graphs_values = " ".join(f"<{name}>" for name, _ in documents)
    questions = store.query(
        "SELECT DISTINCT ?q WHERE { GRAPH ?g { ?q a <https://w3id.org/ai-beleid/def/aip#Question> }"
        f" VALUES ?g {{ {graphs_values} }} }}"
    )
    asked = {row[0].value for row in questions}
    assert len(asked) > 12  # the seed's twelve and a generated document's
    assert sorted(r.focus for r in xone) == sorted(asked)
