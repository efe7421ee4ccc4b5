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


def decode_source(path: Path, data: bytes) -> str:
    """Decode UTF-8, naming the line and byte of the first invalid sequence."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise SourceError(
            path,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at column {column}); "
            "expected a UTF-8 text file",
            line=line,
        ) from None
    if not text.strip():
        raise SourceError(path, "file is empty; expected the text of a parliamentary document")
    return normalise(text)


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror}") from None
    return decode_source(path, data)
