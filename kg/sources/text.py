"""Reading source files into the normalised text that every offset points into, and excerpts
of that text around a span."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kg.errors import SourceError

DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_NUMBER = {name: number for number, name in enumerate(DUTCH_MONTHS, start=1)}
MONTH_PATTERN = "(?:" + "|".join(DUTCH_MONTHS) + ")"  # for regular expressions


def normalise(text: str) -> str:
    """NFC, LF line ends, no BOM: the only changes made to a source's text.

    Everything else (the stray first line, trailing spaces, no-break spaces) is kept, so that
    a quote recomputed from offsets is exactly what the document says.

    >>> normalise("\\ufeffe\\u0301en\\r\\ntwee\\rdrie  ")
    'éen\\ntwee\\ndrie  '
    """
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", None),  # UTF-32: named in the message, not read
    (b"\x00\x00\xfe\xff", None),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
FIX = "save it as UTF-8 (or UTF-16 with a byte-order mark), e.g. `iconv -f {source} -t UTF-8`"


def decode_source(path: Path, data: bytes) -> str:
    """The text of a source file: a PDF's or Word document's extracted text, or UTF-8 (with or without BOM) or
    UTF-16 with BOM, or markup in the encoding it declares; anything else is refused with the
    problem and the fix named."""
    if data.startswith(b"%PDF-"):
        from kg.sources.pdf import pdf_text

        return _checked(path, normalise(pdf_text(path, data)))
    from kg.sources.docx import docx_text, is_docx

    if is_docx(data):
        return _checked(path, normalise(docx_text(path, data)))
    encoding = _encoding(path, data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        # Markup that names its own encoding in its prolog or <meta charset> is read in it.
        declared = _declared(path, data[:4000]) if encoding == "utf-8" else None
        if declared and declared != "utf-8":
            return _checked(path, normalise(data.decode(declared, errors="replace")))
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        guess = "WINDOWS-1252" if encoding.startswith("utf-8") else "UTF-16"
        raise SourceError(
            path,
            f"not valid {'UTF-8' if encoding.startswith('utf-8') else encoding.upper()} "
            f"(byte 0x{data[err.start]:02x} at column {column}); expected a UTF-8 text file; "
            f"if it is in another encoding (often Windows-1252 or Latin-1), "
            + FIX.format(source=guess),
            line=line,
        ) from None
    return _checked(path, normalise(text))


def _encoding(path: Path, data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            if encoding is None:
                raise SourceError(path, "UTF-32 is not accepted; " + FIX.format(source="UTF-32"))
            return encoding
    head = data[:4000]
    if head and head.count(b"\x00") > len(head) // 4:
        raise SourceError(
            path,
            "looks like UTF-16 without a byte-order mark (NUL bytes between characters); "
            + FIX.format(source="UTF-16LE"),
        )
    return "utf-8"


# The encoding markup names for itself: an XML prolog, or an HTML <meta charset>.
DECLARED = re.compile(
    rb"^\s*<\?xml[^>]*?encoding=[\"']([A-Za-z0-9._-]+)[\"']"
    rb"|<meta[^>]+charset=[\"']?([A-Za-z0-9._-]+)",
    re.IGNORECASE,
)


# Encodings a document may declare for itself (Python's canonical codec names): the Unicode
# ones and the single-byte code pages publishers use. Not the other codecs Python knows:
# 'rot13' and 'zlib' are no text encodings at all, 'idna' refuses errors='replace', 'punycode'
# takes seconds per 100 KB (quadratic) and 'utf-7' turns plain ASCII into markup.
DOCUMENT_ENCODINGS = re.compile(
    r"utf-8|utf-16(?:-[lb]e)?|ascii|latin-1|iso8859-\d{1,2}|cp125\d|cp437|cp850|mac-roman"
    r"|koi8-[ru]"
)


def _declared(path: Path, head: bytes) -> str | None:
    """A markup file's own declaration of its encoding, when it is one a document may have;
    a declared name Python knows as some other codec is refused, naming it."""
    import codecs

    found = DECLARED.search(head)
    if found is None:
        return None
    name = (found.group(1) or found.group(2)).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if DOCUMENT_ENCODINGS.fullmatch(codec) is None:
        line = head.count(b"\n", 0, found.start()) + 1
        raise SourceError(
            path,
            f"declares the encoding {name!r}, which is not one a document is read in; "
            "expected UTF-8, UTF-16, ISO-8859-N or Windows-125N; " + FIX.format(source=name),
            line=line,
        )
    return codec


# The longest real document so far is 64,000 characters (a PDF's text, tk-2024-11); every
# later step (parsing, linking, the graph) costs in proportion to the text, so a text fifteen
# times that is refused before any of them.
MAX_CHARACTERS = 1_000_000


def _checked(path: Path, text: str) -> str:
    if not text.strip():
        raise SourceError(path, "file is empty; expected the text of a parliamentary document")
    if len(text) > MAX_CHARACTERS:
        raise SourceError(
            path,
            f"the text is {len(text):,} characters long; the limit is {MAX_CHARACTERS:,} per "
            "document (expected one parliamentary document, not a collection)",
            line=text.count("\n", 0, MAX_CHARACTERS) + 1,
        )
    return text


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror}") from None
    return decode_source(path, data)


@dataclass(frozen=True)
class Excerpt:
    """A span of a text with the context around it: ``text[start:end]`` holds
    ``text[span_start:span_end]``."""

    text: str
    start: int
    end: int
    span_start: int
    span_end: int

    @property
    def cut_before(self) -> bool:
        return self.start > 0

    @property
    def cut_after(self) -> bool:
        return self.end < len(self.text)

    @property
    def before(self) -> str:
        """The context before the span, with "…" where the text was cut."""
        return ("…" if self.cut_before else "") + self.text[self.start : self.span_start]

    @property
    def span(self) -> str:
        return self.text[self.span_start : self.span_end]

    @property
    def after(self) -> str:
        return self.text[self.span_end : self.end] + ("…" if self.cut_after else "")

    def one_line(self) -> str:
        """The whole excerpt on one line (runs of white space as one space), with "…" where
        the text was cut."""
        return (
            ("…" if self.cut_before else "")
            + one_line(self.text[self.start : self.end])
            + ("…" if self.cut_after else "")
        )


def passage(
    text: str,
    start: int,
    end: int,
    *,
    context: int | None = None,
    paragraph_break: str | None = "\n\n",
) -> Excerpt:
    """The paragraph around ``text[start:end]`` (bounded by ``paragraph_break``, or the whole
    text when it is None), cut to at most ``context`` characters on each side of the span."""
    low, high = 0, len(text)
    if paragraph_break is not None:
        found = text.rfind(paragraph_break, 0, start)
        low = found + len(paragraph_break) if found >= 0 else 0
        found = text.find(paragraph_break, end)
        high = found if found >= 0 else len(text)
    if context is not None:
        low, high = max(low, start - context), min(high, end + context)
    return Excerpt(text, low, high, start, end)


def one_line(text: str) -> str:
    """The text with every run of white space (line ends included) as one space, trimmed.

    >>> one_line("  Vraag\\n 1 :\\tja ")
    'Vraag 1 : ja'
    """
    return " ".join(text.split())
