"""Extraction over a parsed document: entity mentions and commitments (toezeggingen).

Works on any ``Document``, whatever parser produced it; everything found keeps its span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from kg.extract.reference import LabelIndex
from kg.sources.model import Commitment, Document, Mention, Span
from kg.sources.parsers.letter import clean
from kg.sources.text import MONTH_PATTERN

# A commitment (toezegging) is a promise to parliament, recognised by its role in a sentence
# of an answer or of a notice's statement, not by one wording:
# - it looks ahead: "zal"/"zullen", an intention ("ben voornemens", "streef ernaar", "ga ik",
#   "verwacht u ... toe te sturen"), or a present passive of delivery with a time ("De Kamer
#   wordt hierover geïnformeerd in het eerste kwartaal van 2025");
# - it names an act of delivering: informing, sending, sharing, reporting, answering the
#   questions, letting the answers reach the Kamer, or taking something up in a report;
# - parliament receives it: "uw Kamer", "de (Tweede) Kamer", "u", or a report or letter that
#   goes to it ("in de volgende voortgangsrapportage", "bij separate brief").
# No word boundary where PDF text glues a word on: "informerenover", "hierovergeïnformeerd".
FUTURE = re.compile(
    r"\b(?:zal|zullen|zult)\b|\bvoornemens\b|\bstreef\s+(?:ik\s+|het\s+kabinet\s+)?ernaar\b"
    r"|\b(?:ga\s+ik|ik\s+ga|gaat\s+het\s+kabinet)\b|\bverwacht(?:en)?\b.*?\bte\s+(?:kunnen\s+)?\w"
    r"|\bzeg\s+(?:ik\s+)?toe\b|\bkom\s+(?:ik\s+)?(?:hier|daar)?\s*(?:op\s+)?terug",
    re.IGNORECASE,
)
PRESENT_DELIVERY = re.compile(
    r"\b(?:wordt|worden).*?(?:ge[iï]nformeerd|(?:toe)?gestuurd|(?:toe)?gezonden|aangeboden)",
    re.IGNORECASE,
)
PARLIAMENT = re.compile(
    r"\b(?:uw\s*Kamer|(?:de\s+)?Tweede\s*Kamer|de\s+Kamer|u)\b"
    r"|\b(?:separate\s+)?(?:Kamer)?brief\b|\b(?:voortgangs)?rapportage|\bvoortgangsbrief|\bmonitor\b"
)
INFORM = re.compile(
    r"(?:informeren|ge[iï]nformeerd)|\b(?:(?:toe)?sturen|(?:toe)?gestuurd|toe\s+te\s+(?:kunnen\s+)?sturen"
    r"|toezenden|(?:toe)?gezonden|verzenden|rapporteren|berichten|delen|toekomen|aanbieden"
    r"|aangeboden|terug\s*(?:te\s+)?komen|terugkomen|op\s+terug)",
    re.IGNORECASE,
)
REPORTING = re.compile(r"\b(?:rapporteren|rapporteert|verslag\s+doen)", re.IGNORECASE)
PAST_DELIVERY = re.compile(
    r"\b(?:heb|hebben|heeft|is|zijn|werd|werden)\b(?:\s+\w+){0,6}?\s+"
    r"(?:ge[iï]nformeerd|(?:toe)?gestuurd|(?:toe)?gezonden|gedeeld|aangeboden|gerapporteerd)",
    re.IGNORECASE,
)
# PDF text glues the word after "Kamer" on: "aan de Tweede Kamergestuurd worden".
KAMER_GLUED = re.compile(
    r"(?<=Kamer)(?=(?:ge[iï]nformeerd|(?:toe)?gestuurd|(?:toe)?gezonden|aangeboden|informeren"
    r"|(?:toe)?sturen|toezenden))"
)
# Acts that deliver only with the right object: answering "de vragen", taking something up in
# a report or letter that goes to parliament.
ANSWERING = re.compile(r"\bbeantwoord(?:en|t)\b.*|\bvragen\b.*\bbeantwoord", re.IGNORECASE)
IN_REPORT = re.compile(r"\b(?:ingaan|op\s+in\s*gaan|opnemen|meenemen)\b", re.IGNORECASE)
REPORT = re.compile(r"rapportage|voortgangsbrief|\bmonitor\b|\bbrief\b", re.IGNORECASE)
MONTH = MONTH_PATTERN
# The year a season or recess is in: "in het voorjaar van 2027", "voor de zomer van dit jaar".
OF_YEAR = r"(?:\s+van\s+(?:\d{4}|dit\s+jaar|volgend\s+jaar))?"
# Tried in this order; the first that matches gives the timing as written.
TIMING_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bzodra\b[^,.]*?(?=\s+(?:zal|zullen|wordt|worden)\b|,)",
        # A condition that opens the sentence: "Wanneer het kabinet de voorlichting ontvangen
        # heeft, zal ...", "Op het moment dat dit beeld beschikbaar is, ...".
        r"^\s*(?:op\s+het\s+moment\s+dat|wanneer|nadat)\b[^,.]*?"
        r"(?=,|\s+(?:zal|zullen|wordt|worden)\b)",
        # A deadline date: "voor 1 december 2026", "vóór 1 januari", "uiterlijk 15 maart" (not
        # "op 1 mei", which in a commitment's sentence may be a past event's date).
        rf"\b(?:uiterlijk(?:\s+(?:op|v[oó]{{2}}r))?|v[oó]{{2}}r)\s+\d{{1,2}}\s+{MONTH}"
        r"(?:\s+\d{4})?",
        r"\b(?:uiterlijk\s+)?(?:na|v[oó]{2}r|in|begin|eind|rond)\s+(?:de|het)\s+"
        r"(?:zomer(?:reces)?|kerstreces|herfst(?:reces)?|voorjaarsreces|meireces|najaar|voorjaar"
        r"|winter|einde van (?:het|dit) jaar)" + OF_YEAR,
        rf"\b(?:uiterlijk\s+(?:(?:in|v[oó]{{2}}r|begin|medio|eind)\s+)?"
        rf"|(?:v[oó]{{2}}r|in|begin|medio|eind)\s+)(?:{MONTH}(?:\s+\d{{4}})?|\d{{4}})",
        # No word boundary before: PDF text glues "onderzoekin het eerste kwartaal".
        r"(?:uiterlijk\s+)?(?:v[oó]{2}r|in|na)\s+het\s+(?:eerste|tweede|derde|vierde)\s*"
        r"kwartaal(?:\s+van\s+\d{4})?",
        # "in Q3 2026", "voor Q1 van 2027".
        r"\b(?:uiterlijk\s+)?(?:v[oó]{2}r|in|na)\s+Q[1-4](?:\s+(?:van\s+)?\d{4})?\b",
        r"\bzo\s+(?:spoedig|snel)\s+mogelijk\b",
        r"\bop\s+korte\s+termijn\b",
        r"\bbinnenkort\b",
        r"\bspoedig\b",
        r"\b(?:(?:begin|eind|medio)\s+)?(?:dit|volgend)\s+(?:jaar|kwartaal)\b",
        # A season may have the next word glued on in PDF text: "dit voorjaarinzichtelijk".
        r"\b(?:(?:begin|eind|medio)\s+)?(?:dit|volgend|komend)e?\s*(?:voorjaar|najaar|zomer|winter)",
        r"\bdeze\s+(?:zomer|winter|herfst)\b",
        r"\bkomende?\s+(?:jaar|maanden|weken|periode)\b",
        r"\bin\s+de\s+(?:eerstvolgende|volgende)\s+[\w-]*(?:rapportage|brief|voortgangsbrief)",
        r"\b(?:half)?jaarlijks\b|\bperiodiek\b",
    )
]
ANAPHOR = re.compile(r"\b(?:hierover|daarover|hiervan|daarvan|deze|dit)\b", re.IGNORECASE)
ABBREVIATIONS = {"jl", "nr", "bijv", "o.a", "e.d", "d.w.z", "m.b.t", "t.a.v", "i.e", "e.g", "vs"}
# A sentence's end, with the footnote marker after it: the letter form's "[footnoteRef:3]" is
# part of the sentence; a marker of converted PDF text ("[3 ]", "<sup>3</sup>", "^3^", "³",
# "beleid.3") is left out of it.
SENTENCE_END = re.compile(
    r"[.!?](?:\[footnoteRef:\d+\])?(?P<marker>\[\^?\d{1,3}\s*\]|<sup>\d{1,3}</sup>|\^\d{1,3}\^"
    r"|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|(?<=[^\W\d_][.!?])\d{1,3})?(?=\s|$)"
    # PDF text glues the next sentence on where a line ended: "komt studeren.In algemene zin".
    r"|(?<=[a-zà-ÿ\d]{2}[.!?])(?=[A-Z][a-zà-ÿ])"
)


def link_mentions(document: Document, index: LabelIndex) -> list[Mention]:
    """Every label occurrence, with the question or answer it stands in (binary search over
    the sections sorted by start). A name in a footnote's body belongs to the document, as a
    letter's footnotes at its end do; one in page furniture (the running head "Tweede Kamer,
    vergaderjaar ...") is no mention."""
    sections = sorted(
        [(s.span.start, s.span.end, "question", s.number) for s in document.questions]
        + [(s.span.start, s.span.end, "answer", s.number) for s in document.answers]
    )
    starts = [s[0] for s in sections]
    notes = _Stretches([f.span for f in document.footnotes])
    furniture = _Stretches(document.not_running_text)
    mentions = []
    for match in index.find(document.text):
        if notes.holds(match.start):
            kind, number = "document", 0
        elif furniture.holds(match.start):
            continue
        else:
            kind, number = _section_at(sections, starts, match.start)
        mentions.append(Mention(match.entity, Span(match.start, match.end), kind, number))
    return mentions


class _Stretches:
    """Spans of a text, merged, asked whether they hold an offset (by binary search)."""

    def __init__(self, spans: list[Span]) -> None:
        merged: list[list[int]] = []
        for span in sorted(spans, key=lambda s: s.start):
            if merged and span.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span.end)
            elif span.end > span.start:
                merged.append([span.start, span.end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def holds(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.ends[index]


def _section_at(sections: list, starts: list[int], offset: int) -> tuple[str, int]:
    """As ``Document.section_at``, for sections whose spans do not overlap (as every parser
    makes them): the last section starting at or before ``offset``, if it holds it."""
    index = bisect_right(starts, offset) - 1
    if index >= 0:
        start, end, kind, number = sections[index]
        if start <= offset < end:
            return kind, number
    return "document", 0


def sentences(text: str, start: int, end: int, hidden: list[Span] | None = None) -> Iterator[Span]:
    """Sentence spans within text[start:end]; a line break ends a sentence too, unless the
    line does not end one (a wrapped line of PDF text). Lines that start in ``hidden`` (page
    furniture, footnote bodies) neither end nor start a sentence."""
    skip = _Stretches(hidden or [])
    for para_start, para_end in _lines(text, start, end, skip):
        cursor = para_start
        for match in SENTENCE_END.finditer(text, para_start, para_end):
            word = re.search(r"([\w.]+)$", text[cursor : match.start()])
            if skip.holds(match.start()) or (
                word and word.group(1).lower().rstrip(".") in ABBREVIATIONS
            ):
                continue
            yield _trim(text, cursor, match.start("marker") if match["marker"] else match.end())
            cursor = match.end()
        if text[cursor:para_end].strip():
            yield _trim(text, cursor, para_end)


def _lines(text: str, start: int, end: int, skip: _Stretches) -> Iterator[tuple[int, int]]:
    """The non-blank lines of text[start:end], a line that does not end a sentence joined
    with the next (text extracted from a PDF wraps its lines), hidden lines passed over."""
    first = last = None
    for line in re.finditer(r"[ \t]*(\S[^\n]*)", text[start:end]):
        line_start, line_end = start + line.start(1), start + line.end()
        if skip.holds(line_start):
            continue
        first = line_start if first is None else first
        last = line_end
        if _wraps(text, line_start, line_end, end):
            continue
        yield first, line_end
        first = None
    if first is not None and last is not None:
        yield first, last


# A footnote marker ending a line ("informeren.[5 ]", "informeren.5"; not "nr. 3").
LINE_END_MARKER = re.compile(
    r"(?:\[\^?\d{1,3}\s*\]|<sup>\d{1,3}</sup>|\^\d{1,3}\^|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|(?<=[.?!»”\"])\d{1,3})$"
)


def _wraps(text: str, line_start: int, line_end: int, end: int) -> bool:
    """Whether a line goes on on the next line: it does not end in . ! ? : ; (before a
    closing quote or bracket, and a footnote marker), and the next line is not blank."""
    if not re.match(r"\n[ \t]*\S", text[line_end : min(end, line_end + 200)]):
        return False
    content = LINE_END_MARKER.sub("", text[line_start:line_end].rstrip()).rstrip()
    content = content.rstrip("»”\"')]") if content[-2:-1] in (".", "!", "?") else content
    return not content or content[-1] not in ".!?:;"


def _trim(text: str, start: int, end: int) -> Span:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk) - len(chunk.rstrip())
    return Span(start + left, end - right)


def find_commitments(document: Document) -> list[Commitment]:
    """The promises in the answers and in a notice's statement, one per sentence."""
    commitments: list[Commitment] = []
    statement = [document.statement] if document.statement else []
    for section in [*document.answers, *statement]:
        spans = sentences(
            document.text, section.span.start, section.span.end, document.not_running_text
        )
        for span in spans:
            sentence, words = running_text(document, span)
            timing, timing_span = _timing(sentence, span.start)
            if not promises(sentence, timing is not None):
                continue
            commitments.append(
                Commitment(
                    number=len(commitments) + 1,
                    text=clean(words),
                    span=span,
                    timing=timing,
                    timing_span=timing_span,
                    first_person=bool(re.search(r"\b(?:zal|zullen)\s+ik\b|\bik\s+zal\b", sentence)),
                )
            )
    return commitments


def promises(sentence: str, timed: bool) -> bool:
    """Whether a sentence promises parliament something (see FUTURE, INFORM, PARLIAMENT). A
    delivery in the past ("heb ik u geïnformeerd dat het kabinet ... zal") promises nothing."""
    sentence = PAST_DELIVERY.sub(" ", KAMER_GLUED.sub(" ", sentence))
    ahead = FUTURE.search(sentence) or (timed and PRESENT_DELIVERY.search(sentence))
    if not ahead:
        return False
    if INFORM.search(sentence) and PARLIAMENT.search(sentence):
        return True
    if REPORTING.search(sentence):  # reporting is to parliament: "hier jaarlijks over rapporteren"
        return True
    if re.search(r"\bvragen\b", sentence, re.IGNORECASE) and ANSWERING.search(sentence):
        return True
    return bool(IN_REPORT.search(sentence) and REPORT.search(sentence))


def running_text(document: Document, span: Span) -> tuple[str, str]:
    """A sentence's text twice: with the page furniture and footnote bodies a page break put
    inside it blanked (same offsets), and with them and converted footnote markers left out
    (its words). A letter's text has neither; its markers are cleaned by ``clean``."""
    markers = [] if document.form == "letter" else [f.marker for f in document.footnotes]
    cuts = sorted(
        (max(c.start, span.start), min(c.end, span.end))
        for c in [*document.not_running_text, *markers]
        if c.start < span.end and c.end > span.start
    )
    if not cuts:
        sentence = document.text[span.start : span.end]
        return sentence, sentence
    blanked, words, cursor = [], [], span.start
    for start, end in cuts:
        if start > cursor:
            piece = document.text[cursor:start]
            blanked.append(piece)
            words.append(piece)
        blanked.append(" " * (max(end, cursor) - max(start, cursor)))
        words.append(" " if start > cursor else "")
        cursor = max(cursor, end)
    blanked.append(document.text[cursor : span.end])
    words.append(document.text[cursor : span.end])
    return "".join(blanked), re.sub(r" +(?=[.,;:!?])", "", " ".join("".join(words).split()))


def _timing(sentence: str, offset: int) -> tuple[str | None, Span | None]:
    for pattern in TIMING_PATTERNS:
        match = pattern.search(sentence)
        if match:
            return match.group(0), Span(offset + match.start(), offset + match.end())
    return None, None


def extract(document: Document, index: LabelIndex) -> Document:
    document.mentions = link_mentions(document, index)
    document.commitments = find_commitments(document)
    return document
