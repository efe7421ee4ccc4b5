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
