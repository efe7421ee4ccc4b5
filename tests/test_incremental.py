"""Incremental builds: only changed documents are reprocessed, removed ones dropped, and the
result is the same dataset a full build gives."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.pipeline.build import build
from kg.rdf.namespaces import BUILD_GRAPH, document_graph
from kg.store.versions import open_store
from tests.support import PROJECT, copy_project, marked_project, seed_and_generated


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and 20 generated documents, built once, in a folder marked as a kg project: the
    manifest names sources relative to it, so a copy builds incrementally on its copied store."""
    root = marked_project(tmp_path_factory.mktemp("incremental") / "project")
    build(seed_and_generated(root, 20, seed=3), root / "store", PROJECT.ontology)
    return root


@pytest.fixture
def built_corpus(built_template: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the built corpus: its data folder and its store."""
    return copy_project(built_template, tmp_path)


def _dataset(store: Path) -> set[ox.Quad]:
    """Every quad except the build graph's (it records when the build ran)."""
    return {q for q in open_store(store) if q.graph_name != ox.NamedNode(str(BUILD_GRAPH))}


def _graphs(store: Path) -> set[str]:
    return {g.value for g in open_store(store).named_graphs()}


@pytest.mark.slow
def test_unchanged_corpus_reprocesses_nothing(built_corpus, tmp_path: Path) -> None:
    corpus, _ = built_corpus  # a store of its own: the first build, in worker processes, is full
    first = build(corpus, tmp_path / "store", PROJECT.ontology, jobs=2)
    assert first.full and len(first.documents) == 21
    before = _dataset(tmp_path / "store")
    second = build(corpus, tmp_path / "store", PROJECT.ontology)
    assert not second.full
    assert second.documents == [] and second.changed == [] and second.unchanged == 21
    assert _dataset(tmp_path / "store") == before
    assert second.triples == first.triples


@pytest.mark.slow
def test_changed_and_removed_documents(built_corpus, tmp_path: Path) -> None:
    corpus, store = built_corpus
    files = sorted((corpus / "sources").glob("2030D*.txt"))
    changed, removed = files[0], files[1]
    changed.write_text(changed.read_text().replace("Dit geldt", "Dit gold"), encoding="utf-8")
    removed.unlink()
    result = build(corpus, store, PROJECT.ontology)
    assert result.changed == [str(document_graph(changed.stem))]
    assert sorted(result.removed) == sorted(str(document_graph(f.stem)) for f in (changed, removed))
    assert result.unchanged == 19
    assert str(document_graph(removed.stem)) not in _graphs(store)
    # The same dataset as a full build of the same sources.
    full = build(corpus, tmp_path / "full", PROJECT.ontology, full=True)
    assert _dataset(store) == _dataset(tmp_path / "full")
    assert result.triples == full.triples == len(open_store(store))


@pytest.mark.slow
def test_reference_change_forces_a_full_build(built_corpus) -> None:
    corpus, store = built_corpus
    people = corpus / "reference" / "people.ttl"
    people.write_text(people.read_text() + "\n# edited\n", encoding="utf-8")
    result = build(corpus, store, PROJECT.ontology)
    assert result.full and len(result.documents) == 21


@pytest.mark.slow  # builds a generated corpus (3 s)
def test_duplicate_identifier_in_a_changed_document(built_corpus) -> None:
    from kg.errors import SourceError

    corpus, store = built_corpus
    before = store.resolve()
    files = sorted((corpus / "sources").glob("2030D*.txt"))
    text = files[0].read_text().replace(files[0].stem, files[1].stem)
    files[0].write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        build(corpus, store, PROJECT.ontology)
    assert f"document {files[1].stem} is also in" in err.value.detail
    assert store.resolve() == before  # the failed incremental build left the store as it was


@pytest.mark.slow
def test_failed_incremental_build_leaves_the_store(built_corpus) -> None:
    corpus, store = built_corpus
    before, quads = store.resolve(), _dataset(store)
    bad = sorted((corpus / "sources").glob("2030D*.txt"))[2]
    bad.write_text(bad.read_text().replace("[footnoteRef:1]", ""), encoding="utf-8")
    from kg.errors import SourceError

    with pytest.raises(SourceError, match="has no marker"):
        build(corpus, store, PROJECT.ontology)
    assert store.resolve() == before and _dataset(store) == quads
    assert [p.name for p in store.with_name("store.d").iterdir()] == [before.name]
