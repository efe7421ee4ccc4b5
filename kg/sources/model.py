"""The parsed document model: what every source form is parsed into, before any RDF.

Offsets are code points into ``Document.text`` (0-based, end exclusive), the document's
normalised full text, so that Python slicing and SPARQL ``SUBSTR`` agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model is read without rdflib (a query worker never imports it)
    from rdflib import URIRef


@dataclass(frozen=True, slots=True)  # one per mention: a long text has hundreds of thousands
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}-{self.end}")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    span: Span  # the body "[N: ...]" in the text
    marker: Span  # the "[footnoteRef:N]" marker
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class CrossReference:
    source_number: int  # the answer that refers
    target_number: int  # the answer referred to
    span: Span
    # When the answer referred to is in another document ("vraag 9 in 2026D32673"): that
    # document's identifier as written; its answer ``target_number`` is meant.
    document: str | None = None


@dataclass(frozen=True)
class Section:
    """A numbered question or answer: its cleaned text and where it stands in the document."""

    number: int
    text: str
    span: Span
    # A combined item ("Vraag 4 en 5", "Antwoord 4 en 5") covers several numbers; ``number`` is
    # the first of them and names the node. Empty means just ``(number,)``.
    numbers: tuple[int, ...] = ()

    @property
    def covers(self) -> tuple[int, ...]:
        return self.numbers or (self.number,)


@dataclass(frozen=True)
class Commitment:
    number: int  # its place among the document's commitments, from 1
    text: str
    span: Span
    timing: str | None
    timing_span: Span | None
    first_person: bool  # "zal ik" (the signatory) rather than a passive form


@dataclass(frozen=True, slots=True)
class Mention:
    # IRI of the curated entity, as the label index has it: a URIRef, not a plain str, which
    # rdflib takes for a literal and which finds nothing in the index's dicts (a URIRef is
    # never equal to a str).
    entity: URIRef
    span: Span
    section_kind: str  # "question" or "answer"
    section_number: int


@dataclass(frozen=True)
class CoverLetter:
    sender_name: str | None
    sender_post: str | None
    on_behalf_of: str | None
    addressee: str | None
    member: str | None
    party: str | None
    meeting: str | None
    meeting_date: date | None
    # The header of answers to written questions (Aanhangsel), all optional. ``member`` and
    # ``party`` hold the first asker; ``askers`` all of them with their parties.
    askers: tuple[tuple[str, str | None], ...] = ()
    question_addressees: tuple[str, ...] = ()  # "Minister van Economische Zaken en Klimaat"
    subject: str | None = None
    submitted: date | None = None  # questions "ingezonden"
    received: date | None = None  # answers "ontvangen"
    see_also: tuple[str, ...] = ()  # "Zie ook Aanhangsel Handelingen ..." references
    # From the publication's metadata.xml, when there is one.
    title: str | None = None
    issued: date | None = None
    question_number: str | None = None  # OVERHEIDop.vraagnummer, such as "2023Z16397"
    # The case (zaak) the document belongs to, as the document or its metadata states it:
    # the questions, a notice of delay and the answers of one case share it ("2024Z14419").
    zaak: str | None = None
    # Everyone who signs, the first being ``sender_name``/``sender_post`` ("Antwoord van
    # Staatssecretaris X (...) en van Minister Y (...)"), and every post "mede namens".
    signers: tuple[tuple[str | None, str], ...] = ()
    behalf: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseNote:
    """An anomaly the parser accepted: what it found, where, and what it did about it.

    ``kind`` is a short token ("recovered-heading", "glued-heading", "unanswered-question",
    "footnote-without-marker", "identifier-from-file-name", ...); ``message`` says in words
    what was recovered and how; ``span`` is the stretch of ``Document.text`` it concerns.
    """

    kind: str
    line: int
    message: str
    span: Span


# What a document is, by what it holds: the government's answers to questions ("answers", also
# the letter form), questions not yet answered ("questions", kv), or a notice that the answers
# come later ("notice", mededeling).
DOCUMENT_KINDS = ("answers", "questions", "notice")


@dataclass
class Document:
    identifier: str
    path: str
    text: str  # the normalised full text; every offset points into it
    sha256: str
    form: str  # which parser read it
    letter: CoverLetter
    questions: list[Section] = field(default_factory=list)
    answers: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    cross_references: list[CrossReference] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    notes: list[ParseNote] = field(default_factory=list)  # anomalies accepted while parsing
    # Stretches of the text that are no question's or answer's running text although a
    # section's span may hold them: page furniture and footnote bodies of extracted PDF text.
    not_running_text: list[Span] = field(default_factory=list)
    kind: str = "answers"  # one of DOCUMENT_KINDS
    # A notice's own words ("Hierbij deel ik u mede dat ..."): the section its commitment to
    # answer later stands in.
    statement: Section | None = None
    # The askers' "Toelichting: ..." after their questions (its text without the word).
    explanation: Section | None = None

    _line_starts: tuple[str, list[int]] | None = field(default=None, repr=False, compare=False)

    def line_of(self, offset: int) -> int:
        """1-based line number of a code-point offset, for error messages and reports (by
        binary search over the line starts, found once per text: a long text has many spans)."""
        if self._line_starts is None or self._line_starts[0] is not self.text:
            starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
            self._line_starts = (self.text, starts)
        return bisect_right(self._line_starts[1], offset)

    def section_at(self, offset: int) -> tuple[str, int] | None:
        """The question or answer (or a notice's statement, numbered 0) whose span holds the
        offset."""
        statement = [self.statement] if self.statement else []
        for kind, sections in (
            ("question", self.questions),
            ("answer", self.answers),
            ("statement", statement),
        ):
            for section in sections:
                if section.span.start <= offset < section.span.end:
                    return kind, section.number
        return None


@dataclass(frozen=True)
class SourceText:
    """A source file's text as a parser reads it: the file, its decoded text and that text's
    SHA-256, and the identifier given by hand (``kg add --id``) or, as ``fallback``, the one in
    the metadata beside the file."""

    path: Path
    text: str
    sha256: str
    identifier: str | None = None
    fallback: str | None = None
