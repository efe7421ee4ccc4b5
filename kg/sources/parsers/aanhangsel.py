"""Answers to written questions (Aanhangsel van de Handelingen) as plain text.

The form as extracted from the PDF (and its markdown-flavoured variants):

- a header block: "Vragen van het lid X (Party) aan de Minister van ... over ... (ingezonden
  <date>)", "Antwoord van Minister Y (Ministry) (ontvangen <date>)", sometimes "Zie ook
  Aanhangsel Handelingen ..."; lines may wrap; the "Antwoord van" line may also stand between
  the last question and the first answer;
- "Vraag N" / "Antwoord N" on lines of their own, optionally as markdown headings (``# ``) or in
  ``**bold**`` / ``_italics_``, or glued after page furniture on the same line; combined items
  "Vraag 4 en 5", "Antwoord 4, 5 en 6", "Antwoord 4 t/m 6";
- footnote markers glued to a word ("beleid3"), written as ``[3 ]`` / ``[3]``, as markdown
  ``[^3]``, or alone on a line; footnote bodies ("4 Motie Ceder, ...", or glued "4Motie ...")
  at the end of a page, or markdown definitions ``[^4]: ...`` on a line of their own;
- page furniture anywhere (``aanhangsel_layout``); a page break may cut a question or an
  answer in two, and may swallow a "Vraag N" heading.

Tolerance: what can be recovered is, and is recorded as a ``ParseNote`` on the document (a
heading found after furniture, a question whose heading was lost, an unanswered question, a
footnote without marker, an identifier taken from the file name). A document is refused only
when nothing question-and-answer-like is in it, or a number is asked twice.

The text: ``Document.text`` is the source text itself (normalised as every source: NFC, LF);
every span points into it. A section's span runs from after its heading to before the next
heading, so it can include page furniture and footnote bodies that stand inside it; its
``text`` is cleaned: no furniture, no footnote bodies or markers, no markdown emphasis, page
breaks inside a paragraph joined.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from kg.errors import SourceError
from kg.sources.identifiers import URL
from kg.sources.model import (
    Document,
    Footnote,
    ParseNote,
    Section,
    SourceText,
    Span,
)
from kg.sources.parsers.aanhangsel_footnotes import body_text, find_layout
from kg.sources.parsers.aanhangsel_header import (
    KV_HEAD,
    document_identifier,
    document_zaak,
    parse_header,
)
from kg.sources.parsers.aanhangsel_layout import (
    BLANK_LINE,
    HEADER_START,
    HEADING,
    INLINE_HEADING,
    Layout,
    clean,
    scan_lines,
    strip_markdown,
    trim,
)
from kg.sources.parsers.aanhangsel_recovery import answer_start, question_start
from kg.sources.parsers.cross_references import find_cross_references, numbers_in
from kg.sources.parsers.header import header_notes
from kg.sources.parsers.letter import _LineIndex
from kg.sources.parsers.numbering import answer_numbers, question_numbers

__all__ = ["HEADING", "AanhangselTextParser", "heading_numbers"]

heading_numbers = numbers_in
# A notice's own words after the questions it repeats: a line "Mededeling" on its own.
# The askers' explanation after their last question: "Toelichting: Deze vragen dienen ter
# aanvulling op eerdere vragen ..." (its own words, no question's).
EXPLANATION_HEADING = re.compile(r"^[ \t]*(?:\*\*)?Toelichting(?:\*\*)?[ \t]*:", re.M)
STATEMENT_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?Mededeling(?:\*\*)?[ \t]*:?[ \t]*$", re.M
)


def _combined(numbers: tuple[int, ...]) -> tuple[int, ...]:
    return numbers if len(numbers) > 1 else ()


KV_IDENTIFIER = re.compile(r"kv-tk-((?:19|20)\d{2}Z\d{5})")
GLUED_HEADING = re.compile(r"(?:Aanhangsel[ \t]*\d{0,4}|\d{4})(?:Vraag|Antwoord)[ \t]*\d")


# What a document's identifier was expected in, when none is found.
IDENTIFIER_HINT = (
    "a running head such as 'ah-tk-20232024-1234', a header block 'Vergaderjaar "
    "2023–2024 Aanhangsel van de Handelingen' with the number on a line of its own, a "
    "document number such as '2023D39037' on a line of its own, a DC.identifier in "
    "the markup or in a metadata.xml beside the file, or a file name of that form; or "
    "give it with 'kg add --id ID'"
)


@dataclass(frozen=True)
class _Heading:
    kind: str  # "question", "answer" or "header"
    numbers: tuple[int, ...]
    start: int  # start of the heading (the section's text follows it)
    end: int
    line: int
    how: str = "printed"  # "printed", "glued" (after furniture) or "recovered"


def _kind(header: str, answers: list[Section]) -> str:
    """A notice says "Mededeling van ..."; a document with answers is answers; else questions
    not yet answered (kv, also oral questions with nothing but their header)."""
    if re.search(r"\bMededeling\s+van\b", header):
        return "notice"
    return "answers" if answers or re.search(r"\bAntwoord\s+van\b", header) else "questions"


class AanhangselTextParser:
    name = "aanhangsel-text"
    description = (
        "answers to written questions (Aanhangsel) as text: 'Vraag N' and 'Antwoord N' "
        "headings, after a 'Vragen van ...' header"
    )

    def match(self, text: str) -> float:
        """'Vraag N' / 'Antwoord N' headings (0.8); less sure, the masthead of questions that
        have none (oral questions: the header alone) with a kv running head (0.6)."""
        if any(p.search(text) for p in (HEADING, GLUED_HEADING, INLINE_HEADING)):
            return 0.8
        return 0.6 if KV_HEAD.search(text) and HEADER_START.search(text) else 0.0

    def parse(self, source: SourceText) -> Document:
        return self.parse_as(source, self.name)

    def parse_as(self, source: SourceText, form: str) -> Document:
        """Parse ``source`` as a document of ``form``; the XML and HTML parsers render to this
        form and call this."""
        path, text = source.path, source.text
        line_of = _LineIndex(text)
        notes: list[ParseNote] = []
        furniture, line_headings = scan_lines(text)
        stops = sorted([f.span.start for f in furniture] + [h.start for h in line_headings])
        headings = self._headings(text, line_headings, stops, line_of, notes)
        layout = find_layout(text, furniture, [h.start for h in headings if h.kind != "header"])
        headings = self._recover_questions(path, text, headings, layout, line_of, notes)
        headings = self._recover_answers(text, headings, layout, line_of, notes)
        questions, answers, statement, explanation = self._sections(text, headings, layout, notes)
        first = min((h.start for h in headings if h.kind != "header"), default=len(text))
        header = " ".join(text[h.start : h.end] for h in headings if h.kind == "header")
        letter = parse_header(header)
        kind = _kind(header, answers)
        identifier = source.identifier or document_identifier(
            path, text, first, source.fallback, notes, IDENTIFIER_HINT, letter.received, kind
        )
        # Questions not yet answered are named by their case: "kv-tk-2024Z18438".
        named = KV_IDENTIFIER.fullmatch(identifier)
        zaak = document_zaak(text, first) or (named.group(1) if named else None)
        letter = dataclasses.replace(letter, zaak=zaak)
        document = Document(
            identifier=identifier,
            path=str(path),
            text=text,
            sha256=source.sha256,
            form=form,
            letter=letter,
            questions=questions,
            answers=answers,
            kind=kind,
            statement=statement,
            explanation=explanation,
        )
        if not (questions or statement or letter.askers):
            raise SourceError(
                path,
                "no questions found: the text has no 'Vraag N' heading, no question could be "
                "recovered and no header names who asked; expected answers to written "
                "questions, questions or a notice of delay",
            )
        header_spans = [h for h in headings if h.kind == "header"]
        if header_spans:
            header_span = Span(header_spans[0].start, header_spans[-1].end)
            notes.extend(header_notes(document, text, header_span))
        document.footnotes = self._footnotes(text, layout, line_of, notes)
        document.not_running_text = list(layout.breaks)
        document.cross_references = list(find_cross_references(document, line_of, notes))
        document.notes = sorted(notes, key=lambda n: (n.span.start, n.kind))
        return document

    # -- structure ---------------------------------------------------------------------------

    def _headings(
        self,
        text: str,
        found: list,
        stops: list[int],
        line_of: _LineIndex,
        notes: list[ParseNote],
    ) -> list[_Heading]:
        headings = []
        for h in found:
            heading = _Heading(
                h.kind,
                numbers_in(h.numbers_text),
                h.start,
                h.end,
                line_of(h.start),
                "glued" if h.glued else "printed",
            )
            headings.append(heading)
            if h.glued:
                label = text[h.start : h.end].strip()
                notes.append(
                    ParseNote(
                        "glued-heading",
                        heading.line,
                        f"heading '{label}' stood after page furniture on the same line; "
                        "the furniture was set aside and the heading read",
                        Span(h.start, h.end),
                    )
                )
        starts = [m.start() for m in HEADER_START.finditer(text)]
        for start in starts:
            # A header block runs to the first blank line, heading, furniture or next block.
            gap = BLANK_LINE.search(text, start)
            end = min(
                gap.start() if gap else len(text),
                next((s for s in stops if s > start), len(text)),
                next((s for s in starts if s > start), len(text)),
            )
            headings.append(_Heading("header", (), start, end, line_of(start)))
        for kind, pattern in (
            ("statement", STATEMENT_HEADING),
            ("explanation", EXPLANATION_HEADING),
        ):
            for match in pattern.finditer(text):
                line = line_of(match.start())
                headings.append(_Heading(kind, (0,), match.start(), match.end(), line))
        # Header blocks stand before the first answer; later such lines are running text.
        first_answer = min((h.start for h in headings if h.kind == "answer"), default=len(text))
        headings = [h for h in headings if h.kind != "header" or h.start < first_answer]
        return sorted(headings, key=lambda h: h.start)

    def _recover_questions(
        self,
        path: Path,
        text: str,
        headings: list[_Heading],
        layout: Layout,
        line_of: _LineIndex,
        notes: list[ParseNote],
    ) -> list[_Heading]:
        """A 'Vraag N' heading lost (at a page break): its question is the text before
        'Antwoord N' that follows the previous answer, found from the numbering and position."""
        result: list[_Heading] = []
        asked: set[int] = set()
        for heading in headings:
            if heading.kind == "question":
                asked.update(heading.numbers)
            missing = [n for n in heading.numbers if n not in asked]
            if heading.kind == "answer" and missing == list(heading.numbers):
                previous = next((h for h in reversed(result) if h.kind != "header"), None)
                after_header = previous is None
                region_start = previous.end if previous else (result[-1].end if result else 0)
                if previous is None or previous.kind == "answer":
                    start = question_start(
                        text, region_start, heading.start, layout, not after_header
                    )
                    if start is not None:
                        result.append(self._recovered(text, heading, start, line_of, notes))
                        asked.update(heading.numbers)
            result.append(heading)
        return result

    @staticmethod
    def _recover_answers(
        text: str,
        headings: list[_Heading],
        layout: Layout,
        line_of: _LineIndex,
        notes: list[ParseNote],
    ) -> list[_Heading]:
        """An 'Antwoord N' heading lost (at a page break): in a document with answers, a
        question that no answer covers, followed by the next question or the end, holds its
        answer after its asking paragraphs."""
        answered = {n for h in headings if h.kind == "answer" for n in h.numbers}
        if not answered:
            return headings  # the questions alone (no answer printed): nothing to recover
        result: list[_Heading] = []
        for index, heading in enumerate(headings):
            result.append(heading)
            following = next((h for h in headings[index + 1 :] if h.kind != "header"), None)
            if heading.kind != "question" or answered & set(heading.numbers):
                continue
            if following is not None and following.kind != "question":
                continue  # an unanswered question (noted), or one answered further on
            end = following.start if following else len(text)
            start = answer_start(text, heading.end, end, layout)
            if start is None:
                continue
            numbers = " en ".join(map(str, heading.numbers))
            line = line_of(start)
            notes.append(
                ParseNote(
                    "recovered-heading",
                    line,
                    f"no 'Antwoord {numbers}' heading after 'Vraag {numbers}' (line "
                    f"{heading.line}); the text from line {line} up to the next question was "
                    f"taken as answer {numbers}",
                    trim(text, start, end),
                )
            )
            result.append(_Heading("answer", heading.numbers, start, start, line, "recovered"))
        return result

    @staticmethod
    def _recovered(
        text: str, answer: _Heading, start: int, line_of: _LineIndex, notes: list[ParseNote]
    ) -> _Heading:
        numbers = " en ".join(map(str, answer.numbers))
        line = line_of(start)
        notes.append(
            ParseNote(
                "recovered-heading",
                line,
                f"no 'Vraag {numbers}' heading before 'Antwoord {numbers}' (line {answer.line}); "
                f"the text from line {line} up to it was taken as question {numbers}",
                trim(text, start, answer.start),
            )
        )
        return _Heading("question", answer.numbers, start, start, line, "recovered")

    def _sections(
        self, text: str, headings: list[_Heading], layout: Layout, notes: list[ParseNote]
    ) -> tuple[list[Section], list[Section], Section | None, Section | None]:
        questions: list[Section] = []
        answers: list[Section] = []
        statement: Section | None = None
        explanation: Section | None = None
        asked: list[int] = []
        answered: set[int] = set()
        line_asked: dict[int, int] = {}  # number -> line of the question that asks it
        for index, heading in enumerate(headings):
            if heading.kind == "header":
                continue
            end = headings[index + 1].start if index + 1 < len(headings) else len(text)
            span = trim(text, heading.end, end)
            cleaned = clean(text, span, layout)
            label = f"{heading.kind} " + " en ".join(map(str, heading.numbers))
            if not cleaned:
                notes.append(
                    ParseNote(
                        "empty-section",
                        heading.line,
                        f"{label} has no text after its heading; it was left out",
                        Span(heading.start, heading.end),
                    )
                )
                continue
            where = Span(heading.start, heading.end)
            if heading.kind == "explanation":
                explanation = Section(0, cleaned, span)
            elif heading.kind == "statement":
                statement = Section(0, cleaned, span)
            elif heading.kind == "question":
                numbers = question_numbers(heading.numbers, heading.line, where, asked, notes)
                asked.extend(numbers)
                line_asked.update((n, heading.line) for n in numbers)
                questions.append(Section(numbers[0], cleaned, span, _combined(numbers)))
            else:
                numbers = answer_numbers(
                    heading.numbers, heading.line, where, asked, answered, notes
                )
                if numbers:
                    answered.update(numbers)
                    answers.append(Section(numbers[0], cleaned, span, _combined(numbers)))
        if answers:
            self._note_unanswered(questions, answers, line_asked, notes)
        return questions, answers, statement, explanation

    @staticmethod
    def _note_unanswered(
        questions: list[Section],
        answers: list[Section],
        asked: dict[int, int],
        notes: list[ParseNote],
    ) -> None:
        answered = {n for a in answers for n in a.covers}
        for question in questions:
            for number in question.covers:
                if number not in answered:
                    notes.append(
                        ParseNote(
                            "unanswered-question",
                            asked[number],
                            f"question {number} has no 'Antwoord {number}'; it is kept "
                            "without an answer",
                            question.span,
                        )
                    )
        numbers = sorted(asked)
        for before, after in pairwise(numbers):
            if after > before + 1:
                notes.append(
                    ParseNote(
                        "numbering-gap",
                        asked[after],
                        f"question numbers jump from {before} to {after}; accepted as printed",
                        next(q.span for q in questions if after in q.covers),
                    )
                )

    # -- identifier --------------------------------------------------------------------------

    # -- footnotes and references ------------------------------------------------------------

    def _footnotes(
        self, text: str, layout: Layout, line_of: _LineIndex, notes: list[ParseNote]
    ) -> list[Footnote]:
        footnotes = []
        for number in sorted(layout.bodies):
            body = layout.bodies[number]
            raw = text[body.start : body.end]
            content = body_text(raw, number)
            content = " ".join(strip_markdown(content).split())
            marker = layout.markers.get(number)
            if marker is None:
                marker = Span(body.start, body.start)
                notes.append(
                    ParseNote(
                        "footnote-without-marker",
                        line_of(body.start),
                        f"footnote {number} has no marker in the text; it is kept, placed "
                        "where its body stands",
                        body,
                    )
                )
            footnotes.append(
                Footnote(number, content, body, marker, urls=tuple(URL.findall(content)))
            )
        return footnotes
