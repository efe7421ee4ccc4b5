"""The ministry's own documents, as text: the .docx answer sent to the Kamer before the
Aanhangsel prints it, the .docx notice of delay, and the .docx questions not yet answered.

The form (one paragraph a line, as python-docx gives them; numbering and Word footnotes dropped):

- a header: "AH 610" (the coming Aanhangsel number), the case number "2024Z15078" (typed
  "2024Z 17972" too), "Antwoord van minister ... (ontvangen ...)" or "Mededeling van ...",
  "Zie ook ..."; questions instead have "(ingezonden ...)" and "Vragen van ... over ...";
- then blocks in whatever style the ministry's writer used. Headings are recognised by their
  role, not their spelling: a question heading ("Vraag 1", "Vragen 3 en 4", a number alone on a
  line, or "1." in front of the question's text), an answer heading ("Antwoord", "Antwoord 1",
  "Antwoord op vraag 3 en 4", "Antwoord vragen 1,2,3,4 en 5", "Antwoord:"), and the numbers
  each covers. A bare "Antwoord" answers the questions asked since the previous answer; a
  question without a number takes the next one;
- typed footnotes at the end ("1) Kamerstuk ...", "[1] Website ..."), after a rule of
  underscores or not, marked "1)" or "[1]" in the text; a "Toelichting: ..." of the askers.

Questions without answers whose numbering Word dropped are one paragraph each, numbered by
position. A notice's paragraphs are its statement (where its promise to answer stands).

Accepted and noted (``ParseNote``): a number printed twice (numbered by position, see
``numbering``), an answer whose numbers name no question waiting for one, a question without an
answer, a missing signer or date.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from kg.errors import SourceError
from kg.sources.model import (
    CoverLetter,
    Document,
    ParseNote,
    Section,
    SourceText,
    Span,
)
from kg.sources.parsers.aanhangsel_header import (
    AH_LINE,
    ZAAK_LINE,
    document_identifier,
    parse_header,
)
from kg.sources.parsers.cross_references import find_cross_references, numbers_in
from kg.sources.parsers.header import asked_in_statement, header_notes
from kg.sources.parsers.letter import _LineIndex
from kg.sources.parsers.numbering import answer_numbers, question_numbers
from kg.sources.parsers.typed_footnotes import is_body, typed_footnotes

BLANK = r"[ \t\u00a0]"
NUMBER_LIST = rf"\d{{1,3}}(?:{BLANK}*(?:,|en|t/m|tot en met|-|–){BLANK}*\d{{1,3}})*"
QUESTION_HEADING = re.compile(
    rf"{BLANK}*(?:Vraag|Vragen){BLANK}*(?P<numbers>{NUMBER_LIST})?{BLANK}*[:.]?{BLANK}*"
)
ANSWER_HEADING = re.compile(
    rf"{BLANK}*(?:Antwoord|Antwoorden|Beantwoording)"
    rf"(?:{BLANK}+(?:op|van|bij)?{BLANK}*(?:de{BLANK}+)?(?:vraag|vragen))?"
    rf"{BLANK}*(?P<numbers>{NUMBER_LIST})?{BLANK}*[:.]?{BLANK}*"
)
# A heading with its text on the same line: "Vraag 1: Bent u ...", "Antwoord 1. Ja, ...",
# "Antwoord: Ja." (a colon or a full stop after the heading, then the text).
INLINE_QUESTION = re.compile(
    rf"{BLANK}*(?:Vraag|Vragen){BLANK}*(?P<numbers>{NUMBER_LIST}){BLANK}*[:.]{BLANK}+(?=\S)"
)
INLINE_ANSWER = re.compile(
    rf"{BLANK}*(?:Antwoord|Antwoorden|Beantwoording)"
    rf"(?:{BLANK}+(?:op|van|bij)?{BLANK}*(?:de{BLANK}+)?(?:vraag|vragen))?"
    rf"(?:{BLANK}*(?P<numbers>{NUMBER_LIST}){BLANK}*[:.]|{BLANK}*:){BLANK}+(?=\S)"
)
NUMBER_ALONE = re.compile(rf"{BLANK}*(?P<numbers>\d{{1,3}}){BLANK}*[.)]?{BLANK}*")
NUMBERED_TEXT = re.compile(rf"{BLANK}*(?P<numbers>\d{{1,3}})[.)]{BLANK}+(?=\S)")
HEADER_LINE = re.compile(
    r"[ \t]*(?:AH[ \t]*\d{1,5}|(?:19|20)\d{2}Z[ \t]?\d{5}|\(\s*[Ii]ngezonden\b.*"
    r"|(?:Mondelinge\s+)?[Vv]ragen\s+van\b.*|(?:Antwoord|Mededeling)\s+van\b.*|Zie\s+ook\b.*)"
)
# Typed footnotes at the end: "1) Kamerstuk 19637, nr. 3203", "[1] Website Follow the Money".
RULE = re.compile(r"[ \t]*[_\-–—=]{5,}[ \t]*")
EXPLANATION = re.compile(r"[ \t]*Toelichting\s*:")
IDENTIFIER_HINT = (
    "an 'AH 610' line and the received date in 'Antwoord van ... (ontvangen ...)', a case "
    "number such as '2024Z18885' on a line of its own (for questions), a DC.identifier in a "
    "metadata.xml beside the file, or a file name of that form; or give it with "
    "'kg add --id ID'"
)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    number: int  # 1-based


@dataclass
class _Block:
    kind: str  # "question" or "answer"
    numbers: tuple[int, ...] | None  # as printed; None when the heading gives none
    line: _Line  # the heading's line (or the first line of an unheaded question)
    text_start: int  # where the block's own text begins
    end: int = 0


class MinistryTextParser:
    name = "ministry-text"
    description = (
        "the ministry's .docx answer, notice or questions as text: an 'AH 610' or case-number "
        "line, a header, then questions and answers in any heading style"
    )

    def match(self, text: str) -> float:
        """Certain but for markup: the ministry's text opens with its "AH 610" or case-number
        line (the published PDF has the case number too, but under the masthead)."""
        first = next((line for line in text.split("\n", 20) if line.strip()), "")
        return 0.9 if AH_LINE.fullmatch(first) or ZAAK_LINE.fullmatch(first) else 0.0

    def parse(self, source: SourceText) -> Document:
        path, text = source.path, source.text
        line_of = _LineIndex(text)
        lines = _lines(text)
        notes: list[ParseNote] = []
        header_end = _header_end(text, lines)
        body_end, notes_start, explanation = _trailer(text, lines, header_end)
        letter = parse_header(text[:header_end])
        kind = _kind(text, lines, header_end, body_end)
        document = Document(
            identifier=source.identifier or "",
            path=str(path),
            text=text,
            sha256=source.sha256,
            form=self.name,
            letter=letter,
            kind=kind,
            explanation=explanation,
        )
        body = [line for line in lines if header_end <= line.start < body_end]
        document.footnotes = typed_footnotes(
            text,
            [(line.start, line.end) for line in lines if line.start >= notes_start],
            Span(header_end, body_end),
            line_of,
            notes,
        )
        hidden = [f.marker for f in document.footnotes]
        if kind == "notice":
            document.statement = _statement(text, body, hidden)
            if document.statement and not letter.askers:
                document.letter = _asked_per_statement(letter, document.statement)
        else:
            blocks = _blocks(text, body)
            document.questions, document.answers = _sections(text, blocks, hidden, notes)
            _note_unanswered(document, notes)
        if not (document.questions or document.statement or letter.askers or letter.zaak):
            raise SourceError(
                path,
                "nothing of a Kamervragen document was found: no questions, no notice and no "
                "header naming askers or a case; expected the ministry's answer, notice or "
                "questions",
            )
        document.identifier = source.identifier or document_identifier(
            path,
            text,
            header_end,
            source.fallback,
            notes,
            IDENTIFIER_HINT,
            received=letter.received,
            kind=kind,
        )
        notes.extend(header_notes(document, text, Span(0, header_end)))
        document.cross_references = list(find_cross_references(document, line_of, notes))
        document.notes = sorted(notes, key=lambda n: (n.span.start, n.kind))
        return document


# -- lines, header and trailer --------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    spans = [
        (m.start(), m.end())
        for m in re.finditer(r"[^\n]*", text)
        if not (m.start() == m.end() and m.start() > 0 and text[m.start() - 1] != "\n")
    ]
    return [_Line(start, end, number) for number, (start, end) in enumerate(spans, start=1)]


def _blank(text: str, line: _Line) -> bool:
    return not text[line.start : line.end].strip(" \t\u00a0")


def _header_end(text: str, lines: list[_Line]) -> int:
    """Where the header ends: at the first line that is no header line (AH number, case
    number, dates, the questions', answer's or notice's line, "Zie ook")."""
    for line in lines:
        if _blank(text, line) or HEADER_LINE.fullmatch(text, line.start, line.end):
            continue
        return line.start
    return len(text)


def _trailer(text: str, lines: list[_Line], header_end: int) -> tuple[int, int, Section | None]:
    """(where the body ends, where the footnote bodies start, the askers' "Toelichting"): read
    upward from the end over blank lines, rules, footnote bodies and the Toelichting."""
    body_end = notes_start = len(text)
    explanation = None
    for line in reversed(lines):
        if line.start < header_end:
            break
        if _blank(text, line):
            continue
        if RULE.fullmatch(text, line.start, line.end):
            body_end = line.start
        elif is_body(text, line.start, line.end):
            notes_start = body_end = line.start
        elif EXPLANATION.match(text, line.start, line.end):
            word = EXPLANATION.match(text, line.start, line.end)
            assert word is not None
            span = _trim(text, word.end(), line.end)
            explanation = Section(0, " ".join(text[span.start : span.end].split()), span)
            body_end = line.start
        else:
            break
    return body_end, notes_start, explanation


def _kind(text: str, lines: list[_Line], header_end: int, body_end: int) -> str:
    header = text[:header_end]
    if re.search(r"^[ \t]*Mededeling\s+van\b", header, re.MULTILINE):
        return "notice"
    if re.search(r"^[ \t]*Antwoord\s+van\b", header, re.MULTILINE):
        return "answers"
    body = [line for line in lines if header_end <= line.start < body_end]
    if any(ANSWER_HEADING.fullmatch(text, line.start, line.end) for line in body):
        return "answers"
    return "questions"


# -- blocks ---------------------------------------------------------------------------------


def _heading(text: str, line: _Line) -> tuple[str, tuple[int, ...] | None, int] | None:
    """(kind, numbers, where the block's text starts) when the line is a heading, alone on its
    line or with the text after it."""
    for kind, alone, inline in (
        ("question", QUESTION_HEADING, INLINE_QUESTION),
        ("answer", ANSWER_HEADING, INLINE_ANSWER),
    ):
        match = alone.fullmatch(text, line.start, line.end)
        start = line.end
        if match is None:
            match = inline.match(text, line.start, line.end)
            start = match.end() if match else start
        if match:
            numbers = numbers_in(match.group("numbers")) if match.group("numbers") else None
            return kind, numbers, start
    return None


def _blocks(text: str, body: list[_Line]) -> list[_Block]:
    """The question and answer blocks of the body, by the style of question heading it uses:
    "Vraag N" headings, numbers ("1" alone, "1. text"), or none (a question a paragraph)."""
    headings = [(line, h) for line in body if (h := _heading(text, line))]
    if any(h[0] == "question" for _, h in headings):
        return _headed_blocks(text, body)
    if _numbered_style(text, body):
        return _numbered_blocks(text, body)
    return _paragraph_blocks(text, body)


def _headed_blocks(text: str, body: list[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in body:
        heading = _heading(text, line)
        if heading:
            blocks.append(_Block(heading[0], heading[1], line, heading[2]))
    return _close(blocks, body, text)


def _numbered_style(text: str, body: list[_Line]) -> bool:
    """Whether questions are introduced by their number ("1" alone, or "1. Kunt u ..."): the
    body opens with number 1, or its first such number is 1 and 2 follows."""
    numbered = [
        (line, int(m.group("numbers")))
        for line in body
        if (m := NUMBER_ALONE.fullmatch(text, line.start, line.end))
        or (m := NUMBERED_TEXT.match(text, line.start, line.end))
    ]
    if not numbered or numbered[0][1] != 1:
        return False
    first = next(line for line in body if not _blank(text, line))
    return first is numbered[0][0] or 2 in [n for _, n in numbered]


def _numbered_blocks(text: str, body: list[_Line]) -> list[_Block]:
    """Questions introduced by their number; a number is a question's only when it is the next
    one due and a question follows (a list inside an answer restarts at 1 and is text)."""
    blocks: list[_Block] = []
    asked = 0
    for index, line in enumerate(body):
        heading = _heading(text, line)
        if heading and heading[0] == "answer":
            blocks.append(_Block("answer", heading[1], line, heading[2]))
            continue
        alone = NUMBER_ALONE.fullmatch(text, line.start, line.end)
        inline = NUMBERED_TEXT.match(text, line.start, line.end)
        found = alone or inline
        if found and int(found.group("numbers")) == asked + 1 and _asks(text, body, index):
            asked += 1
            start = line.end if alone else found.end()
            blocks.append(_Block("question", (asked,), line, start))
    return _close(blocks, body, text)


def _asks(text: str, body: list[_Line], index: int) -> bool:
    """Whether the lines from ``index`` up to the next answer heading hold a question mark."""
    for line in body[index:]:
        if line is not body[index] and _heading(text, line):
            break
        if "?" in text[line.start : line.end]:
            return True
    return False


def _paragraph_blocks(text: str, body: list[_Line]) -> list[_Block]:
    """Questions whose numbering Word dropped: a paragraph starts a question once the one
    before has asked something (a lead-in or a question's first half continues it); after an
    answer heading, the answer runs to the next heading or to a paragraph that asks something
    right before the next answer heading (the next question)."""
    blocks: list[_Block] = []
    for line in body:
        if _blank(text, line):
            continue
        heading = _heading(text, line)
        if heading and heading[0] == "answer":
            blocks.append(_Block("answer", heading[1], line, heading[2]))
            continue
        previous = blocks[-1] if blocks else None
        if previous and previous.kind == "answer" and not _asks_before_answer(text, body, line):
            continue
        if previous and previous.kind == "question" and not _asked(text, previous, line):
            continue
        blocks.append(_Block("question", None, line, line.start))
    # A paragraph that never asks anything is no question (a memo, a stray note).
    closed = _close(blocks, body, text)
    return [b for b in closed if b.kind == "answer" or "?" in text[b.text_start : b.end]]


def _asks_before_answer(text: str, body: list[_Line], line: _Line) -> bool:
    """Whether a paragraph after an answer starts the next questions: it and every paragraph
    up to the next answer heading ask something."""
    for following in (n for n in body if n.start >= line.start and not _blank(text, n)):
        heading = _heading(text, following)
        if heading is not None:
            return heading[0] == "answer" and following is not line
        if not text[following.start : following.end].rstrip().endswith("?"):
            return False
    return False


def _asked(text: str, block: _Block, before: _Line) -> bool:
    return "?" in text[block.text_start : before.start]


def _close(blocks: list[_Block], body: list[_Line], text: str) -> list[_Block]:
    end = body[-1].end if body else 0
    for block, following in zip(blocks, [*blocks[1:], None], strict=True):
        block.end = following.line.start if following else end
    return blocks


# -- sections -------------------------------------------------------------------------------


def _sections(
    text: str, blocks: list[_Block], hidden: list[Span], notes: list[ParseNote]
) -> tuple[list[Section], list[Section]]:
    questions: list[Section] = []
    answers: list[Section] = []
    asked: list[int] = []
    answered: set[int] = set()
    for block in blocks:
        span = _trim(text, block.text_start, block.end)
        cleaned = _clean(text, span, hidden)
        if not cleaned:
            notes.append(
                ParseNote(
                    "empty-section",
                    block.line.number,
                    f"a {block.kind} heading has no text after it; it was left out",
                    Span(block.line.start, block.line.end),
                )
            )
            continue
        where = Span(block.line.start, block.line.end)
        if block.kind == "question":
            numbers = question_numbers(block.numbers, block.line.number, where, asked, notes)
            asked.extend(numbers)
            questions.append(Section(numbers[0], cleaned, span, _combined(numbers)))
        else:
            numbers = answer_numbers(
                block.numbers, block.line.number, where, asked, answered, notes
            )
            if numbers:
                answered.update(numbers)
                answers.append(Section(numbers[0], cleaned, span, _combined(numbers)))
    return questions, answers


def _combined(numbers: tuple[int, ...]) -> tuple[int, ...]:
    return numbers if len(numbers) > 1 else ()


def _statement(text: str, body: list[_Line], hidden: list[Span]) -> Section | None:
    lines = [line for line in body if not _blank(text, line)]
    if not lines:
        return None
    span = Span(lines[0].start, lines[-1].end)
    return Section(0, _clean(text, span, hidden), span)


def _asked_per_statement(letter: CoverLetter, statement: Section) -> CoverLetter:
    """A notice's header names no askers: its statement does ("Op 6 november jl. hebben de
    leden ... vragen gesteld")."""
    askers, submitted = asked_in_statement(statement.text, letter.received)
    return dataclasses.replace(
        letter,
        askers=askers,
        member=askers[0][0] if askers else None,
        party=askers[0][1] if askers else None,
        submitted=letter.submitted or submitted,
    )


def _trim(text: str, start: int, end: int) -> Span:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk) - len(chunk.rstrip())
    return Span(start + left, max(start + left, end - right))


def _clean(text: str, span: Span, hidden: list[Span]) -> str:
    """A block's running text: its paragraphs (one a line) separated by blank lines, footnote
    markers left out."""
    pieces, cursor = [], span.start
    for cut in sorted(hidden, key=lambda s: s.start):
        if cut.end <= span.start or cut.start >= span.end:
            continue
        pieces.append(text[cursor : max(cursor, cut.start)])
        cursor = max(cursor, cut.end)
    pieces.append(text[cursor : span.end])
    paragraphs = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n\n".join(re.sub(r" +(?=[.,;:?!])", "", p) for p in paragraphs if p)


# -- notes ------------------------------------------------------------------------------------


def _note_unanswered(document: Document, notes: list[ParseNote]) -> None:
    if document.kind != "answers":
        return
    answered = {n for a in document.answers for n in a.covers}
    for question in document.questions:
        missing = [n for n in question.covers if n not in answered]
        if missing:
            notes.append(
                ParseNote(
                    "unanswered-question",
                    document.line_of(question.span.start),
                    f"question {' en '.join(map(str, missing))} has no answer; it is kept "
                    "without one",
                    question.span,
                )
            )
