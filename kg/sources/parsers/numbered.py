"""Older answers to written questions (before about 1995, OCR text): numbered, without
"Vraag N" / "Antwoord N" headings.

The form: the header ("Vragen van het lid X (Party) aan ... (Ingezonden <date>)"), the
questions numbered "1." ... "N." at the start of a line, one "Antwoord" heading (alone, or the
"Antwoord van Minister ..." line), then the answers numbered the same way. OCR glues a number
to its first word ("3Ja.") or loses it; a lost number is recovered from the order (the
paragraph between answers 2 and 4 is answer 3) and noted.

``Document.text`` is the source text; spans point into it as in the Aanhangsel text form.
"""

from __future__ import annotations

import re

from kg.errors import SourceError
from kg.sources.model import CrossReference, Document, ParseNote, Section, SourceText, Span
from kg.sources.parsers.aanhangsel_header import (
    document_identifier,
    parse_header,
)
from kg.sources.parsers.aanhangsel_layout import BLANK_LINE, trim
from kg.sources.parsers.cross_references import CROSS_REFERENCE, targets
from kg.sources.parsers.letter import _LineIndex

ANSWER_HEADING = re.compile(r"^[ \t]*Antwoord(?:[ \t]*:?[ \t]*$|[ \t]+van\b[^\n]*)", re.MULTILINE)
# "1. Tekst", "1) Tekst", "1 Tekst", glued by OCR "3Ja.", or the number on a line of its own
# (as the printed page set it in the margin).
ITEM = re.compile(
    r"^[ \t]*(\d{1,2})(?:[.)]?[ \t]*\n[ \t]*(?=[^\W\d_]|[«\"“„(])|[.)][ \t]*|[ \t]+|(?=[A-Z]))(?=\S)",
    re.MULTILINE,
)
HEADER = re.compile(r"^[ \t]*Vragen van\b", re.MULTILINE)


# What a document's identifier was expected in, when none is found.
IDENTIFIER_HINT = (
    "a running head such as 'ah-tk-19911992-523', a metadata.xml beside the file or a "
    "file name of that form; or give it with 'kg add --id ID'"
)


class NumberedParser:
    name = "aanhangsel-numbered"
    description = (
        "older answers to written questions (OCR text): questions numbered '1.', one "
        "'Antwoord' heading, answers numbered the same way"
    )

    def match(self, text: str) -> float:
        """Questions numbered 1 and 2 between the header and one "Antwoord" heading (less
        specific than "Vraag N" headings, which such a text may also hold)."""
        heading = ANSWER_HEADING.search(text)
        if not heading or not HEADER.search(text, 0, heading.start()):
            return 0.0
        before = [int(m.group(1)) for m in ITEM.finditer(text, 0, heading.start())]
        return 0.7 if 1 in before and 2 in before else 0.0

    def parse(self, source: SourceText) -> Document:
        path, text = source.path, source.text
        line_of = _LineIndex(text)
        notes: list[ParseNote] = []
        heading = ANSWER_HEADING.search(text)
        assert heading is not None  # match() found it
        header = HEADER.search(text)
        start = header.start() if header else 0
        first_item = next(ITEM.finditer(text, start, heading.start()), None)
        header_end = first_item.start() if first_item else heading.start()
        questions = self._items(text, header_end, heading.start(), "question", line_of, notes)
        answers = self._items(text, heading.end(), len(text), "answer", line_of, notes)
        if not questions:
            raise SourceError(path, "no numbered questions found before 'Antwoord'")
        document = Document(
            identifier=source.identifier
            or document_identifier(path, text, header_end, source.fallback, notes, IDENTIFIER_HINT),
            path=str(path),
            text=text,
            sha256=source.sha256,
            form=self.name,
            letter=parse_header(
                text[start:header_end] + " " + text[heading.start() : heading.end()]
            ),
            questions=questions,
            answers=answers,
            notes=notes,
        )
        self._note_unmatched(document, line_of)
        document.cross_references = list(self._cross_references(document))
        return document

    def _items(
        self,
        text: str,
        start: int,
        end: int,
        kind: str,
        line_of: _LineIndex,
        notes: list[ParseNote],
    ) -> list[Section]:
        """The numbered items in [start, end); a paragraph without a number between items N-1
        and N+1 is item N (its number lost), noted."""
        # Keep the numbers that continue the sequence (a "3" starting a line is not always one).
        items: list[tuple[int, int, int]] = []
        expected = 1
        for m in ITEM.finditer(text, start, end):
            number = int(m.group(1))
            if number == expected or (items and number == expected + 1):
                items.append((number, m.start(), m.end()))
                expected = number + 1
        sections = []
        for index, (number, _, text_start) in enumerate(items):
            item_end = items[index + 1][1] if index + 1 < len(items) else end
            if index + 1 < len(items) and items[index + 1][0] == number + 2:
                # A number lost between two items: its paragraph is the last of this one.
                item_end = trim(text, text_start, item_end).end
                gap = list(BLANK_LINE.finditer(text, text_start, item_end))
                if gap:
                    lost = trim(text, gap[-1].end(), item_end)
                    sections.append(self._section(text, number + 1, lost))
                    notes.append(
                        ParseNote(
                            "recovered-number",
                            line_of(lost.start),
                            f"{kind} {number + 1} has no number (lost in OCR); the paragraph "
                            f"between {kind}s {number} and {number + 2} was taken as it",
                            lost,
                        )
                    )
                    item_end = gap[-1].start()
            sections.append(self._section(text, number, trim(text, text_start, item_end)))
        return sorted(sections, key=lambda s: s.number)

    @staticmethod
    def _note_unmatched(document: Document, line_of: _LineIndex) -> None:
        asked = {q.number for q in document.questions}
        answered = {a.number for a in document.answers}
        for question in document.questions:
            if question.number not in answered:
                document.notes.append(
                    ParseNote(
                        "unanswered-question",
                        line_of(question.span.start),
                        f"question {question.number} has no numbered answer; it is kept "
                        "without an answer",
                        question.span,
                    )
                )
        for answer in [a for a in document.answers if a.number not in asked]:
            document.notes.append(
                ParseNote(
                    "answer-without-question",
                    line_of(answer.span.start),
                    f"answer {answer.number} has no question {answer.number}; it was left out",
                    answer.span,
                )
            )
        document.answers = [a for a in document.answers if a.number in asked]
        document.notes.sort(key=lambda n: (n.span.start, n.kind))

    @staticmethod
    def _section(text: str, number: int, span: Span) -> Section:
        cleaned = "\n\n".join(
            " ".join(line.strip() for line in para.split("\n") if line.strip())
            for para in BLANK_LINE.split(text[span.start : span.end])
            if para.strip()
        )
        return Section(number, cleaned, span)

    @staticmethod
    def _cross_references(document: Document):
        answered = {a.number for a in document.answers}
        seen: set[tuple[int, int]] = set()
        for answer in document.answers:
            for match in CROSS_REFERENCE.finditer(answer.text):
                for target in targets(match):
                    pair = (answer.number, target)
                    if target in answered and target != answer.number and pair not in seen:
                        seen.add(pair)
                        words = r"\s+".join(re.escape(w) for w in match.group(0).split())
                        found = re.compile(words).search(
                            document.text, answer.span.start, answer.span.end
                        )
                        span = Span(found.start(), found.end()) if found else answer.span
                        yield CrossReference(answer.number, target, span)
