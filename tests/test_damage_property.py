"""Property: the damage real PDF extraction does (page breaks with furniture anywhere, headings
glued after furniture, CRLF line ends, byte-order marks) changes nothing in what is read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.sources.parsers import parse_text
from kg.sources.text import decode_source

HEADER = """Vergaderjaar 2024–2025 Aanhangsel van de Handelingen
Vragen gesteld door de leden der Kamer, met de daarop door de
regering gegeven antwoorden
1400

Vragen van het lid Dassen (Volt) aan de Staatssecretaris van Economische Zaken over
rekenkracht voor AI (ingezonden 6 januari 2025).

Antwoord van Staatssecretaris Szabó (Economische Zaken) (ontvangen 3 februari 2025).
"""
SECTIONS = [
    ("Vraag 1", "Bent u bekend met het bericht[1 ] over de AI-fabriek in\nGroningen?"),
    ("Antwoord 1", "Ja. Het kabinet volgt de ontwikkeling van de AI-fabriek\nop de voet."),
    ("Vraag 2", "Hoeveel rekenkracht krijgt de fabriek en wie mag die\ngebruiken?"),
    (
        "Antwoord 2",
        "De fabriek krijgt een supercomputer. Onderzoekers en\nbedrijven mogen die gebruiken,"
        " zoals\nbeschreven in de brief van januari.[2 ]",
    ),
    ("Vraag 3", "Wat kost de fabriek?"),
    ("Vraag 4", "Wie betaalt de fabriek?"),
    (
        "Antwoord 3 en 4",
        "Zie de antwoorden op de vragen 1 en 2. Het Rijk en de\nregio betalen samen.",
    ),
]
FOOTNOTES = "1 https://example.nl/ai-fabriek\n2 Kamerstuk 26 643, nr. 1300\n"
FURNITURE = [
    "h tk 20242025 1400\nISSN 0921 - 7398’s-Gravenhage 2025\n"
    "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {page}\n-----\n",
    "ah-tk-20242025-1400\nTweede Kamer, vergaderjaar 2024–2025, Aanhangsel\n{page}\n",
    "\f\n",
    "Tweede Kamer der Staten-Generaal\n2025Z00123\nVergaderjaar 2024-2025\n# {page}\n",
]
# Furniture glued to the end of a line of text, as PDF extraction leaves a page's footer.
TAILS = [
    "ah-tk-20242025-1400 ISSN 0921 - 7398’s-Gravenhage 2025",
    " Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {page}",
    "h tk 20242025 1400ISSN 0921 - 7398",
]
GLUE = [
    "ISSN 0921 - 7398’s-Gravenhage 2025Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {page}",
    "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {page}",
    "h tk 20242025 1400",
]


def body_lines() -> list[tuple[str, bool]]:
    """The lines of the questions and answers, each marked whether it is a heading."""
    lines = []
    for heading, text in SECTIONS:
        lines.append((heading, True))
        lines.extend((line, False) for line in text.split("\n"))
        lines.append(("", False))
    return lines


def render(
    breaks: dict[int, int],
    glued: dict[int, int],
    lone_markers: bool = False,
    inline: bool = False,
    tails: dict[int, int] | None = None,
) -> str:
    out, page = [HEADER, "\n"], 1
    for index, (line, heading) in enumerate(body_lines()):
        if index in breaks:
            page += 1
            out.append(FURNITURE[breaks[index]].format(page=page))
        # With ``inline``, a heading and the first line of its text share a line (unless a
        # page break comes between them).
        end = " " if heading and inline and index + 1 not in breaks else "\n"
        if heading and index in glued:
            page += 1
            out.append(GLUE[glued[index]].format(page=page) + line + end)
        elif index in (tails or {}):
            page += 1
            out.append(line + TAILS[(tails or {})[index]].format(page=page) + end)
        else:
            out.append(line + end)
    out.append("\n" + FOOTNOTES)
    text = "".join(out)
    # PDF text often puts a superscript marker on a line of its own.
    return re.sub(r"\[(\d) \]", "\n\\1\n", text) if lone_markers else text


def summary(text: str) -> dict:
    document = parse_text(Path("ah-tk-20242025-1400.txt"), text)

    def words(sections):
        return [(s.covers, " ".join(s.text.split())) for s in sections]

    return {
        "identifier": document.identifier,
        "questions": words(document.questions),
        "answers": words(document.answers),
        "footnotes": [(f.number, f.text) for f in document.footnotes],
        "references": [(r.source_number, r.target_number) for r in document.cross_references],
        # Each marker is the footnote's number, in the question or answer that holds it.
        "markers": [
            (
                document.text[f.marker.start : f.marker.end].strip("[] "),
                document.section_at(f.marker.start),
            )
            for f in document.footnotes
        ],
        "asker": document.letter.askers,
    }


CLEAN = summary(render({}, {}))
LINES = len(body_lines())
HEADINGS = [i for i, (_, heading) in enumerate(body_lines()) if heading]
TEXT_LINES = [i for i, (line, heading) in enumerate(body_lines()) if line and not heading]


def test_the_clean_document_reads_as_written() -> None:
    assert CLEAN["identifier"] == "ah-tk-20242025-1400"
    assert [c for c, _ in CLEAN["questions"]] == [(1,), (2,), (3,), (4,)]
    assert [c for c, _ in CLEAN["answers"]] == [(1,), (2,), (3, 4)]
    assert CLEAN["footnotes"] == [
        (1, "https://example.nl/ai-fabriek"),
        (2, "Kamerstuk 26 643, nr. 1300"),
    ]
    assert CLEAN["references"] == [(3, 1), (3, 2)]
    assert CLEAN["markers"] == [("1", ("question", 1)), ("2", ("answer", 2))]


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    breaks=st.dictionaries(
        st.integers(0, LINES - 1), st.integers(0, len(FURNITURE) - 1), max_size=4
    ),
    glued=st.dictionaries(st.sampled_from(HEADINGS), st.integers(0, len(GLUE) - 1), max_size=3),
    lone_markers=st.booleans(),
    inline=st.booleans(),
    tails=st.dictionaries(st.sampled_from(TEXT_LINES), st.integers(0, len(TAILS) - 1), max_size=2),
    crlf=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
@example(  # a page number "2" beside a running head, before the lone marker "2"
    breaks={3: 1},
    glued={},
    lone_markers=True,
    inline=False,
    tails={},
    crlf=False,
    encoding="utf-8",
)
def test_damage_changes_nothing_that_is_read(
    breaks, glued, lone_markers, inline, tails, crlf, encoding
) -> None:
    text = render(breaks, glued, lone_markers, inline, tails)
    if crlf:
        text = text.replace("\n", "\r\n")
    decoded = decode_source(Path("ah-tk-20242025-1400.txt"), text.encode(encoding))
    assert summary(decoded) == CLEAN


@pytest.mark.parametrize("position", [8, 9, 10], ids=["before", "after-heading", "inside"])
@pytest.mark.parametrize("furniture", range(len(FURNITURE)))
def test_a_question_heading_lost_at_a_page_break_is_recovered(position, furniture) -> None:
    """'Vraag 2' gone, a page break (furniture) before, in or after where it stood: question 2
    is still read, from the numbering and the position, and the recovery is noted."""
    text = render({position: furniture}, {}).replace("Vraag 2\n", "", 1)
    document = parse_text(Path("ah-tk-20242025-1400.txt"), text)
    found = summary(text)
    assert found["questions"] == CLEAN["questions"]
    assert found["answers"] == CLEAN["answers"]
    assert [n.kind for n in document.notes] == ["recovered-heading"]


# -- footnotes at the foot of each page ------------------------------------------------------

PAGED = [
    ("Vraag 1", "Bent u bekend met het bericht «AI-fabriek in Groningen gaat open»?{1}"),
    (
        "Antwoord 1",
        "Ja. Het kabinet volgt de AI-fabriek op de voet. De fabriek is onderdeel van de "
        "Nederlandse AI-strategie.{2} Het kabinet draagt 70 miljoen euro bij.",
    ),
    ("Vraag 2", "Hoeveel rekenkracht krijgt de fabriek? Kunt u ingaan op de rol van SURF?"),
    (
        "Antwoord 2",
        "De fabriek krijgt een supercomputer. Onderzoekers en bedrijven mogen die gebruiken, "
        "zoals beschreven in de brief van januari.{3} SURF beheert de toegang.{4}",
    ),
    ("Vraag 3", "Wat kost de fabriek en wie betaalt die?"),
    (
        "Antwoord 3",
        "Zie de antwoorden op de vragen 1 en 2, zoals aangegeven in het antwoord op vraag 1.",
    ),
]
PAGED_NOTES = {
    1: "https://example.nl/ai-fabriek",
    2: "Kamerstuk 26 643, nr. 1300",
    3: "Kamerstuk 26 643, nr. 1301",
    4: "Motie Dassen, Kamerstuk 36 410, nr. 12",
}
MARKERS = {"glued": "{n}", "bracket": "[{n} ]", "alone": "\n{n} \n"}


def paged(width: int, page_lines: int, marker: str, glued_body: bool, drop: bool) -> str:
    """The document as PDF text: lines of ``width``, a page every ``page_lines`` lines with
    the footnotes whose markers it holds at its foot, then the furniture; with ``drop``, a
    'Vraag N' heading that would open a page is lost."""
    out, page = HEADER.split("\n")[:-1], 1
    on_page: list[int] = []

    def foot(last: bool) -> None:
        nonlocal page, on_page
        out.extend(f"{n}{'' if glued_body else ' '}{PAGED_NOTES[n]}" for n in on_page)
        out.extend(["h tk 20242025 1400", "ISSN 0921 - 7398’s-Gravenhage 2025"])
        out.append(f"Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {page}")
        if not last:
            page, on_page = page + 1, []
            out.extend(["\f", f"Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {page}", "-----"])

    def mark(match: re.Match[str]) -> str:
        on_page.append(int(match.group(1)))
        return MARKERS[marker].format(n=match.group(1))

    lines: list[tuple[str, bool]] = []
    for heading, text in PAGED:
        lines.append((heading, True))
        words, current = text.split(" "), ""
        for word in words:
            if current and len(current) + len(word) >= width:
                lines.append((current, False))
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append((current, False))
    for index, (line, is_heading) in enumerate(lines):
        at_page_top = out[-1] == "-----"
        if not (drop and is_heading and at_page_top and line.startswith("Vraag")):
            out.extend(re.sub(r"\{(\d)\}", mark, line).split("\n"))
        if (index + 1) % page_lines == 0 and index < len(lines) - 1:
            foot(last=False)
    foot(last=True)
    return "\n".join(out) + "\n"


def paged_summary(text: str) -> dict:
    document = parse_text(Path("ah-tk-20242025-1400.txt"), text)
    # A page break after a full stop may be read as a paragraph break: words compared.
    return {
        "identifier": document.identifier,
        "questions": [(s.covers, " ".join(s.text.split())) for s in document.questions],
        "answers": [(s.covers, " ".join(s.text.split())) for s in document.answers],
        "footnotes": [(f.number, f.text) for f in document.footnotes],
        "references": [(r.source_number, r.target_number) for r in document.cross_references],
    }


PAGED_CLEAN = paged_summary(paged(1000, 1000, "glued", False, False))


def test_the_paged_document_reads_as_written() -> None:
    assert [c for c, _ in PAGED_CLEAN["questions"]] == [(1,), (2,), (3,)]
    assert PAGED_CLEAN["questions"][2] == ((3,), "Wat kost de fabriek en wie betaalt die?")
    assert PAGED_CLEAN["answers"][1][1].endswith("januari. SURF beheert de toegang.")
    assert PAGED_CLEAN["footnotes"] == sorted(PAGED_NOTES.items())
    assert PAGED_CLEAN["references"] == [(3, 1), (3, 2)]


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(40, 100),
    page_lines=st.integers(2, 12),
    marker=st.sampled_from(sorted(MARKERS)),
    glued_body=st.booleans(),
    drop=st.booleans(),
)
@example(  # 'Vraag 3' lost at the top of a page, after an answer ending in a marker "[4 ]"
    width=50, page_lines=3, marker="bracket", glued_body=False, drop=True
)
@example(  # 'Vraag 2' lost; its two asking sentences on two pages
    width=40, page_lines=2, marker="alone", glued_body=False, drop=True
)
def test_footnotes_at_page_ends_and_lost_headings_change_nothing(
    width, page_lines, marker, glued_body, drop
) -> None:
    text = paged(width, page_lines, marker, glued_body, drop)
    assert paged_summary(text) == PAGED_CLEAN


@pytest.mark.parametrize(
    "position", [10, 11, 12], ids=["in-question", "after-question", "at-heading"]
)
@pytest.mark.parametrize("furniture", range(len(FURNITURE)))
def test_an_answer_heading_lost_at_a_page_break_is_recovered(position, furniture) -> None:
    """'Antwoord 2' gone, a page break before, in or after where it stood: answer 2 is the
    text after question 2's asking paragraph, up to 'Vraag 3', and the recovery is noted."""
    text = render({position: furniture}, {}).replace("Antwoord 2\n", "", 1)
    document = parse_text(Path("ah-tk-20242025-1400.txt"), text)
    found = summary(text)
    assert found["questions"] == CLEAN["questions"]
    assert found["answers"] == CLEAN["answers"]
    assert [n.kind for n in document.notes] == ["recovered-heading"]
    assert document.notes[0].message.startswith("no 'Antwoord 2' heading after 'Vraag 2'")
