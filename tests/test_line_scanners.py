"""The parsers' line scanners on a few lines each, without a whole document: page furniture and
headings (kg/sources/parsers/aanhangsel_layout.py), footnote zones and markers
(aanhangsel_footnotes.py), a section's cleaned text, how a footnote's number is written
(footnote_marks.py), typed footnote bodies, the ministry's heading lines, numbering and the
identifier and case lines. Whole documents of every form are in tests/test_aanhangsel.py and
tests/test_kamervragen_forms.py."""

from __future__ import annotations

import re

import pytest

from kg.sources.model import ParseNote, Span
from kg.sources.parsers import ministry
from kg.sources.parsers.aanhangsel_footnotes import body_text, find_layout, starts_body
from kg.sources.parsers.aanhangsel_header import identifier_in_file_name, zaak_in
from kg.sources.parsers.aanhangsel_layout import clean, scan_lines, strip_markdown
from kg.sources.parsers.cross_references import numbers_in
from kg.sources.parsers.footnote_marks import (
    BODY_NUMBER,
    body_number,
    marker_pattern,
    superscript,
)
from kg.sources.parsers.numbering import answer_numbers, question_numbers
from kg.sources.parsers.typed_footnotes import is_body

# One page of an Aanhangsel as pypdf gives it: two headings, markers glued to words, the
# footnote bodies at the page's end, then the furniture (running head, ISSN, imprint, the
# footer with its page number on the next line) and the next page's first heading.
PAGE = """Vraag 1
Bent u bekend met het bericht over de AI-verordening?1
Antwoord 1
Ja. Het kabinet informeert uw Kamer voor de zomer over de uitvoering2 van de
verordening.
1 https://www.example.org/bericht
2 Kamerstuk 21 501-02, nr. 2732
ah-tk-20242025-1112
ISSN 0921 - 7398
’s-Gravenhage 2025
Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel
1
Vraag 2
Waarom niet?
"""


def spans(text: str, items) -> list[str]:
    return [text[item.start : item.end] for item in items]


def test_scan_lines_finds_the_headings_and_the_furniture_of_a_page() -> None:
    furniture, headings = scan_lines(PAGE)
    assert [(h.kind, h.numbers_text, h.glued) for h in headings] == [
        ("question", "1", False),
        ("answer", "1", False),
        ("question", "2", False),
    ]
    assert [(PAGE[f.span.start : f.span.end], f.strong, f.lone_number) for f in furniture] == [
        ("ah-tk-20242025-1112", True, None),
        ("ISSN 0921 - 7398", True, None),
        ("’s-Gravenhage 2025", True, None),
        ("Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel", True, None),
        ("1", True, None),  # right under the footer: that page's number, not a marker
    ]


def test_a_heading_glued_to_furniture_is_found_after_it() -> None:
    text = "’s-Gravenhage 2025Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1Antwoord 2\nNee."
    furniture, headings = scan_lines(text)
    assert spans(text, [f.span for f in furniture]) == [
        "’s-Gravenhage 2025Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1"
    ]
    assert [(h.kind, h.numbers_text, h.glued) for h in headings] == [("answer", "2", True)]
    assert text[headings[0].start : headings[0].end] == "Antwoord 2"


def test_furniture_glued_after_text_is_cut_from_the_line() -> None:
    text = "de maatregelen.ah-tk-20232024-387 ISSN 0921 - 7398\nVolgende regel."
    furniture, headings = scan_lines(text)
    assert spans(text, [f.span for f in furniture]) == ["ah-tk-20232024-387 ISSN 0921 - 7398"]
    assert headings == []


@pytest.mark.parametrize(
    ("line", "kind", "numbers"),
    [
        ("Vraag 1", "question", "1"),
        ("Vragen 2 en 3:", "question", "2 en 3"),
        ("**Antwoord 4.**", "answer", "4"),
        ("## Antwoord op vragen 5 t/m 7", "answer", "5 t/m 7"),
        ("Vraag\u00a08", "question", "8"),
        ("Vraag 9 Bent u bekend met het bericht?", "question", "9"),  # text on the same line
    ],
)
def test_a_heading_line(line: str, kind: str, numbers: str) -> None:
    _, headings = scan_lines(f"{line}\nTekst.")
    assert [(h.kind, h.numbers_text) for h in headings] == [(kind, numbers)]


@pytest.mark.parametrize(
    "line",
    ["Vraag 1 is beantwoord in de brief.", "De vraag 1 is gesteld.", "Antwoorden volgen."],
)
def test_running_text_that_names_a_question_is_no_heading(line: str) -> None:
    assert scan_lines(line) == ([], [])


def test_several_markers_alone_on_a_line_are_lone_numbers() -> None:
    furniture, _ = scan_lines("Tekst.\n2, 3 en 4\nMeer tekst.")
    assert [(f.strong, f.lone_number) for f in furniture] == [(False, 2), (False, 3), (False, 4)]


def test_a_markdown_heading_made_of_a_number_is_a_page_number() -> None:
    furniture, _ = scan_lines("Tekst.\n# 2\nMeer tekst.")
    assert [(f.strong, f.lone_number) for f in furniture] == [(True, None)]


def test_find_layout_reads_the_footnote_zone_and_the_markers() -> None:
    furniture, headings = scan_lines(PAGE)
    layout = find_layout(PAGE, furniture, [h.start for h in headings])
    assert {n: PAGE[s.start : s.end] for n, s in layout.bodies.items()} == {
        1: "1 https://www.example.org/bericht",
        2: "2 Kamerstuk 21 501-02, nr. 2732",
    }
    markers = layout.markers
    assert PAGE[markers[1].start - 9 : markers[1].end] == "ordening?1"
    assert PAGE[markers[2].start - 10 : markers[2].end] == "uitvoering2"
    assert layout.unmarked == []


def test_clean_leaves_the_running_text_of_a_section() -> None:
    furniture, headings = scan_lines(PAGE)
    layout = find_layout(PAGE, furniture, [h.start for h in headings])
    answer = Span(headings[1].end, headings[2].start)
    assert clean(PAGE, answer, layout) == (
        "Ja. Het kabinet informeert uw Kamer voor de zomer over de uitvoering van de verordening."
    )


def test_a_footnote_whose_marker_is_missing_starts_no_zone() -> None:
    text = "Vraag 1\nZonder verwijzing.\n1 Een regel die met een getal begint\n"
    furniture, headings = scan_lines(text)
    layout = find_layout(text, furniture, [h.start for h in headings])
    assert (layout.bodies, layout.markers) == ({}, {})


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("3 Kamerstuk 21 501-02", 3),
        ("3Kamerstuk 21 501-02", 3),
        ("[3 ] Kamerstuk", 3),
        ("³ Kamerstuk", 3),
        ("<sup>3</sup> Kamerstuk", 3),
        ("32024Z15585/2024D37938", 3),  # glued to the case number the body begins with
    ],
)
def test_starts_body_in_every_converter_s_writing(line: str, number: int) -> None:
    assert starts_body(line, 0, len(line), number)
    assert not starts_body(line, 0, len(line), number + 1)


def test_body_text_drops_the_number() -> None:
    assert body_text("[3 ] Kamerstuk 21 501-02", 3) == "Kamerstuk 21 501-02"
    assert body_text("³ Kamerstuk", 3) == "Kamerstuk"


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("het beleid3 is", "3"),
        ("de AI-Act.3 Verder", "3"),
        ("toegang[3 ] en", "[3 ]"),
        ("toegang[^3] en", "[^3]"),
        ("toegang<sup>3</sup> en", "<sup>3</sup>"),
        ("toegang^3^ en", "^3^"),
        ("toegang³ en", "³"),
    ],
)
def test_marker_pattern_finds_each_writing_of_a_marker(text: str, marker: str) -> None:
    found = marker_pattern(3).search(text)
    assert found is not None and found.group(1) == marker


@pytest.mark.parametrize("text", ["1,3 procent", "[^3]: de definitie", "in 2023 al", "artikel 13"])
def test_marker_pattern_leaves_numbers_that_are_no_marker(text: str) -> None:
    assert marker_pattern(3).search(text) is None


@pytest.mark.parametrize("written", ["12", "[12]", "[ 12 ]", "<sup>12</sup>", "^12^", "¹²"])
def test_body_number_reads_each_writing(written: str) -> None:
    match = re.compile(BODY_NUMBER).fullmatch(written)
    assert match is not None and body_number(match) == 12


def test_superscript() -> None:
    assert superscript(1234567890) == "¹²³⁴⁵⁶⁷⁸⁹⁰"


def test_strip_markdown_keeps_the_words() -> None:
    assert strip_markdown("## Kop\n**vet** en _schuin_ en 11[e ] pakket") == (
        "Kop\nvet en schuin en 11e pakket"
    )


@pytest.mark.parametrize(
    ("line", "body"),
    [("1) Kamerstuk 19637, nr. 3203", True), ("[2] Website", True), ("1. Een lijst", False)],
)
def test_typed_footnote_bodies(line: str, body: bool) -> None:
    assert is_body(line, 0, len(line)) is body


@pytest.mark.parametrize(
    ("line", "pattern", "numbers"),
    [
        ("Vraag 3", ministry.QUESTION_HEADING, "3"),
        ("Vragen 4 en 5:", ministry.QUESTION_HEADING, "4 en 5"),
        ("Antwoord op vraag 3", ministry.ANSWER_HEADING, "3"),
        ("Beantwoording", ministry.ANSWER_HEADING, None),
        ("Antwoord 1. Ja, dat klopt.", ministry.INLINE_ANSWER, "1"),
        ("Antwoord: Ja.", ministry.INLINE_ANSWER, None),
        ("Vraag 2: Bent u bekend", ministry.INLINE_QUESTION, "2"),
    ],
)
def test_the_ministry_s_heading_lines(line: str, pattern: re.Pattern[str], numbers) -> None:
    match = pattern.fullmatch(line) or pattern.match(line)
    assert match is not None
    assert match.group("numbers") == numbers


def test_a_ministry_heading_needs_its_own_line_or_a_colon() -> None:
    assert ministry.QUESTION_HEADING.fullmatch("Vraag 2 Bent u bekend") is None
    assert ministry.INLINE_QUESTION.match("Vraag 2 Bent u bekend") is None


def test_question_numbers_as_printed_or_by_position() -> None:
    notes: list[ParseNote] = []
    assert question_numbers((3,), 10, Span(0, 1), [1, 2], notes) == (3,)
    assert question_numbers(None, 11, Span(0, 1), [1, 2, 3], notes) == (4,)
    assert notes == []
    assert question_numbers((2,), 12, Span(0, 1), [1, 2, 3, 4], notes) == (5,)
    assert [(n.kind, n.line, n.message) for n in notes] == [
        (
            "duplicate-number",
            12,
            "question 2 was asked before; numbered by its position as question 5",
        )
    ]


def test_answer_numbers_name_the_questions_waiting() -> None:
    notes: list[ParseNote] = []
    assert answer_numbers((1,), 5, Span(0, 1), [1, 2], set(), notes) == (1,)
    assert answer_numbers(None, 6, Span(0, 1), [1, 2, 3], {1}, notes) == (2, 3)
    assert notes == []
    assert answer_numbers((1,), 7, Span(0, 1), [1, 2], {1}, notes) == (2,)
    assert answer_numbers((9,), 8, Span(0, 1), [1], {1}, notes) == ()
    assert [(n.kind, n.line) for n in notes] == [
        ("answer-renumbered", 7),
        ("answer-without-question", 8),
    ]
    assert notes[0].message == (
        "answer 1 names no question waiting for an answer; taken as the answer to question 2"
    )


@pytest.mark.parametrize(
    ("raw", "numbers"),
    [
        ("4", (4,)),
        ("4 en 5", (4, 5)),
        ("4, 5 en 6", (4, 5, 6)),
        ("4 t/m 6", (4, 5, 6)),
        ("4 tot en met 6", (4, 5, 6)),
        ("4–6", (4, 5, 6)),
        ("4 en vraag 7", (4, 7)),
    ],
)
def test_numbers_in(raw: str, numbers: tuple[int, ...]) -> None:
    assert numbers_in(raw) == numbers


@pytest.mark.parametrize(
    ("name", "identifier"),
    [
        ("ah-tk-20242025-1112.pdf", "ah-tk-20242025-1112"),
        ("ah-tk-20242025-1112 (1).pdf", "ah-tk-20242025-1112"),
        ("kv-tk-2024Z18438.docx", "kv-tk-2024Z18438"),
        ("2026D32673.txt", "2026D32673"),
        ("antwoord.pdf", None),
        ("ah-tk-20242025-1112x.pdf", None),
    ],
)
def test_identifier_in_file_name(name: str, identifier: str | None) -> None:
    assert identifier_in_file_name(name) == identifier


@pytest.mark.parametrize(
    ("text", "zaak"),
    [
        ("AH 610\n2024Z18792\nVragen van het lid", "2024Z18792"),
        ("Vragen\n2024Z 17972\n", "2024Z17972"),
        ("kopregel kv-tk-2024Z18438 pagina 2", "2024Z18438"),
        ("zie zaak 2024Z18792 in de tekst", None),  # not on a line of its own
    ],
)
def test_zaak_in(text: str, zaak: str | None) -> None:
    assert zaak_in(text) == zaak
