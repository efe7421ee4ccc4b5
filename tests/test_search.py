"""The search index a build writes beside the store, and looking things up in it: by label,
other names, abbreviation and words of the text, tolerant of case, accents and small typos,
ranked; an incremental build writes the index a full build writes."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from kg.pipeline.build import build
from kg.pipeline.search import SearchError, SearchIndex, normalise, snippet
from kg.pipeline.search_index import SEARCH_INDEX, read_index
from kg.rdf.namespaces import document_graph
from tests.support import PROJECT, copy_project, marked_project, seed_and_generated

ID = "https://w3id.org/ai-beleid/id/"


@pytest.fixture(scope="module")
def index(seed_build) -> SearchIndex:
    return SearchIndex.from_index(read_index(seed_build.store))


def first(index: SearchIndex, query: str, **options) -> str:
    hits = index.search(query, **options)
    assert hits, f"nothing found for {query!r}"
    return hits[0].entry["iri"]


def test_normalise_ignores_case_accents_and_punctuation() -> None:
    assert normalise("AI-Verordening") == "ai verordening"
    assert normalise("Artificiële  Intelligentie!") == "artificiele intelligentie"
    assert normalise("’s-Gravenhage") == "s gravenhage"
    assert normalise(" -- ") == ""


def test_the_index_is_written_with_the_store_version(seed_build) -> None:
    version = Path(os.path.realpath(seed_build.store))
    with gzip.open(version / SEARCH_INDEX) as handle:
        written = json.load(handle)
    assert written["format"] == 1
    kinds = {e["kind"] for e in written["entities"]}
    assert {"instrument", "eu", "organisation", "person", "post"} <= kinds
    seed = written["documents"][str(document_graph("2026D32673"))]
    assert sorted({e["kind"] for e in seed}) == ["answer", "commitment", "document", "question"]
    assert sum(e["kind"] == "question" for e in seed) == 12


def test_a_prefix_finds_the_algoritmeregister(index: SearchIndex) -> None:
    assert first(index, "algoritmereg") == ID + "instrument/algoritmeregister"
    hit = index.search("algoritmereg")[0]
    assert hit.matched == "Algoritmeregister" and hit.field == "alt"


def test_another_name_finds_the_ai_act(index: SearchIndex) -> None:
    hits = index.search("AI Act")
    assert hits[0].entry["iri"] == ID + "eu/ai-verordening"
    assert hits[0].score == 97 and hits[0].matched == "AI Act"
    assert index.label(hits[0].entry, "nl") == "AI-verordening"
    assert index.label(hits[0].entry, "en") == "Artificial Intelligence Act"


def test_case_accents_and_typos_do_not_matter(index: SearchIndex) -> None:
    assert first(index, "ai VERORDENING") == ID + "eu/ai-verordening"
    assert index.search("ai VERORDENING")[0].score == 100  # the label itself
    assert first(index, "Algoritmeregistr") == ID + "instrument/algoritmeregister"  # a typo
    assert first(index, "nationaal agentschap voor disruptive innovatie") == ID + "instrument/nadi"


def test_an_exact_label_ranks_above_names_that_contain_it(index: SearchIndex) -> None:
    iris = [h.entry["iri"] for h in index.search("AI-verordening", limit=5)]
    assert iris[0] == ID + "eu/ai-verordening"
    assert ID + "eu/ai-act-voorstel" in iris[1:]  # 'Voorstel voor een AI-verordening (2021)'


def test_words_of_the_text_find_answers_with_a_snippet(index: SearchIndex) -> None:
    hits = index.search("revolverendheidsdoelstelling")
    assert [h.entry["iri"] for h in hits] == [ID + "document/2026D32673/answer/9"]
    quoted = snippet(hits[0].entry["text"], hits[0].matched)
    assert quoted["match"] == "revolverendheidsdoelstelling"
    assert quoted["before"].endswith("een volledige ") and len(quoted["after"]) < 200
    typo = index.search("revolverendheidsdoelstellig")  # one letter less
    assert typo and typo[0].entry["iri"] == ID + "document/2026D32673/answer/9"


def test_every_word_must_be_found(index: SearchIndex) -> None:
    both = {h.entry["iri"] for h in index.search("mythos dreiging", limit=50)}
    assert both == {ID + "document/2026D32673/answer/2"}
    assert index.search("mythos zzzqqq") == []


def test_the_identifier_finds_the_document_first(index: SearchIndex) -> None:
    assert first(index, "2026D32673") == ID + "document/2026D32673"


def test_kinds_filter_the_results(index: SearchIndex) -> None:
    people = index.search("Dassen", kinds=("person",))
    assert [h.entry["iri"] for h in people] == [ID + "person/dassen"]
    answers = index.search("NADI", kinds=("answer", "question"))
    assert answers and {h.entry["kind"] for h in answers} <= {"answer", "question"}


def test_bad_queries_get_a_clear_error(index: SearchIndex) -> None:
    with pytest.raises(SearchError, match="longer than 200 characters"):
        index.search("x" * 201)
    with pytest.raises(
        SearchError, match="unknown kind 'instruments'; known kinds: instrument, eu"
    ):
        index.search("NADI", kinds=("instruments",))
    with pytest.raises(SearchError, match="limit must be between 1 and 100"):
        index.search("NADI", limit=0)
    assert index.search("  ?! ") == []


@pytest.fixture(scope="module")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = marked_project(tmp_path_factory.mktemp("search-incremental") / "project")
    build(seed_and_generated(root, 6, seed=11), root / "store", PROJECT.ontology)
    return root


@pytest.mark.slow
def test_an_incremental_build_writes_the_index_a_full_build_writes(
    corpus_template: Path, tmp_path: Path
) -> None:
    data, store = copy_project(corpus_template, tmp_path)
    generated = sorted((data / "sources").glob("2030D*.txt"))
    changed, removed = generated[0], generated[1]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Dit geldt", "Zwaluwstaartvlinder geldt"),
        encoding="utf-8",
    )
    removed.unlink()
    result = build(data, store, PROJECT.ontology)
    assert not result.full and result.unchanged == 5
    incremental = read_index(store)
    full_store = tmp_path / "full"
    build(data, full_store, PROJECT.ontology, full=True)
    assert incremental == read_index(full_store)
    assert str(document_graph(removed.stem)) not in incremental["documents"]
    found = SearchIndex.from_index(incremental).search("zwaluwstaartvlinder")
    assert found and all(h.entry["iri"].startswith(f"{ID}document/{changed.stem}/") for h in found)


@pytest.mark.slow
def test_a_build_from_an_older_store_without_an_index_reads_everything(
    corpus_template: Path, tmp_path: Path
) -> None:
    data, store = copy_project(corpus_template, tmp_path)
    (Path(os.path.realpath(store)) / SEARCH_INDEX).unlink()
    generated = sorted((data / "sources").glob("2030D*.txt"))
    generated[0].unlink()
    result = build(data, store, PROJECT.ontology)
    assert not result.full
    rebuilt = read_index(store)
    build(data, tmp_path / "full", PROJECT.ontology, full=True)
    assert rebuilt == read_index(tmp_path / "full")
