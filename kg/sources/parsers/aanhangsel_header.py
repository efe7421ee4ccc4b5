"""The header of an Aanhangsel (who asked whom, who answered, when) and its identifier.

The identifier is taken from the content first: the running head ("ah-tk-20242025-1112", or
"h tk 20242025 1112" when the PDF text lost its first letter and hyphens), else the header
block ("Vergaderjaar 2024–2025 Aanhangsel van de Handelingen" ... "1112" on a line of its
own), else a document number ("2023D39037") on a line of its own.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from kg.errors import SourceError
from kg.sources.model import CoverLetter, ParseNote, Span
from kg.sources.parsers.aanhangsel_layout import strip_markdown
from kg.sources.parsers.header import read_header
from kg.sources.vergaderjaar import vergaderjaar_code

RUNNING_HEAD = re.compile(
    r"^[ \t\f#*]*(?:ah-tk-(?P<y1>\d{8})-(?P<n1>\d{1,5})"
    r"|a?h[ -]?tk[ -]?(?P<y2>\d{8})[ -]?(?P<n2>\d{1,5}))(?!\d)",
    re.MULTILINE,
)
HEADER_YEAR = re.compile(
    r"Vergaderjaar\s+(?P<y1>\d{4})\s*[-–/]\s*(?P<y2>\d{4})(?:\s+Aanhangsel\s+van\s+de\s+Handelingen)?",
    re.IGNORECASE,
)
NUMBER_LINE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?(\d{1,5})(?:\*\*)?[ \t]*$", re.MULTILINE
)
DOCUMENT_NUMBER = re.compile(r"^[ \t]*(\d{4}D\d{4,6})[ \t]*$", re.MULTILINE)
# The case number the Tweede Kamer gives the questions, on a line of its own: "2024Z15078",
# typed in a .docx also "2024Z 17972".
ZAAK_LINE = re.compile(
    r"^[ \t]*(?P<year>(?:19|20)\d{2})Z[ \t]?(?P<number>\d{5})[ \t]*$", re.MULTILINE
)
# Questions not yet answered: "kv-tk-2024Z18438" as their running head.
KV_HEAD = re.compile(r"\bkv-tk-(?P<year>(?:19|20)\d{2})Z(?P<number>\d{5})\b")
# The coming Aanhangsel number of the ministry's .docx answer or notice: "AH 610".
AH_LINE = re.compile(r"^[ \t]*AH[ \t]*(?P<number>\d{1,5})[ \t]*$", re.MULTILINE)
IDENTIFIER_FORM = re.compile(r"ah-tk-\d{8}-\d+|kv-tk-\d{4}Z\d{5}|\d{4}D\d{4,6}")
# "ah-tk-20242025-1112.pdf", also as a browser saves a second download: "... (1).pdf".
FILE_NAME_IDENTIFIER = re.compile(r"^(ah-tk-\d{8}-\d+|kv-tk-\d{4}Z\d{5}|\d{4}D\d{4,6})(?=[. _(]|$)")


def identifier_in_text(
    text: str, header_end: int, received: date | None = None, kind: str = "answers"
) -> str | None:
    """The document's identifier as its content states it, or None: a running head
    ("ah-tk-20242025-560", "kv-tk-2024Z18438"), the header block's year and number, the
    ministry's "AH 610" with the parliamentary year of the ``received`` date, a document number,
    or for questions not yet answered their case number ("kv-tk-" and the zaak)."""
    head = RUNNING_HEAD.search(text)
    if head:
        year = head.group("y1") or head.group("y2")
        return f"ah-tk-{year}-{int(head.group('n1') or head.group('n2'))}"
    kv = KV_HEAD.search(text)
    if kv:
        return f"kv-tk-{kv.group('year')}Z{kv.group('number')}"
    ah = AH_LINE.search(text, 0, header_end)
    if ah and received:
        return f"ah-tk-{vergaderjaar_code(received)}-{int(ah.group('number'))}"
    block = HEADER_YEAR.search(text, 0, header_end)
    if block:
        # The number stands after the year in the header; in some PDF text before it.
        before = list(NUMBER_LINE.finditer(text, 0, block.start()))
        number = NUMBER_LINE.search(text, block.end(), header_end) or (
            before[-1] if before else None
        )
        if number:
            return f"ah-tk-{block.group('y1')}{block.group('y2')}-{int(number.group(1))}"
    number = DOCUMENT_NUMBER.search(text)
    if number:
        return number.group(1)
    zaak = ZAAK_LINE.search(text, 0, header_end)
    if zaak and kind == "questions":
        return f"kv-tk-{zaak.group('year')}Z{zaak.group('number')}"
    return None


def identifier_in_file_name(name: str) -> str | None:
    match = FILE_NAME_IDENTIFIER.match(name)
    return match.group(1) if match else None


def document_identifier(
    path: Path,
    text: str,
    header_end: int,
    fallback: str | None,
    notes: list[ParseNote],
    hint: str,
    received: date | None = None,
    kind: str = "answers",
) -> str:
    """The identifier from the text, else ``fallback`` (metadata.xml), else the file name
    (recorded as a note); refused when none gives one, with ``hint`` saying what was expected."""
    stated = identifier_in_text(text, header_end, received, kind)
    if stated and fallback and fallback != stated:
        notes.append(
            ParseNote(
                "identifier-mismatch",
                1,
                f"the text states '{stated}', its metadata.xml '{fallback}'; the text's was taken "
                "(give another with 'kg add --id')",
                Span(0, 0),
            )
        )
    found = stated or fallback
    if found:
        return found
    from_name = identifier_in_file_name(path.name)
    if from_name is None:
        raise SourceError(path, f"no document identifier found; expected {hint}")
    notes.append(
        ParseNote(
            "identifier-from-file-name",
            1,
            f"the text states no identifier; '{from_name}' was taken from the file name",
            Span(0, 0),
        )
    )
    return from_name


def parse_header(header: str) -> CoverLetter:
    """The cover fields from the header blocks, joined into one line (``read_header`` reads
    each part on its own, so one unreadable part leaves the others)."""
    found = read_header(strip_markdown(header))
    first = found.signers[0] if found.signers else None
    return CoverLetter(
        sender_name=first.name if first else None,
        sender_post=first.post if first else None,
        on_behalf_of=found.behalf[0] if found.behalf else None,
        addressee=None,
        member=found.askers[0][0] if found.askers else None,
        party=found.askers[0][1] if found.askers else None,
        meeting=None,
        meeting_date=None,
        askers=found.askers,
        question_addressees=found.addressees,
        subject=found.subject,
        submitted=found.submitted,
        received=found.received,
        see_also=found.see_also,
        zaak=zaak_in(header),
        signers=tuple((s.name, s.post) for s in found.signers),
        behalf=found.behalf,
    )


def document_zaak(text: str, header_end: int) -> str | None:
    """The document's own case number: on a line of its own before the questions, or in a kv
    running head anywhere (a case number in a footnote is another document's)."""
    found = ZAAK_LINE.search(text, 0, header_end) or KV_HEAD.search(text)
    return f"{found.group('year')}Z{found.group('number')}" if found else None


def zaak_in(text: str) -> str | None:
    """The case number on a line of its own ("2024Z15078", typed "2024Z 17972"), or in a kv
    running head ("kv-tk-2024Z18438")."""
    found = ZAAK_LINE.search(text) or KV_HEAD.search(text)
    return f"{found.group('year')}Z{found.group('number')}" if found else None
