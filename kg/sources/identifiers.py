"""Identifiers found in footnotes and running text, resolved as far as the string allows.

Each kind has its own typed result. ``find_identifiers`` returns them in text order, with the
span of the matched string (relative to the string searched). A result only carries what the
string states: "Kamerstuk 21 501-02, nr. 2732" gives dossier and number but no year, and
"Motie Ceder" alone names a motion without identifying it (no IRI is minted for it).

IRIs of cited documents are ``id/document/{key}``:

- Kamerstuk: ``kst-{dossier}-{number}`` (dossier without spaces, e.g. ``kst-21501-02-2732``);
- Aanhangsel van de Handelingen: ``ah-tk-{yyyyyyyy}-{number}`` (as officielebekendmakingen);
- a Tweede Kamer document number: the number itself (``2023D39037``), as for source documents;
- COM documents: ``com-{year}-{number}`` unless curated under their identifier;
- CELEX: ``celex-{celex}`` unless curated under their CELEX number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "Kamerstukken II 2025/2026, 22112, nr. 4395", "Kamerstuk 21 501-02, nr. 2732",
# "Kamerstukken II 2023/24, 36 410 XIV, nr. 8"
KAMERSTUK = re.compile(
    r"Kamerstuk(?:ken)?(?:\s+(?P<chamber>I{1,2}))?(?:\s+(?P<year>\d{4}/\d{2,4}))?,?\s+"
    r"(?P<dossier>\d[\d ]*\d(?:[- ](?:[IVXLC]+|\d{2})\b)?|\d),?\s*nr\.\s*(?P<number>\d+)"
)
# "Aanhangsel Handelingen II 2023/24, nr. 1234", "Aanhangsel Handelingen, vergaderjaar
# 2023–2024, nr. 123", "ah-tk-20232024-123"
AANHANGSEL = re.compile(
    r"Aanhangsel\s+(?:van\s+de\s+)?Handelingen(?:\s+II)?,?\s+(?:vergaderjaar\s+)?"
    r"(?P<y1>\d{4})\s*[/–-]\s*(?P<y2>\d{2,4}),?\s*(?:nr\.|nummer)\s*(?P<number>\d+)"
    r"|\bah-tk-(?P<ay>\d{8})-(?P<anumber>\d+)\b"
)
TK_DOCUMENT = re.compile(r"\b(?P<year>(?:19|20)\d{2})D(?P<number>\d{4,6})\b")
COM_DOCUMENT = re.compile(r"\bCOM\s*\((?P<year>\d{4})\)\s*(?P<number>\d+)(?:\s+final)?")
CELEX = re.compile(r"\b(?P<celex>[1-9CE]\d{4}[A-Z]{1,2}\d{4})\b")
# "Motie Ceder", "motie van het lid Ceder", "motie-Ceder c.s."
MOTION = re.compile(
    r"\b[Mm]otie(?:-|\s+(?:van\s+(?:het\s+lid|de\s+leden)\s+)?)"
    r"(?P<submitter>(?:[a-z]{1,3}\s+)?[A-Z][\w'\-]+(?:\s+c\.s\.)?)"
)
URL = re.compile(r"https?://[^\s\]\)>\"]+[^\s\]\)>\".,;:]")


@dataclass(frozen=True)
class Kamerstuk:
    dossier: str  # without spaces: "21501-02"
    number: str
    year: str | None  # "2025/2026" when the string gives it
    chamber: str | None  # "II"
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"kst-{self.dossier}-{self.number}"


@dataclass(frozen=True)
class Aanhangsel:
    year: str  # "20232024"
    number: str
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"ah-tk-{self.year}-{int(self.number)}"


@dataclass(frozen=True)
class TkDocument:
    number: str  # "2023D39037"
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.number


@dataclass(frozen=True)
class ComDocument:
    year: str
    number: str
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"com-{self.year}-{self.number}"

    @property
    def short(self) -> str:
        return f"COM({self.year}) {self.number}"


@dataclass(frozen=True)
class Celex:
    celex: str
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"celex-{self.celex}"


@dataclass(frozen=True)
class Motion:
    submitter: str  # "Ceder", "Ceder c.s."
    kamerstuk: Kamerstuk | None  # when the same string gives its number
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Url:
    url: str
    text: str
    start: int
    end: int


Identifier = Kamerstuk | Aanhangsel | TkDocument | ComDocument | Celex | Motion | Url
DocumentIdentifier = Kamerstuk | Aanhangsel | TkDocument | ComDocument | Celex


def _full_year(y1: str, y2: str) -> str:
    """'2023', '24' -> '20232024'; '2023', '2024' -> '20232024'."""
    return y1 + (y2 if len(y2) == 4 else y1[:2] + y2)


def _dossier(raw: str) -> str:
    # "21 501-02" -> "21501-02"; "36 410 XIV" -> "36410-XIV"
    match = re.match(r"(?P<digits>\d[\d ]*\d|\d)(?:[- ](?P<suffix>[IVXLC]+|\d{2}))?$", raw)
    assert match  # KAMERSTUK only matches this shape
    digits = match.group("digits").replace(" ", "")
    return digits + (f"-{match.group('suffix')}" if match.group("suffix") else "")


def find_identifiers(text: str) -> list[Identifier]:
    """Every identifier in ``text``, in order; URLs are not searched for other identifiers.

    >>> text = "Kamerstuk 21 501-02, nr. 2732 en Aanhangsel Handelingen II 2023/24, nr. 1234"
    >>> [found.key for found in find_identifiers(text)]
    ['kst-21501-02-2732', 'ah-tk-20232024-1234']
    """
    found: list[Identifier] = []
    urls = [Url(m.group(0), m.group(0), m.start(), m.end()) for m in URL.finditer(text)]
    found.extend(urls)

    def in_url(start: int) -> bool:
        return any(u.start <= start < u.end for u in urls)

    kamerstukken = []
    for m in KAMERSTUK.finditer(text):
        if in_url(m.start()):
            continue
        kst = Kamerstuk(
            dossier=_dossier(m.group("dossier").strip()),
            number=m.group("number"),
            year=m.group("year"),
            chamber=m.group("chamber"),
            text=m.group(0),
            start=m.start(),
            end=m.end(),
        )
        kamerstukken.append(kst)
    found.extend(kamerstukken)
    for m in AANHANGSEL.finditer(text):
        if m.group("ay"):
            year, number = m.group("ay"), m.group("anumber")
        else:
            year, number = _full_year(m.group("y1"), m.group("y2")), m.group("number")
        found.append(Aanhangsel(year, number, m.group(0), m.start(), m.end()))
    for m in TK_DOCUMENT.finditer(text):
        if not in_url(m.start()):
            found.append(TkDocument(m.group(0), m.group(0), m.start(), m.end()))
    for m in COM_DOCUMENT.finditer(text):
        found.append(
            ComDocument(m.group("year"), m.group("number"), m.group(0), m.start(), m.end())
        )
    for m in CELEX.finditer(text):
        if not in_url(m.start()) and not TK_DOCUMENT.fullmatch(m.group(0)):
            found.append(Celex(m.group("celex"), m.group(0), m.start(), m.end()))
    for m in MOTION.finditer(text):
        # A Kamerstuk right after the motion's name (same sentence) is its number.
        after = next((k for k in kamerstukken if 0 <= k.start - m.end() <= 4), None)
        end = after.end if after else m.end()
        found.append(Motion(m.group("submitter"), after, text[m.start() : end], m.start(), end))
    return sorted(found, key=lambda i: (i.start, -i.end))


def document_identifiers(text: str) -> list[DocumentIdentifier]:
    """The identifiers that name one document (not URLs, not unnumbered motions)."""
    return [
        i
        for i in find_identifiers(text)
        if isinstance(i, Kamerstuk | Aanhangsel | TkDocument | ComDocument | Celex)
    ]
