"""Text from a .docx (the ministry's answer, notice or questions as tweedekamer.nl offers them
first), with docx2python.

The text is what the ministry's parser reads from python-docx's paragraphs, one a line, and
what python-docx drops put back the way a writer types it: Word's list numbers in front of
their paragraph ("1)\\t"), each Word footnote's reference as "[N]" where it stands and its body
as "[N] ..." after a rule at the end. Tables give a line per cell paragraph.

A .docx is a zip of XML parts: one that would unpack to more than ``MAX_UNPACKED`` bytes, or an
XML part that declares a DTD or entities, is refused before anything parses it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import SourceError

# A ministry's answer unpacks to well under a megabyte of XML; 50 MB leaves room for images.
MAX_UNPACKED = 50_000_000
MAX_PARTS = 2_000
FOOTNOTE_REFERENCE = re.compile(r"----footnote(\d+)----")
FOOTNOTE_BODY = re.compile(r"footnote(\d+)\)\s*(.*)", re.DOTALL)
RULE = "_" * 20


def is_docx(data: bytes) -> bool:
    """Whether ``data`` is a Word document: a zip holding word/document.xml."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def docx_text(path: Path, data: bytes) -> str:
    _check_package(path, data)
    from docx2python import docx2python

    try:
        with docx2python(io.BytesIO(data)) as content:
            paragraphs = list(_paragraphs(content.body_runs))
            notes = list(_footnotes(content.footnotes_runs))
    except (KeyError, ValueError, zipfile.BadZipFile) as err:
        raise SourceError(path, f"not a readable Word document: {err}") from None
    lines = [FOOTNOTE_REFERENCE.sub(r"[\1]", p) for p in paragraphs]
    if notes:
        lines += ["", RULE, *(f"[{number}] {body}" for number, body in notes)]
    text = "\n".join(lines)
    if not text.strip():
        raise SourceError(path, "the Word document holds no text; expected a document's text")
    return text


def _check_package(path: Path, data: bytes) -> None:
    """Refuse a zip bomb or XML with a DTD before any XML parser sees the package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            unpacked = sum(m.file_size for m in members)
            if len(members) > MAX_PARTS or unpacked > MAX_UNPACKED:
                raise SourceError(
                    path,
                    f"the Word document would unpack to {unpacked:,} bytes in {len(members)} "
                    f"parts; the limit is {MAX_UNPACKED:,} bytes and {MAX_PARTS} parts",
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    head = package.read(member)[:4096]
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise SourceError(
                            path,
                            f"part {member.filename} declares a DTD or entities, which a Word "
                            "document never does; refused",
                        )
    except zipfile.BadZipFile as err:
        raise SourceError(path, f"not a readable Word document: {err}") from None


def _paragraphs(runs: object) -> Iterator[str]:
    """Every paragraph's text, in document order, from docx2python's nested runs (tables,
    rows, cells, paragraphs, runs)."""
    if isinstance(runs, list) and runs and all(isinstance(r, str) for r in runs):
        yield "".join(runs)
    elif isinstance(runs, list):
        for item in runs:
            yield from _paragraphs(item)


def _footnotes(runs: object) -> Iterator[tuple[int, str]]:
    for paragraph in _paragraphs(runs):
        body = FOOTNOTE_BODY.match(paragraph.strip())
        if body and body.group(2).strip():
            yield int(body.group(1)), " ".join(body.group(2).split())
