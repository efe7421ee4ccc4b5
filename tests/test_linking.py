"""Label matching (one Aho-Corasick pass): what it finds, on small texts written for each rule."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg.extract.reference import Entity, LabelIndex

MYTHOS = URIRef("http://example.org/mythos")
NII = URIRef("http://example.org/nii")
TASKFORCE = URIRef("http://example.org/taskforce")
EU = URIRef("http://example.org/eu")


def index() -> LabelIndex:
    entities = {iri: Entity(iri, "other", None, None) for iri in (MYTHOS, NII, TASKFORCE, EU)}
    labels = {
        "Mythos": MYTHOS,
        "Mythos 5": MYTHOS,
        "NII": NII,
        "Nationale Investeringsinstelling": NII,
        "Ministeriële Taskforce": TASKFORCE,
        "EU": EU,
    }
    return LabelIndex(entities, labels)


def spans(text: str) -> list[tuple[str, str]]:
    return [(str(m.entity).rsplit("/", 1)[-1], text[m.start : m.end]) for m in index().find(text)]


def test_whitespace_runs_and_case_of_long_labels() -> None:
    text = "De ministeriële  Taskforce en de Nationale\nInvesteringsinstelling."
    assert spans(text) == [
        ("taskforce", "ministeriële  Taskforce"),
        ("nii", "Nationale\nInvesteringsinstelling"),
    ]


def test_short_labels_only_as_written_and_as_words() -> None:
    assert spans("nii NII NIIs XNII NII-fonds EU-programma's AI-EU") == [
        ("nii", "NII"),
        ("nii", "NII"),
        ("eu", "EU"),
    ]


def test_a_match_inside_a_longer_one_of_the_same_entity_is_dropped() -> None:
    assert spans("Mythos 5 en Mythos") == [("mythos", "Mythos 5"), ("mythos", "Mythos")]


def test_matches_grow_with_the_text_one_for_one() -> None:
    text = "De NII en Mythos 5. " * 5000
    assert len(index().find(text)) == 10000


def test_a_slice_is_searched_with_offsets_into_the_whole_text() -> None:
    text = "NII  en   Mythos 5"
    (match,) = index().find(text, 5)
    assert (match.start, match.end, text[match.start : match.end]) == (10, 18, "Mythos 5")


@pytest.mark.slow
def test_one_answer_naming_an_entity_many_thousand_times_links_in_one_pass() -> None:
    """The case that made linking quadratic (every match of an entity compared with every other
    in its section: a 1 MB answer took minutes): 20,000 namings of one entity in one answer
    of 350 kB link in about a second, each placed in that answer (pairwise: minutes)."""
    import time

    from kg.extract.mentions import link_mentions
    from kg.sources.model import CoverLetter, Document, Section, Span

    answer = "Mythos 5 en de NII steunen Mythos. " * 10_000
    text = f"Vraag 1\nWat doet Mythos?\n\nAntwoord 1\n{answer}\n"
    start = text.index("Antwoord 1\n") + len("Antwoord 1\n")
    document = Document(
        identifier="long",
        path="long.txt",
        text=text,
        sha256="-",
        form="aanhangsel-text",
        letter=CoverLetter(None, None, None, None, None, None, None, None),
        questions=[Section(1, "Wat doet Mythos?", Span(8, 24))],
        answers=[Section(1, answer, Span(start, start + len(answer)))],
    )
    started = time.process_time()
    mentions = link_mentions(document, index())
    elapsed = time.process_time() - started
    assert len(mentions) == 1 + 30_000
    assert {(m.section_kind, m.section_number) for m in mentions[1:]} == {("answer", 1)}
    assert elapsed < 30, f"{elapsed:.1f} s of CPU: linking is no longer one pass"
