"""Answers to written questions (Aanhangsel van de Handelingen) as plain text.

The form as extracted from the PDF (and its markdown-flavoured variants):

- a header block: "Vragen van het lid X (Party) aan de Minister van ... over ... (ingezonden
  <date>)", "Antwoord van Minister Y (Ministry) (ontvangen <date>)", sometimes "Zie ook
  Aanhangsel Handelingen ..."; lines may wrap; the "Antwoord van" line may also stand between
  the last question and the first answer;
- "Vraag N" / "Antwoord N" on lines of their own, optionally as markdown headings (``# ``) or in
  ``**bold**`` / ``_italics_``; combined items "Vraag 4 en 5", "Antwoord 4, 5 en 6",
  "Antwoord 4 t/m 6";
- footnote markers glued to a word ("beleid3"), written as ``[3 ]`` / ``[3]``, or as markdown
  ``[^3]``; footnote bodies ("4 Motie Ceder, Kamerstuk 21 501-02, nr. 2732") at the end of a
  page, or markdown definitions ``[^4]: ...`` on a line of their own anywhere;
- page furniture between pages: running heads ("ah-tk-20222023-1234", "Aanhangsel van de
  Handelingen", "Tweede Kamer, vergaderjaar 2022–2023"), page numbers, separators ("-----",
  form feeds); a page break may cut a question or an answer in two.

The text: ``Document.text`` is the source text itself (normalised as every source: NFC, LF);
every span points into it. A section's span runs from after its heading to before the next
heading, so it can include page furniture and footnote bodies that stand inside it; its
``text`` is cleaned: no furniture, no footnote bodies or markers, no markdown emphasis, page
breaks inside a paragraph joined.

Combined items: one ``Section`` with ``number`` = the first number and ``numbers`` = all of
them. Questions may not cover a number twice; every answered number must have been asked, and
every asked number must be answered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.errors import SourceError
from kg.sources.identifiers import URL
from kg.sources.model import CoverLetter, CrossReference, Document, Footnote, Section, Span
from kg.sources.parsers.letter import MONTHS, _LineIndex

EMPHASIS = r"(?:\*\*|__|\*|_)?"
NUMBER_LIST = r"\d+(?:[ \t]*(?:,|en|t/m|tot en met|-|–)[ \t]*\d+)*"
HEADING = re.compile(
    rf"^[ \t]*(?:\#{{1,6}}[ \t]*)?{EMPHASIS}(?P<kind>Vra(?:ag|gen)|Antwoord(?:en)?)[ \t]+"
    rf"(?:op[ \t]+vra(?:ag|gen)[ \t]+)?(?P<numbers>{NUMBER_LIST})[ \t]*[:.]?[ \t]*{EMPHASIS}"
    r"[ \t]*$",
    re.MULTILINE,
)
HEADER_START = re.compile(
    rf"^[ \t]*(?:\#{{1,6}}[ \t]*)?{EMPHASIS}(?:Vragen van|Antwoord van|Mededeling van|Zie ook Aanhangsel)\b",
    re.MULTILINE,
)
FURNITURE = re.compile(
    r"^[ \t\f]*(?:"
    r"ah-tk-\d{8}-\d+"
    r"|Aanhangsel\s+(?:van\s+de\s+)?Handelingen(?:\s+II)?(?:\s*[|,–-].*)?"
    r"|Tweede Kamer,?\s+vergaderjaar\s+\d{4}\s*[-–/]\s*\d{2,4}.*"
    r"|(?:Pagina\s+)?\d{1,4}(?:\s*(?:van|/)\s*\d{1,4})?"
    r"|[-_=*]{3,}"
    r")?[ \t\f]*$",
    re.MULTILINE,
)
AH_IDENTIFIER = re.compile(r"^[ \t\f]*(ah-tk-\d{8}-\d+)[ \t]*$", re.MULTILINE)
DOCUMENT_NUMBER = re.compile(r"^[ \t]*(\d{4}D\d{4,6})[ \t]*$", re.MULTILINE)
FOOTNOTE_START = re.compile(r"[ \t]*(\d{1,3})[ \t]+(\S.*)$")
MD_BODY = re.compile(r"^[ \t]*\[\^(\d{1,3})\]:[ \t]*(.*)$", re.MULTILINE)
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
DATE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})")
QUESTIONS_HEADER = re.compile(
    r"Vragen van (?:het lid|de leden) (?P<askers>.+?) aan (?P<addressees>.+?) over "
    r"(?P<subject>.+?)\s*\(ingezonden (?P<date>[^)]+)\)"
)
ANSWER_HEADER = re.compile(
    r"Antwoord van (?:de )?(?P<title>Minister-president|Minister|Staatssecretaris)\s+"
    r"(?P<name>[^()]+?)\s*\((?P<ministry>[^)]+)\)(?:,?\s*mede namens (?P<behalf>[^()]+?))?\s*"
    r"\(ontvangen (?P<date>[^)]+)\)"
)
SEE_ALSO = re.compile(r"Zie ook (?P<ref>[^\n]+?)\.?\s*$", re.MULTILINE)
ASKER = re.compile(r"(?P<name>[^,()]+?)\s*\((?P<party>[^)]+)\)")
CROSS_REFERENCE = re.compile(
    r"(?:antwoord|beantwoording)\s+(?:op|van)\s+(?:de\s+)?vra(?:ag|gen)\s+"
    r"(\d+(?:\s*(?:,|en)\s*\d+)*)",
    re.IGNORECASE,
)


def heading_numbers(raw: str) -> tuple[int, ...]:
    """'4 en 5' -> (4, 5); '4, 5 en 6' -> (4, 5, 6); '4 t/m 6' and '4-6' -> (4, 5, 6)."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|\ben\b)\s*", raw.strip()):
        span = re.match(r"(\d+)\s*(?:t/m|tot en met|-|–)\s*(\d+)$", part)
        if span:
            numbers.extend(range(int(span.group(1)), int(span.group(2)) + 1))
        elif part:
            numbers.append(int(part))
    return tuple(numbers)


def parse_date(text: str | None) -> date | None:
    match = DATE.search(text or "")
    if not match or match.group(2) not in MONTHS:
        return None
    return date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))


@dataclass(frozen=True)
class _Heading:
    kind: str  # "question", "answer" or "header"
    numbers: tuple[int, ...]
    start: int  # start of the heading line
    end: int  # end of the heading line (the section starts here)
    line: int


@dataclass
class _Layout:
    """What is not running text: furniture lines, footnote bodies, footnote markers."""

    breaks: list[Span] = field(default_factory=list)  # furniture and footnote zones
    markers: dict[int, Span] = field(default_factory=dict)
    bodies: dict[int, Span] = field(default_factory=dict)  # one footnote body each


class AanhangselTextParser:
    name = "aanhangsel-text"
    description = (
        "answers to written questions (Aanhangsel) as text: 'Vraag N' and 'Antwoord N' "
        "on lines of their own, after a 'Vragen van ...' header"
    )

    def detect(self, text: str) -> bool:
        return HEADING.search(text) is not None

    def parse(self, path: Path, text: str, sha256: str) -> Document:
        return self.parse_as(path, text, sha256, form=self.name, identifier=None)

    def parse_as(
        self, path: Path, text: str, sha256: str, form: str, identifier: str | None
    ) -> Document:
        """Parse ``text``; the XML and HTML parsers render to this form and call this."""
        line_of = _LineIndex(text)
        headings = self._headings(text, line_of)
        layout = self._layout(path, text, headings, line_of)
        questions, answers = self._sections(path, text, headings, layout, line_of)
        first = min((h.start for h in headings if h.kind != "header"), default=len(text))
        document = Document(
            identifier=identifier or self._identifier(path, text, line_of),
            path=str(path),
            text=text,
            sha256=sha256,
            form=form,
            letter=self._header(text, headings, first),
            questions=questions,
            answers=answers,
        )
        document.footnotes = self._footnotes(text, layout)
        document.cross_references = list(self._cross_references(path, document, line_of))
        return document

    # -- structure ---------------------------------------------------------------------------

    def _headings(self, text: str, line_of: _LineIndex) -> list[_Heading]:
        found = []
        for m in HEADING.finditer(text):
            kind = "question" if m.group("kind").startswith("Vra") else "answer"
            numbers = heading_numbers(m.group("numbers"))
            found.append(_Heading(kind, numbers, m.start(), m.end(), line_of(m.start())))
        for m in HEADER_START.finditer(text):
            # A header block runs to the first blank line or heading.
            gap = BLANK_LINE.search(text, m.start())
            end = gap.start() if gap else len(text)
            found.append(_Heading("header", (), m.start(), end, line_of(m.start())))
        # Header blocks stand before the first answer; later such lines are running text.
        first_answer = min((h.start for h in found if h.kind == "answer"), default=len(text))
        found = [h for h in found if h.kind != "header" or h.start < first_answer]
        return sorted(found, key=lambda h: h.start)

    def _layout(
        self, path: Path, text: str, headings: list[_Heading], line_of: _LineIndex
    ) -> _Layout:
        layout = _Layout()
        for m in MD_BODY.finditer(text):
            number = int(m.group(1))
            layout.bodies[number] = Span(m.start(), m.end())
            layout.breaks.append(Span(m.start(), m.end()))
        furniture = [
            Span(m.start(), m.end())
            for m in FURNITURE.finditer(text)
            if text[m.start() : m.end()].strip(" \t\f")
        ]
        # Pages: the stretches between runs of furniture. Footnote bodies stand at their end.
        pages, cursor = [], 0
        for span in furniture:
            if span.start > cursor:
                pages.append(Span(cursor, span.start))
            cursor = span.end
        pages.append(Span(cursor, len(text)))
        heading_lines = {h.start for h in headings}
        expected = 1 + max(layout.bodies, default=0)
        marker_from = 0
        for page in pages:
            zone = self._footnote_zone(text, page, expected, heading_lines, marker_from)
            if zone is None:
                continue
            for number, span in zone:
                layout.bodies[number] = span
                expected = number + 1
            layout.breaks.append(Span(zone[0][1].start, page.end))
            marker_from = page.end
        layout.breaks.extend(furniture)
        layout.breaks.sort(key=lambda s: s.start)
        layout.markers = self._markers(path, text, layout, line_of)
        return layout

    def _footnote_zone(
        self, text: str, page: Span, expected: int, heading_lines: set[int], marker_from: int
    ) -> list[tuple[int, Span]] | None:
        """The footnote bodies at the end of a page: from the first line "N text" whose
        footnote N is the next one due and has a marker earlier on, to the end of the page."""
        lines = [
            (m.start(), m.end())
            for m in re.finditer(r"[^\n]+", text[page.start : page.end])
            if m.group(0).strip()
        ]
        lines = [(page.start + s, page.start + e) for s, e in lines]
        for index, (start, end) in enumerate(lines):
            first = FOOTNOTE_START.match(text, start, end)
            if not first or int(first.group(1)) != expected:
                continue
            if not _marker_pattern(expected).search(text, marker_from, start):
                continue
            zone: list[tuple[int, int]] = []  # (number, start of its first line)
            next_number = expected
            ok = True
            for s, e in lines[index:]:
                if s in heading_lines or HEADER_START.match(text, s, e):
                    ok = False
                    break
                numbered = FOOTNOTE_START.match(text, s, e)
                if numbered and int(numbered.group(1)) == next_number:
                    zone.append((next_number, s))
                    next_number += 1
            if not ok:
                continue
            result = []
            for position, (number, s) in enumerate(zone):
                e = zone[position + 1][1] if position + 1 < len(zone) else lines[-1][1]
                result.append((number, _trim(text, s, e)))
            return result
        return None

    def _markers(
        self, path: Path, text: str, layout: _Layout, line_of: _LineIndex
    ) -> dict[int, Span]:
        markers: dict[int, Span] = {}
        cursor = 0
        for number in sorted(layout.bodies):
            body = layout.bodies[number]
            found = None
            for m in _marker_pattern(number).finditer(text, cursor, len(text)):
                if any(b.start <= m.start() < b.end for b in layout.breaks):
                    continue
                found = m
                break
            if found is None:
                raise SourceError(
                    path,
                    f"footnote {number} has no marker; expected '{number}' glued to a word, "
                    f"'[{number}]' or '[^{number}]' in the text",
                    line=line_of(body.start),
                )
            markers[number] = Span(found.start(1), found.end(1))
            cursor = found.end()
        return markers

    def _sections(
        self,
        path: Path,
        text: str,
        headings: list[_Heading],
        layout: _Layout,
        line_of: _LineIndex,
    ) -> tuple[list[Section], list[Section]]:
        questions: list[Section] = []
        answers: list[Section] = []
        asked: dict[int, int] = {}  # number -> line of the question that asks it
        for index, heading in enumerate(headings):
            if heading.kind == "header":
                continue
            end = headings[index + 1].start if index + 1 < len(headings) else len(text)
            span = _trim(text, heading.end, end)
            cleaned = clean(text, span, layout)
            label = f"{'question' if heading.kind == 'question' else 'answer'} " + " en ".join(
                map(str, heading.numbers)
            )
            if not cleaned:
                raise SourceError(
                    path,
                    f"{label} has no text; expected a paragraph after its heading",
                    line=heading.line,
                )
            numbers = heading.numbers if len(heading.numbers) > 1 else ()
            section = Section(heading.numbers[0], cleaned, span, numbers)
            if heading.kind == "question":
                for number in heading.numbers:
                    if number in asked:
                        raise SourceError(
                            path,
                            f"question {number} appears twice (also on line {asked[number]}); "
                            "expected each question number once",
                            line=heading.line,
                        )
                    asked[number] = heading.line
                questions.append(section)
            else:
                unknown = [n for n in heading.numbers if n not in asked]
                if unknown:
                    raise SourceError(
                        path,
                        f"answer {unknown[0]} has no question; expected 'Vraag {unknown[0]}' "
                        "before it",
                        line=heading.line,
                    )
                answers.append(section)
        if not questions:
            raise SourceError(
                path, "no questions found; expected lines such as 'Vraag 1' and 'Antwoord 1'"
            )
        answered = {n for a in answers for n in a.covers}
        for number, line in asked.items():
            if number not in answered:
                raise SourceError(
                    path,
                    f"question {number} has no answer; expected 'Antwoord {number}'",
                    line=line,
                )
        return questions, answers

    # -- identifier and header ---------------------------------------------------------------

    def _identifier(self, path: Path, text: str, line_of: _LineIndex) -> str:
        match = AH_IDENTIFIER.search(text) or DOCUMENT_NUMBER.search(text)
        if not match:
            raise SourceError(
                path,
                "no document identifier found; expected a running head such as "
                "'ah-tk-20232024-1234' or a document number such as '2023D39037' on a line "
                "of its own",
            )
        return match.group(1)

    def _header(self, text: str, headings: list[_Heading], first: int) -> CoverLetter:
        blocks = [h for h in headings if h.kind == "header"]
        header = " ".join(" ".join(_strip_markdown(text[h.start : h.end]).split()) for h in blocks)
        asked = QUESTIONS_HEADER.search(header)
        answered = ANSWER_HEADER.search(header)
        askers: tuple[tuple[str, str | None], ...] = ()
        addressees: tuple[str, ...] = ()
        if asked:
            askers = tuple(
                (re.sub(r"^(?:en|,)\s+", "", m.group("name").strip()), m.group("party").strip())
                for m in ASKER.finditer(asked.group("askers"))
            )
            addressees = tuple(
                a.strip()
                for a in re.split(
                    r"\s*,\s*(?:de|het)\s+|\s+en\s+(?:de|het)\s+",
                    re.sub(r"^(?:de|het)\s+", "", asked.group("addressees")),
                )
                if a.strip()
            )
        sender_post = None
        if answered:
            sender_post = f"{answered.group('title')} van {answered.group('ministry').strip()}"
        see_also = tuple(m.group("ref").strip() for m in SEE_ALSO.finditer(header))
        return CoverLetter(
            sender_name=answered.group("name").strip() if answered else None,
            sender_post=sender_post,
            on_behalf_of=_behalf(answered),
            addressee=None,
            member=askers[0][0] if askers else None,
            party=askers[0][1] if askers else None,
            meeting=None,
            meeting_date=None,
            askers=askers,
            question_addressees=addressees,
            subject=asked.group("subject").strip() if asked else None,
            submitted=parse_date(asked.group("date")) if asked else None,
            received=parse_date(answered.group("date")) if answered else None,
            see_also=see_also,
        )

    # -- footnotes and references ------------------------------------------------------------

    def _footnotes(self, text: str, layout: _Layout) -> list[Footnote]:
        footnotes = []
        for number in sorted(layout.bodies):
            body = layout.bodies[number]
            raw = text[body.start : body.end]
            content = re.sub(r"^[ \t]*(?:\[\^\d+\]:|\d+)[ \t]*", "", raw)
            content = " ".join(_strip_markdown(content).split())
            footnotes.append(
                Footnote(
                    number=number,
                    text=content,
                    span=body,
                    marker=layout.markers[number],
                    urls=tuple(URL.findall(content)),
                )
            )
        return footnotes

    def _cross_references(
        self, path: Path, document: Document, line_of: _LineIndex
    ) -> Iterator[CrossReference]:
        asked = {n: q.number for q in document.questions for n in q.covers}
        answer_of = {n: a.number for a in document.answers for n in a.covers}
        for answer in document.answers:
            for match in CROSS_REFERENCE.finditer(answer.text):
                # Found in the cleaned text; the span is the whole answer's, as offsets in the
                # cleaned text do not point into the document.
                for target in map(int, re.findall(r"\d+", match.group(1))):
                    if target not in asked:
                        raise SourceError(
                            path,
                            f"answer {answer.number} refers to question {target}, which the "
                            "document does not have",
                            line=line_of(answer.span.start),
                        )
                    if answer_of[target] != answer.number:
                        yield CrossReference(
                            answer.number, answer_of[target], self._locate(document, answer, match)
                        )

    @staticmethod
    def _locate(document: Document, answer: Section, match: re.Match[str]) -> Span:
        """The span of a cross-reference in the document text (a direct search of its words)."""
        words = r"\s+".join(re.escape(w) for w in match.group(0).split())
        found = re.search(words, document.text[answer.span.start : answer.span.end])
        if found:
            return Span(answer.span.start + found.start(), answer.span.start + found.end())
        return answer.span


def _marker_pattern(number: int) -> re.Pattern[str]:
    """A footnote marker with group 1 the marker itself: glued to a word ("beleid3",
    "AI-Act.3"), bracketed ("[3 ]", "[3]") or markdown ("[^3]", not its definition "[^3]:")."""
    n = str(number)
    return re.compile(
        rf"(?:(?<=[^\s\d\[\^(/#-])(?={n}(?:[\s.,;:)!?]|$))|(?=\[\s*{n}\s*\])|(?=\[\^{n}\](?!:)))"
        rf"(\[\^{n}\]|\[\s*{n}\s*\]|{n})",
        re.MULTILINE,
    )


def _behalf(answered: re.Match[str] | None) -> str | None:
    if not answered or not answered.group("behalf"):
        return None
    return re.sub(r"^(?:de|het)\s+", "", answered.group("behalf").strip())


def _trim(text: str, start: int, end: int) -> Span:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk) - len(chunk.rstrip())
    return Span(start + left, max(start + left, end - right))


def _strip_markdown(text: str) -> str:
    text = re.sub(r"^[ \t]*#{1,6}[ \t]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(\S(?:.*?\S)?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])", r"\2", text)
    return text


PAGE_BREAK = "\x00"


def clean(text: str, span: Span, layout: _Layout) -> str:
    """A section's running text: furniture and footnote bodies and markers removed, page breaks
    inside a paragraph joined, paragraphs separated by a blank line, markdown emphasis gone."""
    cuts = [(b.start, b.end, PAGE_BREAK) for b in layout.breaks]
    cuts += [(m.start, m.end, "") for m in layout.markers.values()]
    pieces, cursor = [], span.start
    for start, end, replacement in sorted(cuts):
        if end <= span.start or start >= span.end:
            continue
        pieces.append(text[cursor : max(cursor, start)])
        pieces.append(replacement)
        cursor = max(cursor, end)
    pieces.append(text[cursor : span.end])
    joined = "".join(pieces)

    def join_break(m: re.Match[str]) -> str:
        before = joined[: m.start()].rstrip()
        return "\n\n" if not before or before[-1] in ".!?:;" else " "

    joined = re.sub(rf"[ \t\n]*{PAGE_BREAK}[ \t\n{PAGE_BREAK}]*", join_break, joined)
    paragraphs = [
        " ".join(line.strip() for line in para.split("\n") if line.strip())
        for para in BLANK_LINE.split(_strip_markdown(joined))
    ]
    return "\n\n".join(re.sub(r"[ \t]{2,}", " ", p) for p in paragraphs if p.strip())
