"""Extraction with bounded cost per document: what the build and ``kg add`` call.

Each mention becomes about twenty triples (the mention, its span, selector and provenance),
held in memory while the document's graph is made; a commitment that points back ("hierover")
has its topics looked for in the sentences of its whole answer, one pass per commitment. So a
text dense with curated names cost memory in proportion to the mentions and time to the
commitments times the answer's length: 100 KB of names gave 7,800 mentions, 158,000 triples and
125 MiB more resident memory, and with 700 commitments between them 7.7 s; 1 MB, 93 s and 1 GB
(``benchmarks/abuse.py``, probe "linking"). The densest real document so far has 153 mentions
and 4 commitments (the seed, the landscape answers, the tk-2024-11 corpus and 300 generated
letters): the caps are thirty and twelve times that. Past a cap, the first ones in text order
are kept and a parse note says where the rest begin, so the document still loads and says
what was left out. The text itself is bounded where it is read (``kg.sources.text``).
"""

from __future__ import annotations

from kg.extract.mentions import extract
from kg.extract.reference import LabelIndex
from kg.sources.model import Document, ParseNote, Span

MAX_MENTIONS = 5_000
MAX_COMMITMENTS = 50


def extract_bounded(document: Document, index: LabelIndex) -> Document:
    """``extract`` (mentions and commitments), with at most ``MAX_MENTIONS`` mentions and
    ``MAX_COMMITMENTS`` commitments kept; a parse note for each cap that was reached."""
    extract(document, index)
    if len(document.mentions) > MAX_MENTIONS:
        document.notes.append(
            _cap_note(document, "mentions-capped", "mentions", len(document.mentions),
                      MAX_MENTIONS, document.mentions[MAX_MENTIONS].span.start)
        )  # fmt: skip
        document.mentions = document.mentions[:MAX_MENTIONS]
    if len(document.commitments) > MAX_COMMITMENTS:
        document.notes.append(
            _cap_note(document, "commitments-capped", "commitments", len(document.commitments),
                      MAX_COMMITMENTS, document.commitments[MAX_COMMITMENTS].span.start)
        )  # fmt: skip
        document.commitments = document.commitments[:MAX_COMMITMENTS]
    return document


def _cap_note(
    document: Document, kind: str, what: str, found: int, kept: int, first_dropped: int
) -> ParseNote:
    line = document.line_of(first_dropped)
    return ParseNote(
        kind,
        line,
        f"{found} {what} found; only the first {kept} are kept (the limit per document), "
        f"none from line {line} on",
        Span(first_dropped, len(document.text)),
    )
