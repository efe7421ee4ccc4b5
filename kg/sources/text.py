"""Reading source files into the normalised text that every offset points into."""

from __future__ import annotations

import hashlib
import unicodedata
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
    """The text of a source file: a PDF's extracted text, or UTF-8 (with or without BOM) or
    UTF-16 with BOM; anything else is refused with the problem and the fix named."""
    if data.startswith(b"%PDF-"):
        from kg.sources.pdf import pdf_text

        return _checked(path, normalise(pdf_text(path, data)))
    encoding = _encoding(path, data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
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


def _checked(path: Path, text: str) -> str:
    if not text.strip():
        raise SourceError(path, "file is empty; expected the text of a parliamentary document")
    return text


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror}") from None
    return decode_source(path, data)
