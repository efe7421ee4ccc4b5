"""The letter parser on the seed and on small documents written to show one feature each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.sources.parsers import parse_file, parse_text
from kg.sources.text import normalise
from tests.support import SEED_PATH

SOURCES = sorted((Path(__file__).parent.parent / "data" / "sources").glob("*.txt"))

MINIMAL = """stray line]
Geachte Voorzitter,

Hierbij zend ik u de beantwoording van de vragen die het lid Jansen (D66) heeft gesteld tijdens het Commissiedebat Digitale Zaken van 3 maart jl.

A. Minister
Minister van Binnenlandse Zaken

2025D01234

1
Eerste vraag?[footnoteRef:1] [1:  Kamerstukken II 2024/2025, 26643, nr. 1000]

Antwoord
Eerste antwoord. Zie het antwoord op vraag 2.

2
Tweede vraag?

Tweede antwoord zonder kop.
""".replace("Antwoord\n", "Antwoord   \n")  # a heading with trailing spaces, as in the seed


def test_the_glob_found_sources() -> None:
    assert SOURCES, "no source documents in data/sources"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_source_parses_with_matching_questions_and_answers(path: Path) -> None:
    document = parse_file(path)
    assert document.questions, f"{path}: no questions"
    assert [q.number for q in document.questions] == [a.number for a in document.answers]
    for section in document.questions + document.answers:
        assert section.text.strip()
        assert "[footnoteRef:" not in section.text


def test_seed_counts() -> None:
    document = parse_file(SEED_PATH)
    assert document.identifier == "2026D32673"
    assert len(document.questions) == 12
    assert len(document.answers) == 12
    assert [f.number for f in document.footnotes] == [1, 2, 3, 4, 5, 6, 7]
    assert [(r.source_number, r.target_number) for r in document.cross_references] == [
        (1, 2),
        (1, 9),
        (4, 1),
        (11, 3),
    ]


def test_seed_cover_letter() -> None:
    letter = parse_file(SEED_PATH).letter
    assert letter.sender_name == "W.J.M. Aerdts"
    assert letter.sender_post == "Staatssecretaris van Economische Zaken en Klimaat"
    assert letter.on_behalf_of == "Minister van Economische Zaken en Klimaat"
    assert (letter.member, letter.party) == ("Dassen", "VOLT")
    assert letter.meeting == "Commissiedebat Innovatie"
    assert letter.meeting_date == date(2026, 6, 25)
    assert letter.addressee == "Voorzitter"


def test_answer_without_heading_starts_after_the_question_paragraph() -> None:
    document = parse_file(SEED_PATH)
    assert document.questions[1].text.startswith("Hoe duidt u de waarschuwing van de Five Eyes")
    assert document.questions[1].text.endswith("cyberrisico’s?")
    assert document.answers[1].text.startswith("Zoals het NCSC actief uitdraagt")


def test_footnote_inside_a_question_is_attached_to_it() -> None:
    document = parse_file(SEED_PATH)
    footnote = document.footnotes[2]
    assert footnote.urls == (
        "https://www.ncsc.gov.uk/news/the-ai-shift-in-cyber-risk-why-leaders-must-act-now",
    )
    assert document.section_at(footnote.marker.start) == ("question", 2)
    assert "ncsc.gov.uk" not in document.questions[1].text


def test_two_footnote_bodies_on_one_line_are_both_read() -> None:
    document = parse_file(SEED_PATH)
    assert document.footnotes[0].text.endswith("Fable 5 and Mythos 5 \\ Anthropic")
    assert document.footnotes[1].text == (
        "Trump administration partially lifts Anthropic’s AI export ban - POLITICO"
    )
    assert "POLITICO" not in document.answers[0].text


def test_spans_point_at_the_text() -> None:
    document = parse_file(SEED_PATH)
    for section in document.questions + document.answers:
        raw = document.text[section.span.start : section.span.end]
        assert raw == raw.strip()
        assert raw.split()[0] in section.text.split()[0]
    answer_11 = document.answers[10]
    assert document.text[answer_11.span.start : answer_11.span.end] == (
        "Zie de beantwoording van vraag 3."
    )


def test_minimal_letter_with_trailing_space_heading_and_missing_heading() -> None:
    document = parse_text(Path("minimal.txt"), normalise(MINIMAL))
    assert document.identifier == "2025D01234"
    assert [q.text for q in document.questions] == ["Eerste vraag?", "Tweede vraag?"]
    assert [a.text for a in document.answers] == [
        "Eerste antwoord. Zie het antwoord op vraag 2.",
        "Tweede antwoord zonder kop.",
    ]
    assert document.letter.member == "Jansen"
    assert document.letter.meeting_date == date(2025, 3, 3)
    assert document.letter.sender_post == "Minister van Binnenlandse Zaken"
    assert [(r.source_number, r.target_number) for r in document.cross_references] == [(1, 2)]


def test_normalise_keeps_everything_but_line_ends_bom_and_composition() -> None:
    assert normalise("\ufeffa\r\nb\rc e\u0301\u00a0") == "a\nb\nc é\u00a0"
