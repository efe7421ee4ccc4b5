"""Passages as a person reads them: the paragraph a name stands in (wrapped PDF lines joined, a
line of a letter a paragraph of its own), within its question or answer, cut to the sentence
when the paragraph is long; and the network's co-mentions counted per paragraph, not per line."""

from __future__ import annotations

import shutil

import pytest

from kg.analysis import load_networks
from kg.analysis.paragraphs import ends_sentence, paragraph, passage_bounds
from kg.pipeline.build import build
from kg.rdf.namespaces import ID
from kg.server.resource_page import entity_passages
from kg.store import open_store
from tests.support import PROJECT, marked_project

FIXTURES = PROJECT.root / "tests" / "fixtures" / "sources"
PDF_TEXT = FIXTURES / "ah-tk-20232024-412.pdf.txt"


def test_a_line_ends_a_paragraph_only_when_it_ends_a_sentence() -> None:
    assert ends_sentence("informeren over de voortgang van het Algoritmeregister.")
    assert ends_sentence("en Toezicht.5") and ends_sentence("aan wie?”")
    assert not ends_sentence(
        "De Autoriteit Persoonsgegevens (AP) is sinds 2023 coördinerend toezichthouder op"
    )
    assert not ends_sentence("Antwoord 2")


def test_wrapped_pdf_lines_are_one_paragraph() -> None:
    text = PDF_TEXT.read_text(encoding="utf-8")
    at = text.index("Algoritmeregister verder")
    start, end = paragraph(text, at, at + 17)
    assert text[start:end].startswith("Antwoord 2\nHet kabinet herkent het beeld")
    assert text[start:end].endswith("verder gevuld, zodat")  # the page ends there


def test_a_line_of_a_letter_is_a_paragraph_of_its_own() -> None:
    text = (PROJECT.data / "sources" / "2026D32673.txt").read_text(encoding="utf-8")
    at = text.index("In het algemeen wenst")
    start, end = paragraph(text, at, at + 5)
    assert start == at and "\n" not in text[start:end].strip()
    assert text[start - 2 : start] != "\n\n"  # only a line break before: still its own


def test_a_long_paragraph_is_cut_to_the_sentence() -> None:
    text = (
        "Eerste zin over iets anders. " * 30 + "Hier staat NADI in een zin. " + "Nog een zin. " * 30
    )
    at = text.index("NADI")
    start, end = passage_bounds(text, at, at + 4)
    assert text[start:end] == "Hier staat NADI in een zin."


def _row(window: str, start: int, section: tuple[int, int] | None) -> dict:
    literal = {"type": "literal"}
    row = {
        "mention": {"type": "uri", "value": "https://w3id.org/ai-beleid/id/document/d/mention/1"},
        "document": {"type": "uri", "value": "https://w3id.org/ai-beleid/id/document/d"},
        "start": {**literal, "value": str(start)},
        "end": {**literal, "value": str(start + 4)},
        "from": {**literal, "value": "0"},
        "window": {**literal, "value": window},
    }
    if section:
        row["sectionStart"] = {**literal, "value": str(section[0])}
        row["sectionEnd"] = {**literal, "value": str(section[1])}
    return row


def test_an_entity_passage_stays_within_its_answer() -> None:
    question = "Wat gaat u doen met het agentschap dat\nnog niet bestaat en"
    answer = "Antwoord 3\nHet NADI wordt\nopgericht in 2027 en krijgt\neen wettelijke taak."
    window = question + "\n" + answer
    at = window.index("NADI")
    [whole] = entity_passages([_row(window, at, None)])
    assert "agentschap" in whole["before"]  # without the answer's bounds: across both
    [bounded] = entity_passages([_row(window, at, (len(question) + 1, len(window)))])
    assert "agentschap" not in bounded["before"] and bounded["span"] == "NADI"
    assert bounded["after"].startswith(" wordt\nopgericht in 2027")
    assert bounded["after"].rstrip("…").endswith("een wettelijke taak.")


@pytest.fixture(scope="module")
def pdf_network(tmp_path_factory: pytest.TempPathFactory):
    root = marked_project(tmp_path_factory.mktemp("pdf-network") / "project")
    shutil.copytree(PROJECT.data / "reference", root / "data" / "reference")
    (root / "data" / "sources").mkdir()
    shutil.copy(PDF_TEXT, root / "data" / "sources" / PDF_TEXT.name)
    build(root / "data", root / "store", PROJECT.ontology)
    return load_networks(open_store(root / "store"))


def test_names_in_one_wrapped_paragraph_of_pdf_text_are_linked(pdf_network) -> None:
    # 'De Autoriteit Persoonsgegevens (AP) is sinds 2023 coördinerend toezichthouder op /
    # algoritmes en AI. De AI-verordening (...) wijst': two lines, one paragraph.
    ap, act = str(ID["organisation/autoriteit-persoonsgegevens"]), str(ID["eu/ai-verordening"])
    graph = pdf_network.entity_network
    assert graph.has_edge(ap, act), sorted(graph.edges)[:20]
    assert "named in the same paragraph" in graph[ap][act]["relation"]


def test_the_pdf_text_gives_edges_at_all(pdf_network) -> None:
    named = [d for _, _, d in pdf_network.entity_network.edges(data=True)
             if "named in the same paragraph" in d["relation"]]  # fmt: skip
    assert len(named) >= 3
