"""Fulfilments: passages in which a document says it delivers on an earlier commitment.

"Zoals toegezegd in de beantwoording van vraag 1 in 2026D32673, informeer ik uw Kamer hierbij
over ...", "Met deze brief kom ik de toezegging uit de schriftelijke antwoorden 2026D41207 na",
"Hierbij zend ik u ... de beantwoording toe ..., zoals aldaar toegezegd". Each is found by a
named rule and says, where its words do, in which answer, document or debate the commitment
was made. Which commitment it closes is left to the query (``queries/commitment-status.rq``):
this document may not state anything about another document's commitment.

A sentence that promises again ("zoals eerder toegezegd zal ik uw Kamer in het voorjaar
informeren") is no fulfilment: one in the future tense never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.mentions import running_text, sentences
from kg.sources import identifiers as ids
from kg.sources.model import Document, Span


@dataclass(frozen=True)
class FulfilmentRule:
    name: str
    pattern: re.Pattern[str]
    meaning: str  # in English, for the rule's description in the graph


def _rule(name: str, pattern: str, meaning: str) -> FulfilmentRule:
    return FulfilmentRule(name, re.compile(pattern, re.IGNORECASE), meaning)


# Words that deliver now: "hierbij", "met deze brief", "informeer ik", "zend ik", "ontvangt u".
DELIVERY = (
    r"\b(?:hierbij|hiermee|bij\s+dezen?|(?:met|in)\s+(?:deze|bijgaande)\s+brief|informeer\s+ik|"
    r"stuur\s+ik|zend\s+ik|bied\s+ik|ontvangt\s+u|treft\s+u|kom\s+ik\s+(?:\w+\s+){1,6}?na\b|"
    r"doe\s+ik\s+(?:\w+\s+){1,6}?gestand\b)"
)
RULES: tuple[FulfilmentRule, ...] = (
    _rule(
        "says-as-promised",
        r"\b(?:zoals\s+(?:\w+\s+){0,4}?(?:toegezegd|aangekondigd|beloofd)|"
        r"(?:conform|overeenkomstig|ter\s+uitvoering\s+van)\s+(?:de|mijn|onze)\s+toezegging|"
        r"(?:kom|doe)\s+ik\s+(?:\w+\s+){0,5}?toezegging(?:en)?\b)",
        "The sentence says it delivers what was promised ('zoals toegezegd', 'kom ik de "
        "toezegging na', 'ter uitvoering van de toezegging') and delivers now ('hierbij', 'met "
        "deze brief', 'informeer ik'), not in the future tense.",
    ),
    _rule(
        "delivers-citing-answer",
        DELIVERY,
        "The sentence delivers now ('hierbij informeer ik u') and cites the answer of an earlier "
        "document that it delivers on; not in the future tense.",
    ),
)
DELIVERS = re.compile(DELIVERY, re.IGNORECASE)
FUTURE = re.compile(r"\b(?:zal|zullen|zou|zouden)\b", re.IGNORECASE)
# "zoals aldaar toegezegd", "tijdens het Commissiedebat ...": the commitment of the debate that
# the document answers.
AT_THE_DEBATE = re.compile(r"\baldaar\b|\bdebat\b", re.IGNORECASE)


@dataclass(frozen=True)
class FulfilmentFound:
    number: int
    span: Span  # the sentence that says it
    text: str  # its words
    rule: FulfilmentRule
    document: str | None = None  # the identifier of the document the commitment was made in
    answer: int | None = None  # and its answer, where the words name one
    debate: bool = False  # made in the debate this document answers


def find_fulfilments(document: Document) -> list[FulfilmentFound]:
    found: list[FulfilmentFound] = []
    spans = (
        s
        for start, end in _regions(document)
        for s in sentences(document.text, start, end, _hidden(document))
    )
    for span in spans:
        sentence, words = running_text(document, span)
        if FUTURE.search(sentence) or not DELIVERS.search(sentence):
            continue
        cited = [r for r in document.cross_references if r.document and span.contains(r.span)]
        identifiers = ids.document_identifiers(sentence)
        promised = RULES[0].pattern.search(sentence)
        if promised:
            rule = RULES[0]
        elif cited:
            rule = RULES[1]
        else:
            continue
        number = len(found) + 1
        text = " ".join(words.split())
        if cited:
            found.append(FulfilmentFound(number, span, text, rule, cited[0].document,
                                         cited[0].target_number))  # fmt: skip
        elif identifiers:
            found.append(FulfilmentFound(number, span, text, rule, identifiers[0].text))
        else:
            debate = bool(document.letter.meeting and AT_THE_DEBATE.search(sentence))
            found.append(FulfilmentFound(number, span, text, rule, debate=debate))
    return found


def _regions(document: Document) -> list[tuple[int, int]]:
    """Where a fulfilment can be said: each answer, and the text outside every question and
    answer (a letter's cover text), in text order."""
    sections = sorted((s.span.start, s.span.end) for s in (*document.questions, *document.answers))
    regions, cursor = [], 0
    for start, end in sections:
        if start > cursor:
            regions.append((cursor, start))
        cursor = max(cursor, end)
    regions.append((cursor, len(document.text)))
    regions += [(a.span.start, a.span.end) for a in document.answers]
    return sorted(regions)


def _hidden(document: Document) -> list[Span]:
    """Footnote bodies and page furniture: no fulfilment is said there."""
    return [*document.not_running_text, *(f.span for f in document.footnotes)]
