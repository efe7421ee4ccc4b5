"""The letter form: a minister's letter with written answers to numbered questions.

The form of 2026D32673 as converted from the original document:

- an optional stray first line left by the conversion;
- a cover letter ("Geachte Voorzitter, ... het lid Dassen (VOLT) ... Commissiedebat Innovatie van
  25 juni ..."), a signature (name, then post) and the document number on a line of its own;
- per question a line holding only its number, the question paragraph, an optional "Antwoord"
  heading (possibly with trailing spaces), then the answer up to the next number line;
- footnote markers ``[footnoteRef:N]`` inline and footnote bodies ``[N: ...]`` after the
  paragraph that holds the marker (several may stand together on one line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.errors import SourceError
from kg.sources.model import (
    CoverLetter,
    CrossReference,
    Document,
    Footnote,
    Section,
    SourceText,
    Span,
)
from kg.sources.parsers.cross_references import CROSS_REFERENCE, elsewhere, targets
from kg.sources.text import MONTH_NUMBER

NUMBER_LINE = re.compile(r"^[ \t]*(\d{1,3})[ \t]*$", re.MULTILINE)
ANSWER_HEADING = re.compile(r"^[ \t]*Antwoord[ \t]*$", re.MULTILINE)
DOCUMENT_NUMBER = re.compile(r"^[ \t]*(\d{4}D\d{4,6})[ \t]*$", re.MULTILINE)
MARKER = re.compile(r"\[footnoteRef:(\d+)\]")
BODY = re.compile(r"\[(\d+):[ \t\u00a0]+(.*?)[ \t\u00a0]*\](?=[ \t\u00a0]*(?:\[\d+:|\n|$))")
URL = re.compile(r"https?://[^\s\]]+")
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
MEMBER = re.compile(r"het lid (?P<member>[A-Z][\w'\-]*(?: [A-Z][\w'\-]*)*) \((?P<party>[^)]+)\)")
ON_BEHALF = re.compile(r"mede namens (?:de |het )?(?P<post>[^,]+),")
MEETING = re.compile(
    r"tijdens het (?P<meeting>[Cc]ommissiedebat [\w\- ]+?)\s+van\s+(?P<day>\d{1,2})\s+(?P<month>[a-z]+)"
)
POST_LINE = re.compile(r"^[ \t]*((?:Minister|Staatssecretaris|Minister-president)\b.*?)[ \t]*$")
SALUTATION = re.compile(r"Geachte (?P<addressee>[^,\n]+),")
MONTHS = MONTH_NUMBER  # "juni" -> 6


@dataclass(frozen=True)
class _Block:
    number: int
    heading_line: int
    start: int  # just after the number line
    end: int  # the start of the next number line, or the end of the text


def _nonblank_span(text: str, start: int, end: int) -> Span:
    """The span from the first to the last non-blank character within [start, end)."""
    chunk = text[start:end]
    stripped_left = len(chunk) - len(chunk.lstrip())
    stripped_right = len(chunk) - len(chunk.rstrip())
    return Span(start + stripped_left, max(start + stripped_left, end - stripped_right))


def clean(text: str) -> str:
    """Section text without footnote markers and bodies, paragraphs joined by blank lines."""
    text = BODY.sub("", MARKER.sub("", text))
    paragraphs = [
        " ".join(line.strip() for line in para.split("\n") if line.strip())
        for para in BLANK_LINE.split(text)
    ]
    return "\n\n".join(re.sub(r"[ \t]{2,}", " ", p) for p in paragraphs if p)


class LetterParser:
    name = "letter"
    description = (
        "a letter with numbered questions, each on a line holding only its number, "
        "followed by its answer"
    )

    def match(self, text: str) -> float:
        """The least specific evidence: lines holding only a number from 1, and a document
        number (an Aanhangsel's page numbers and running head can imitate both)."""
        numbers = [int(m.group(1)) for m in NUMBER_LINE.finditer(text)]
        letter = bool(numbers) and numbers[0] == 1 and DOCUMENT_NUMBER.search(text) is not None
        return 0.5 if letter else 0.0

    def parse(self, source: SourceText) -> Document:
        path, text = source.path, source.text
        line_of = _LineIndex(text)
        blocks = list(self._blocks(path, text, line_of))
        cover_end = blocks[0].start if blocks else len(text)
        identifier = source.identifier or self._identifier(
            path, text, cover_end, source.fallback, line_of
        )
        document = Document(
            identifier=identifier,
            path=str(path),
            text=text,
            sha256=source.sha256,
            form=self.name,
            letter=self._cover_letter(text[:cover_end], identifier),
        )
        for block in blocks:
            question, answer = self._split_block(path, text, block, line_of)
            document.questions.append(question)
            document.answers.append(answer)
        document.footnotes = self._footnotes(path, text, line_of)
        document.cross_references = list(self._cross_references(path, document, line_of))
        return document

    # -- structure ---------------------------------------------------------------------------

    def _blocks(self, path: Path, text: str, line_of: _LineIndex) -> Iterator[_Block]:
        headings = list(NUMBER_LINE.finditer(text))
        if not headings:
            raise SourceError(path, "no questions found; expected a line holding only '1'")
        for index, match in enumerate(headings):
            number = int(match.group(1))
            expected = index + 1
            line = line_of(match.start())
            if number != expected:
                raise SourceError(
                    path,
                    f"question numbering is broken: found question {number}, "
                    f"expected question {expected}",
                    line=line,
                )
            end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
            yield _Block(number, line, match.end(), end)

    def _split_block(
        self, path: Path, text: str, block: _Block, line_of: _LineIndex
    ) -> tuple[Section, Section]:
        heading = ANSWER_HEADING.search(text, block.start, block.end)
        if heading:
            question_end, answer_start = heading.start(), heading.end()
        else:
            # No "Antwoord" heading (answer 2 of the seed): the question is the first paragraph.
            first = _nonblank_span(text, block.start, block.end)
            gap = BLANK_LINE.search(text, first.start, block.end)
            question_end = gap.start() if gap else block.end
            answer_start = gap.end() if gap else block.end
        question_span = _nonblank_span(text, block.start, question_end)
        answer_span = _nonblank_span(text, answer_start, block.end)
        question_text = clean(text[question_span.start : question_span.end])
        answer_text = clean(text[answer_span.start : answer_span.end])
        if not question_text:
            raise SourceError(
                path,
                f"question {block.number} has no text; expected the question after its number",
                line=block.heading_line,
            )
        if not answer_text:
            raise SourceError(
                path,
                f"question {block.number} has no answer; expected an 'Antwoord' heading "
                "or an answer paragraph before the next question",
                line=block.heading_line,
            )
        return (
            Section(block.number, question_text, question_span),
            Section(block.number, answer_text, answer_span),
        )

    def _identifier(
        self, path: Path, text: str, cover_end: int, fallback: str | None, line_of: _LineIndex
    ) -> str:
        match = DOCUMENT_NUMBER.search(text, 0, cover_end)
        if not match and fallback:
            return fallback
        if not match:
            raise SourceError(
                path,
                "no document number found before question 1; expected a line such as '2026D32673'",
                line=line_of(cover_end),
            )
        return match.group(1)

    def _cover_letter(self, cover: str, identifier: str) -> CoverLetter:
        member = MEMBER.search(cover)
        behalf = ON_BEHALF.search(cover)
        meeting = MEETING.search(cover)
        salutation = SALUTATION.search(cover)
        sender_name = sender_post = None
        lines = cover.split("\n")
        for index, line in enumerate(lines):
            post = POST_LINE.match(line)
            if post and index > 0 and lines[index - 1].strip():
                sender_name, sender_post = lines[index - 1].strip(), post.group(1)
                break
        meeting_date = None
        if meeting and meeting.group("month") in MONTHS and identifier[:4].isdigit():
            # The letter writes "25 juni jl." without a year: "jl." (last) means the year of
            # the document, which the document number starts with (2026D32673).
            meeting_date = date(
                int(identifier[:4]), MONTHS[meeting.group("month")], int(meeting.group("day"))
            )
        return CoverLetter(
            sender_name=sender_name,
            sender_post=sender_post,
            on_behalf_of=behalf.group("post").strip() if behalf else None,
            addressee=salutation.group("addressee").strip() if salutation else None,
            member=member.group("member") if member else None,
            party=member.group("party") if member else None,
            meeting=meeting.group("meeting") if meeting else None,
            meeting_date=meeting_date,
        )

    # -- footnotes and references ------------------------------------------------------------

    def _footnotes(self, path: Path, text: str, line_of: _LineIndex) -> list[Footnote]:
        markers: dict[int, Span] = {}
        for match in MARKER.finditer(text):
            number = int(match.group(1))
            if number in markers:
                raise SourceError(
                    path, f"footnote marker {number} appears twice", line=line_of(match.start())
                )
            markers[number] = Span(match.start(), match.end())
        bodies = {int(m.group(1)): m for m in BODY.finditer(text)}
        for number, span in markers.items():
            if number not in bodies:
                raise SourceError(
                    path,
                    f"footnote marker [footnoteRef:{number}] has no body; "
                    f"expected '[{number}: ...]' after the paragraph",
                    line=line_of(span.start),
                )
        for number, body in bodies.items():
            if number not in markers:
                raise SourceError(
                    path,
                    f"footnote body [{number}: ...] has no marker; "
                    f"expected '[footnoteRef:{number}]' in the text before it",
                    line=line_of(body.start()),
                )
        footnotes = []
        for number in sorted(markers):
            body = bodies[number]
            content = body.group(2).strip()
            footnotes.append(
                Footnote(
                    number=number,
                    text=content,
                    span=Span(body.start(), body.end()),
                    marker=markers[number],
                    urls=tuple(URL.findall(content)),
                )
            )
        return footnotes

    def _cross_references(
        self, path: Path, document: Document, line_of: _LineIndex
    ) -> Iterator[CrossReference]:
        numbers = {a.number for a in document.answers}
        for answer in document.answers:
            region = document.text[answer.span.start : answer.span.end]
            for match in CROSS_REFERENCE.finditer(region):
                span = Span(answer.span.start + match.start(), answer.span.start + match.end())
                other = elsewhere(region[match.end() :], document.identifier)
                if other is not None:  # a question of another document
                    if other.identifier is not None:
                        for target in targets(match):
                            yield CrossReference(answer.number, target, span, other.identifier.text)
                    continue
                for target in targets(match):
                    if target not in numbers:
                        raise SourceError(
                            path,
                            f"answer {answer.number} refers to question {target}, which the "
                            f"document does not have (it has 1 to {max(numbers)})",
                            line=line_of(span.start),
                        )
                    yield CrossReference(answer.number, target, span)


class _LineIndex:
    """1-based line numbers of offsets, by binary search over line starts."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.starts, offset)
