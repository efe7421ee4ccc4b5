"""Headings by their role, as a property: whichever way a ministry numbers, words, spaces and
combines its question and answer headings, the same questions and answers come out."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.sources.parsers import parse_text

HEADER = (
    "AH 613\n2024Z14814\nAntwoord van minister Bruins (Onderwijs, Cultuur en Wetenschap) "
    "(ontvangen 14 november 2024)\n"
)
WORDS = st.sampled_from(
    ["beleid", "de", "kabinet", "regels", "toezicht", "gemeenten", "algoritmen", "het", "data"]
)
QUESTION = st.lists(WORDS, min_size=2, max_size=8).map(lambda w: "Kunt u " + " ".join(w) + "?")
ANSWER = st.lists(WORDS, min_size=2, max_size=12).map(lambda w: "Het " + " ".join(w) + ".")
QUESTION_STYLES = [
    "Vraag {n}",
    "Vraag {n}:",
    "Vraag{n}",  # the space lost
    "Vraag\u00a0{n}",  # a no-break space
    "{n}",
    "{n}.",
    "{n}. {text}",
    "Vraag {n} ",
    "Vraag {n}: {text}",  # the heading with its text on the same line
    "",  # no heading at all: the question is the paragraph before its answer
]
ANSWER_STYLES = [
    "Antwoord",
    "Antwoord {n}: ",  # the heading with its text on the same line
    "Antwoord:",
    "Antwoord {n}",
    "Antwoord {n}:",
    "Antwoord op vraag {n}",
    "Antwoord op de vragen {n}",
    "Antwoorden {n}",
]


@st.composite
def answered_questions(draw):
    """(the text, the questions, the numbers each answer covers, the answers)."""
    count = draw(st.integers(min_value=1, max_value=7))
    questions = [draw(QUESTION) for _ in range(count)]
    # Consecutive questions answered together: cut the numbers into groups.
    cuts = draw(st.sets(st.integers(min_value=2, max_value=count + 1), max_size=count))
    bounds = sorted({1, *cuts, count + 1})
    groups = [list(range(a, b)) for a, b in pairwise(bounds)]
    answers = [draw(ANSWER) for _ in groups]
    question_style = draw(st.sampled_from(QUESTION_STYLES))
    answer_style = draw(st.sampled_from(ANSWER_STYLES))
    joiner = draw(st.sampled_from([" en ", ", ", " t/m "]))
    gap = draw(st.sampled_from(["\n", "\n\n", "\n \n"]))
    # Some ministries put all questions first and number the answers after them (only where
    # both are numbered: otherwise nothing says which answer is which).
    numbered = "{n}" in answer_style and "{n}" in question_style
    questions_first = numbered and draw(st.booleans())
    asked, answered = [], []
    for group, answer in zip(groups, answers, strict=True):
        for n in group:
            heading = question_style.format(n=n, text=questions[n - 1])
            inline = "{text}" in question_style or not question_style
            asked.append(
                heading or questions[n - 1] if inline else heading + "\n" + questions[n - 1]
            )
        heading = answer_style.format(n=_numbers(group, joiner))
        answered.append(heading + answer if heading.endswith(" ") else heading + "\n" + answer)
        if not questions_first:
            asked, answered = [*asked, *answered], []
    return gap.join([HEADER, *asked, *answered]) + "\n", questions, groups, answers


def _numbers(group: list[int], joiner: str) -> str:
    if len(group) == 1:
        return str(group[0])
    if joiner == " t/m ":
        return f"{group[0]} t/m {group[-1]}"
    return ", ".join(map(str, group[:-1])) + (" en " if joiner == " en " else ", ") + str(group[-1])


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(answered_questions())
def test_the_same_questions_and_answers_in_every_heading_style(case) -> None:
    text, questions, groups, answers = case
    document = parse_text(Path("antwoord.docx.txt"), text)
    assert [q.text for q in document.questions] == questions
    assert [list(a.covers) for a in document.answers] == groups
    assert [a.text for a in document.answers] == answers
    assert [n.kind for n in document.notes] == []
