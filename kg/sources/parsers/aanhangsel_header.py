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
from kg.sources.text import MONTH_NUMBER

DATE = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})")
QUESTIONS_HEADER = re.compile(
    r"Vragen van (?:het lid|de leden) (?P<askers>.+?) aan (?P<addressees>.+?) over "
    r"(?P<subject>.+?)\s*\([Ii]ngezonden (?P<date>[^)]+)\)"
)
# "Antwoord van Minister De Jonge (Binnenlandse Zaken ...)", also in the lower case of later
# years: "Antwoord van minister de Jonge (...)", "Antwoord van staatssecretaris Van Huffelen
# (...)"; "mede namens ..." may follow the ministry.
TITLE = r"(?P<title>(?i:minister-president|minister|staatssecretaris))"
BEHALF_AND_DATE = r"(?:,?\s*mede namens (?P<behalf>[^()]+?))?\s*\([Oo]ntvangen (?P<date>[^)]+)\)"
ANSWER_HEADER = re.compile(
    rf"Antwoord van (?:de )?{TITLE}\s+(?P<name>[^()]+?)\s*\((?P<ministry>[^)]+)\)" + BEHALF_AND_DATE
)
# Without a name: "Antwoord van de Minister van Economische Zaken en Klimaat (ontvangen ...)",
# "Antwoord van de minister voor Digitalisering (ontvangen ...)".
ANSWER_BY_POST = re.compile(
    rf"Antwoord van (?:de )?{TITLE}(?:\s+(?P<preposition>van|voor)\s+(?P<ministry>[^()]+?))?"
    + BEHALF_AND_DATE
)
SEE_ALSO = re.compile(r"Zie ook (?P<ref>[^\n]+?)\.?\s*$", re.MULTILINE)
ASKER = re.compile(r"(?P<name>[^,()]+?)\s*\((?P<party>[^)]+)\)")
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
IDENTIFIER_FORM = re.compile(r"ah-tk-\d{8}-\d+|\d{4}D\d{4,6}")
# "ah-tk-20242025-1112.pdf", also as a browser saves a second download: "... (1).pdf".
FILE_NAME_IDENTIFIER = re.compile(r"^(ah-tk-\d{8}-\d+|\d{4}D\d{4,6})(?=[. _(]|$)")


def parse_date(text: str | None) -> date | None:
    match = DATE.search(text or "")
    if not match or match.group(2) not in MONTH_NUMBER:
        return None
    return date(int(match.group(3)), MONTH_NUMBER[match.group(2)], int(match.group(1)))


def identifier_in_text(text: str, header_end: int) -> str | None:
    """The document's identifier as its content states it, or None."""
    head = RUNNING_HEAD.search(text)
    if head:
        year = head.group("y1") or head.group("y2")
        return f"ah-tk-{year}-{int(head.group('n1') or head.group('n2'))}"
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
    return number.group(1) if number else None


def identifier_in_file_name(name: str) -> str | None:
    match = FILE_NAME_IDENTIFIER.match(name)
    return match.group(1) if match else None


def document_identifier(
    path: Path, text: str, header_end: int, fallback: str | None, notes: list[ParseNote], hint: str
) -> str:
    """The identifier from the text, else ``fallback`` (metadata.xml), else the file name
    (recorded as a note); refused when none gives one, with ``hint`` saying what was expected."""
    stated = identifier_in_text(text, header_end)
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
    """The cover fields from the header blocks, joined into one line."""
    header = " ".join(strip_markdown(header).split())
    asked = QUESTIONS_HEADER.search(header)
    answered = ANSWER_HEADER.search(header) or ANSWER_BY_POST.search(header)
    askers: tuple[tuple[str, str | None], ...] = ()
    addressees: tuple[str, ...] = ()
    if asked:
        askers = tuple(
            (re.sub(r"^(?:en|,)\s+", "", m.group("name").strip()), m.group("party").strip())
            for m in ASKER.finditer(asked.group("askers"))
        )
        addressees = tuple(
            _capitalised_post(a.strip())
            for a in re.split(
                r"\s*,\s*(?:de|het)\s+|\s+en\s+(?:de|het)\s+",
                re.sub(r"^(?:de|het)\s+", "", asked.group("addressees")),
            )
            if a.strip()
        )
    see_also = tuple(m.group("ref").strip() for m in SEE_ALSO.finditer(header))
    return CoverLetter(
        sender_name=_signer_name(answered),
        sender_post=_signer_post(answered),
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


def _capitalised_post(post: str) -> str:
    """'minister van Justitie' (later years write titles in lower case) as the curated posts
    write it: 'Minister van Justitie'."""
    if re.match(r"(?:minister|staatssecretaris)\b", post):
        return post[0].upper() + post[1:]
    return post


def _signer_name(answered: re.Match[str] | None) -> str | None:
    name = answered.groupdict().get("name") if answered else None
    return name.strip() if name else None


def _signer_post(answered: re.Match[str] | None) -> str | None:
    """'Minister van Binnenlandse Zaken en Koninkrijksrelaties': the title as the curated posts
    write it (capitalised, also when the header has it in lower case)."""
    if not answered:
        return None
    title = answered.group("title").capitalize()
    ministry = answered.group("ministry")
    if not ministry:
        return title
    preposition = answered.groupdict().get("preposition") or "van"
    return f"{title} {preposition} {ministry.strip()}"


def _behalf(answered: re.Match[str] | None) -> str | None:
    if not answered or not answered.group("behalf"):
        return None
    return re.sub(r"^(?:de|het)\s+", "", answered.group("behalf").strip())
