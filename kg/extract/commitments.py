"""What a researcher asks of a commitment beyond its sentence: when it was made, by when it is
due, who else it is made for ("mede namens") and what it is about.

Works on a parsed ``Document`` and a ``Commitment`` that ``kg.extract.mentions.find_commitments``
found; nothing here knows RDF (``kg.convert.commitments`` writes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.extract import deadlines
from kg.extract.mentions import ANAPHOR, running_text, sentences
from kg.extract.reference import LabelIndex
from kg.rdf.namespaces import KABINET, TWEEDE_KAMER
from kg.sources.model import Commitment, Document, Mention, Span

# The kinds of entity a commitment can be about (kg.extract.reference.KIND_BY_CLASS): the
# instruments, EU initiatives and organisations it names, not the people.
TOPIC_KINDS = {"instrument", "eu", "international", "organisation"}
# Where a commitment's topics were found, most specific first.
SENTENCE, PREVIOUS_SENTENCE, ANSWER = "sentence", "previous-sentence", "answer"


@dataclass(frozen=True)
class ReferenceDate:
    """The date a commitment's timing is resolved against, and where it comes from."""

    day: date | None
    source: str  # "issued", "received", "debate", "submitted" or "none"


def reference_date(document: Document) -> ReferenceDate:
    """The date the document makes its commitments on, as far as it says: the date it was
    issued (its metadata), else received by parliament, else the date of the debate it
    answers (the earliest it can be: a letter of written answers is sent after the debate),
    else the date its questions were submitted (the answers come after)."""
    letter = document.letter
    for day, source in (
        (letter.issued, "issued"),
        (letter.received, "received"),
        (letter.meeting_date, "debate"),
        (letter.submitted, "submitted"),
    ):
        if day is not None:
            return ReferenceDate(day, source)
    return ReferenceDate(None, "none")


def commitment_deadline(
    document: Document, commitment: Commitment, reference: date | None
) -> deadlines.Deadline | None:
    """The commitment's timing resolved. The timing the finder took from the sentence is read
    first; where it found none, the sentence itself is searched (a form the finder's patterns
    do not know, such as "voor het einde van 2025"), and the span is then the sentence's.
    None: the sentence states no time."""
    if commitment.timing:
        found = deadlines.read(commitment.timing, reference)
        if commitment.timing_span is not None:
            span = commitment.timing_span
            return _with_span(found, span.start, span.end)
        return found
    sentence, _ = running_text(document, commitment.span)
    return deadlines.find(sentence, reference, offset=commitment.span.start)


def _with_span(found: deadlines.Deadline, start: int, end: int) -> deadlines.Deadline:
    return deadlines.Deadline(
        found.text, found.kind, found.form, found.due_after, found.due_by, found.note, start, end
    )


# "de Minister van Economische Zaken en de Minister van Buitenlandse Zaken": a post begins with
# its title; "en de" before a title separates two posts (ministry names hold "en" themselves).
TITLE = r"(?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)"
SEPARATOR = re.compile(rf"\s*(?:,|\ben\b)\s+(?:de|het)\s+(?={TITLE}\b)")
PLURAL = re.compile(
    rf"^(?P<title>{TITLE})s\s+(?P<first>(?:voor|van)\s+.+?)\s+en\s*(?P<second>(?:voor|van)\s*.+)$"
)


def co_owner_posts(on_behalf_of: str | None) -> list[str]:
    """The posts a document is also sent on behalf of ("mede namens ..."), one name each, as
    written apart from spacing: "Minister van Economische Zaken en de Minister van Buitenlandse
    Zaken" is two posts, "Ministers voor Buitenlandse Handel en Ontwikkelingshulp en van
    Buitenlandse Zaken" too."""
    if not on_behalf_of:
        return []
    text = " ".join(on_behalf_of.split())
    plural = PLURAL.match(text)
    if plural:
        second = re.sub(r"^(voor|van)(?=\S)", r"\1 ", plural["second"])
        return [f"{plural['title']} {plural['first']}", f"{plural['title']} {second}"]
    return [part.strip() for part in SEPARATOR.split(text) if part.strip()]


def topics(
    document: Document, commitment: Commitment, index: LabelIndex, exclude: frozenset = frozenset()
) -> tuple[list[str], str]:
    """The instruments, EU initiatives and organisations a commitment is about, and where they
    were found: those named in its sentence; where the sentence points back ("hierover", "deze
    inventarisatie") and names none, those of the sentence before it; and where that names none
    either, those of the answer that holds it. The addressee (the Tweede Kamer) and the
    committer (the cabinet) are no topics, nor what ``exclude`` holds (the political parties:
    an asker's party is named beside them), nor a name in a footnote's body."""
    own = topics_in(commitment.span, document.mentions, index, exclude)
    if own:
        return own, SENTENCE
    statement = [document.statement] if document.statement else []
    sections = [*document.answers, *statement]
    answer = next((a for a in sections if a.span.contains(commitment.span)), None)
    if answer is None:
        return [], SENTENCE
    if ANAPHOR.search(document.text[commitment.span.start : commitment.span.end]):
        before = [
            s
            for s in sentences(
                document.text, answer.span.start, answer.span.end, document.not_running_text
            )
            if s.end <= commitment.span.start
        ]
        previous = topics_in(before[-1], document.mentions, index, exclude) if before else []
        if previous:
            return previous, PREVIOUS_SENTENCE
    return topics_in(answer.span, document.mentions, index, exclude), ANSWER


def topics_in(
    span: Span, mentions: list[Mention], index: LabelIndex, exclude: frozenset = frozenset()
) -> list[str]:
    found: list[str] = []
    for mention in mentions:
        if not span.contains(mention.span) or mention.section_kind == "document":
            continue  # outside the span, or in a footnote's body
        if mention.entity in (TWEEDE_KAMER, KABINET) or mention.entity in exclude:
            continue
        if index.kind(mention.entity) in TOPIC_KINDS and mention.entity not in found:
            found.append(mention.entity)
    return found
