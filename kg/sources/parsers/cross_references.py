"""References from one answer to the answer on another question, in every form they are written.

"zie ook het antwoord op vraag 4", "Zie de antwoorden op de vragen 2 en 3", "het antwoord op
de vragen 2, 3 en 5", "zoals aangegeven in het antwoord op vraag 2", "de beantwoording van
vraag 9", "het antwoord bij vraag 6", "het antwoord onder vraag 2", "zie antwoord 3", "het
antwoord op vraag 2 en vraag 3".

The words after a reference may put its question in another document: "de beantwoording van
vraag 9 in 2026D32673" (that document's answer 9), "het antwoord op vraag 3 van de leden Dassen
en Kathmann (ingezonden 5 maart 2025)" (another document, not named by an identifier).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.sources.identifiers import DocumentIdentifier, document_identifiers
from kg.sources.model import CrossReference, Document, ParseNote, Section, Span

# Question numbers have at most three digits: "vraag 12, 2023" refers to question 12 only. A
# list may repeat the word ("vraag 2 en vraag 3") or lose a space ("vragen 29en 30").
NUMBER = r"\d{1,3}(?!\d)"
NUMBERS = rf"{NUMBER}(?:\s*(?:,|en\b|t/m|tot en met|-|–)\s*(?:vra(?:ag|gen)\s+)?{NUMBER})*"
# What refers, by role: an answer or question named by its number after a word that points
# at it ("het antwoord op vraag 3", "zie antwoord 3", "zoals bij vraag 2 aangegeven", "zoals
# geantwoord onder vraag 2", "zie vraag 3"), or "de vorige vraag". Extracted text may glue
# the words ("de beantwoording vanvraag 2", "het antwoordbij vraag 2").
CROSS_REFERENCE = re.compile(
    r"(?:\b(?:antwoord(?:en)?|beantwoording)\s*(?:(?:op|van|bij|onder|in)\s*)?"
    r"(?:de\s+|uw\s+|mijn\s+)?vra(?:ag|gen)\s*"
    rf"(?P<numbers>{NUMBERS})"
    rf"|\b(?:zie|in|bij|onder|op)\s+(?:ook\s+)?(?:het\s+|de\s+|mijn\s+)?antwoord(?:en)?\s+"
    rf"(?P<bare>{NUMBERS})"
    rf"|\b(?:zie|bij|onder)\s+(?:ook\s+)?(?:de\s+)?vra(?:ag|gen)\s+(?P<asked>{NUMBERS})"
    r"|\b(?P<previous>(?:de|het)\s+vorige\s+vraag|(?:de|het)\s+antwoord\s+op\s+de\s+vorige"
    r"\s+vraag)\b)",
    re.IGNORECASE,
)

# "in 2026D32673", "uit de beantwoording van ...", "van de leden ...": the words that may lead
# to another document, then what they name.
LEADS_ELSEWHERE = re.compile(r"\s*,?\s*(?:in|uit|van|bij)\s+(?P<rest>[\s\S]{0,200})", re.IGNORECASE)
ANOTHER_DOCUMENT = re.compile(
    r"(?:het\s+lid|de\s+leden|(?:de|mijn|onze)\s+(?:eerdere\s+)?(?:schriftelijke\s+)?"
    r"(?:vragen|antwoorden|beantwoording|brief|Kamerbrief)|eerdere\s+|(?:de\s+)?Kamervragen\b"
    r"|(?:het\s+)?(?:schriftelijk\s+overleg|verslag|commissiedebat))",
    re.IGNORECASE,
)
SENTENCE_BREAK = re.compile(r"[.!?;]\s")


@dataclass(frozen=True)
class Elsewhere:
    """A reference whose question is in another document; ``identifier`` when the words name
    that document."""

    identifier: DocumentIdentifier | None


def elsewhere(following: str, own_identifier: str) -> Elsewhere | None:
    """Whether the words right after a reference (``following``) put its question in another
    document than the one with ``own_identifier``; None when they do not."""
    lead = LEADS_ELSEWHERE.match(following)
    if not lead:
        return None
    rest = lead.group("rest")
    named = document_identifiers(rest)
    # The first identifier, when no sentence ends before it ("nr." is inside identifiers).
    if named and not SENTENCE_BREAK.search(rest[: named[0].start]):
        if named[0].key == own_identifier:
            return None
        return Elsewhere(named[0])
    return Elsewhere(None) if ANOTHER_DOCUMENT.match(rest) else None


def numbers_in(raw: str) -> tuple[int, ...]:
    """The question numbers a list names.

    >>> numbers_in("4 en 5"), numbers_in("4, 5 en 6"), numbers_in("4 t/m 6")
    ((4, 5), (4, 5, 6), (4, 5, 6))
    >>> numbers_in("4 tot en met 6"), numbers_in("4-6 en vraag 9")
    ((4, 5, 6), (4, 5, 6, 9))
    """
    numbers: list[int] = []
    raw = re.sub(r"\btot en met\b", "t/m", raw.strip())  # its "en" is not a list's "en"
    raw = re.sub(r"\bvra(?:ag|gen)\s+", "", raw, flags=re.IGNORECASE)
    for part in re.split(r"\s*(?:,|(?<=\d)en\b|\ben\b)\s*", raw):
        span = re.match(r"(\d+)\s*(?:t/m|-|–)\s*(\d+)$", part)
        if span:
            numbers.extend(range(int(span.group(1)), int(span.group(2)) + 1))
        elif part:
            numbers.append(int(part))
    return tuple(numbers)


def targets(match: re.Match[str], current: int | None = None) -> tuple[int, ...]:
    """The question numbers a CROSS_REFERENCE match refers to; "de vorige vraag" is the one
    before ``current`` (the first number of the answer that refers)."""
    if match.group("previous"):
        return (current - 1,) if current and current > 1 else ()
    return numbers_in(match.group("numbers") or match.group("bare") or match.group("asked"))


def find_cross_references(
    document: Document, line_of: Callable[[int], int], notes: list[ParseNote]
) -> Iterator[CrossReference]:
    """The references of each answer to another answer of the document (one per pair, at its
    first wording), or to a question of another document the words name; a reference to a
    question the document does not have is noted, not linked."""
    asked = {n: q.number for q in document.questions for n in q.covers}
    answer_of = {n: a.number for a in document.answers for n in a.covers}
    seen: set[tuple[int, int]] = set()
    for answer in document.answers:
        for match in CROSS_REFERENCE.finditer(answer.text):
            # Found in the cleaned text; located in the document by its words.
            span = _locate(document, answer, match)
            other = elsewhere(answer.text[match.end() :], document.identifier)
            if other is not None:
                if other.identifier is not None:
                    for target in targets(match):
                        yield CrossReference(answer.number, target, span, other.identifier.text)
                continue
            for target in targets(match, min(answer.covers)):
                if target not in asked or target not in answer_of:
                    notes.append(
                        ParseNote(
                            "unresolved-cross-reference",
                            line_of(span.start),
                            f"answer {answer.number} refers to question {target}, which the "
                            "document does not have (or does not answer); not linked",
                            span,
                        )
                    )
                elif answer_of[target] != answer.number:
                    pair = (answer.number, answer_of[target])
                    if pair not in seen:
                        seen.add(pair)
                        yield CrossReference(*pair, span)


def _locate(document: Document, answer: Section, match: re.Match[str]) -> Span:
    """The span of a cross-reference in the document text (a direct search of its words)."""
    words = r"\s+".join(re.escape(w) for w in match.group(0).split())
    found = re.search(words, document.text[answer.span.start : answer.span.end])
    if found:
        return Span(answer.span.start + found.start(), answer.span.start + found.end())
    return answer.span
