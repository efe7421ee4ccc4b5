"""Incremental builds: only changed documents are reprocessed, removed ones dropped, and the
result is the same dataset a full build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.pipeline.build import build
from kg.rdf.namespaces import BUILD_GRAPH, document_graph
from kg.store.versions import open_store
from tests.support import PROJECT, SEED_PATH, copy_project, marked_project, seed_and_generated


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


# One source of every form kg reads, a PDF with the metadata file it is read with among them.
FORMS: tuple[str, ...] = (
    "ah-tk-20232024-877.xml",
    "ah-tk-20242025-1650.html",
    "ah-tk-20242025-1502.md",
)
FORMS += ("ah-tk-20232024-412.pdf.txt", "ah-tk-19921993-523.ocr.txt")
PDF_LINES = [
    "Aanhangsel van de Handelingen",
    "Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over",
    "rekenkracht voor AI (ingezonden 6 januari 2025).",
    "Antwoord van Minister Beljaarts (Economische Zaken) (ontvangen 3 februari 2025).",
    "Vraag 1",
    "Hoeveel rekenkracht heeft de AI-fabriek in Groningen?",
    "Antwoord 1",
    "Dat wordt dit jaar bepaald.",
]
DOCX_PARAGRAPHS: list[str | tuple[str, str]] = [
    "AH 610",
    "2024Z15078",
    "Antwoord van minister Hermans (Klimaat en Groene Groei) (ontvangen 19 november 2024)",
    ("numbered", "Welke mogelijkheden bestaan er om de injectie te stoppen?"),
    "Antwoord",
    "SodM houdt toezicht.",
]
METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<metadata_gegevens>
<metadata name="DC.identifier" scheme="OVERHEIDop.ParlID" content="ah-tk-20242025-1300" />
<metadata name="DCTERMS.issued" scheme="DCTERMS.W3CDTF" content="{issued}" />
</metadata_gegevens>
"""


def _every_form(data: Path) -> Path:
    """A data folder outside any project holding a source of every form."""
    from tests.support.docx import docx_document
    from tests.support.pdf import flow, pdf_document

    sources = data / "sources"
    shutil.copytree(PROJECT.data / "reference", data / "reference")
    sources.mkdir()
    shutil.copy(SEED_PATH, sources)
    for name in FORMS:
        shutil.copy(PROJECT.root / "tests" / "fixtures" / "sources" / name, sources)
    pdf = pdf_document([flow(800, [[text] for text in PDF_LINES], leading=14)])
    (sources / "ah-tk-20242025-1300.pdf").write_bytes(pdf)
    (sources / "ah-tk-20242025-1300.pdf.metadata.xml").write_text(
        METADATA.format(issued="2025-02-04"), encoding="utf-8"
    )
    (sources / "ah-tk-20242025-610.docx").write_bytes(docx_document(DOCX_PARAGRAPHS))
    return data


def test_two_builds_in_a_row_reprocess_no_source_of_any_form(tmp_path: Path) -> None:
    data = _every_form(tmp_path / "data")
    first = build(data, tmp_path / "store", PROJECT.ontology)
    assert len(first.documents) == 8
    again = build(data, tmp_path / "store", PROJECT.ontology)
    assert (again.documents, again.changed, again.removed) == ([], [], [])
    # outside any project: a copy of the data folder elsewhere is the same sources
    moved = tmp_path / "elsewhere" / "data"
    shutil.copytree(data, moved)
    assert build(moved, tmp_path / "store", PROJECT.ontology).documents == []
    # the metadata a source is read with is part of it
    sidecar = moved / "sources" / "ah-tk-20242025-1300.pdf.metadata.xml"
    sidecar.write_text(METADATA.format(issued="2025-02-05"), encoding="utf-8")
    changed = build(moved, tmp_path / "store", PROJECT.ontology)
    assert changed.changed == [str(document_graph("ah-tk-20242025-1300"))]


def test_a_cited_document_added_and_removed_gives_the_minted_graph_of_a_full_build(
    tmp_path: Path,
) -> None:
    """The letters of tests/fixtures/corpus cite the seed: without it, the minted graph
    describes the seed's IRI from their claims; once it is a source it owns that IRI. The
    minted graph is updated for what changed (kg.pipeline.minted_update), never rebuilt from
    every claim, and must still be what a full build makes."""
    from tests.golden.corpus import UNSEEN_LETTERS, corpus_project

    data = corpus_project(tmp_path / "project", UNSEEN_LETTERS)
    store = tmp_path / "project" / "store"
    build(data, store, PROJECT.ontology)
    seed = data / "sources" / SEED_PATH.name
    minted = ox.NamedNode("https://w3id.org/ai-beleid/graph/minted")
    before = {q for q in open_store(store) if q.graph_name == minted}
    assert any("2026D32673" in q.subject.value for q in before)
    for step in ("add", "remove"):
        if step == "add":
            shutil.copy(SEED_PATH, seed)
        else:
            seed.unlink()
        result = build(data, store, PROJECT.ontology)
        assert not result.full
        full = build(data, tmp_path / f"full-{step}", PROJECT.ontology, full=True)
        assert _dataset(store) == _dataset(tmp_path / f"full-{step}")
        assert result.triples == full.triples
    assert {q for q in open_store(store) if q.graph_name == minted} == before
