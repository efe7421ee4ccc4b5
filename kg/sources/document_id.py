"""What a document identifier may be: the one rule for every file name, IRI and graph name
made from one.

An identifier comes from input a user or a publisher controls: the document's text, a
``DC.identifier`` in the markup or in a ``metadata.xml``, the file name, or ``kg add --id``.
It then becomes the file name of the copy in ``data/sources`` (``ID.ext``), the local part of
the document's IRIs (``id/document/ID/...``) and its named graph. So it is checked against a
whitelist, not cleaned: the published forms of officielebekendmakingen and the Tweede Kamer,
or else a conservative slug (lowercase ASCII letters and digits in hyphen-separated runs). No
form has a dot, a slash, a space or a control character, so an identifier can be neither a
dot segment of an IRI nor a path that leaves its folder, and it reads the same in a file
name, a URL and a terminal.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import SourceError, printable

MAX_LENGTH = 64  # the longest published form is 23 characters; file systems allow 255 bytes
# (name, pattern, example), in the order an error message lists them.
PUBLISHED_FORMS = (
    ("Aanhangsel van de Handelingen", r"ah-tk-[0-9]{8}-[0-9]{1,6}", "ah-tk-20242025-560"),
    ("Kamervragen not yet answered", r"kv-tk-[0-9]{4}Z[0-9]{4,6}", "kv-tk-2024Z18438"),
    ("Tweede Kamer document number", r"[0-9]{4}D[0-9]{4,6}", "2026D32673"),
    ("Tweede Kamer case (zaak) number", r"[0-9]{4}Z[0-9]{4,6}", "2024Z18438"),
)
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
IDENTIFIER = re.compile(
    "|".join(f"(?:{pattern})" for _, pattern, _ in PUBLISHED_FORMS) + f"|(?:{SLUG})", re.ASCII
)
# The suffix a copy keeps (".pdf", ".txt", ".xml"): the parser reads the content, not the name,
# so any other suffix is dropped rather than carried into data/sources.
SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}", re.ASCII)
EXPECTED = (
    "expected "
    + ", ".join(f"{name} such as {example}" for name, _, example in PUBLISHED_FORMS)
    + f", or at most {MAX_LENGTH} lowercase letters, digits and single hyphens (a-z, 0-9, -)"
)


class InvalidIdentifier(ValueError):
    """``raw`` is no document identifier; ``str(err)`` names it (escaped) and what is expected."""

    def __init__(self, raw: str) -> None:
        shown = printable(raw if len(raw) <= 80 else raw[:80] + "…")
        super().__init__(f"'{shown}' is not a document identifier; {EXPECTED}")
        self.raw = raw


def document_id(raw: str) -> str:
    """``raw`` as a document identifier (white space around it dropped), or
    :class:`InvalidIdentifier`. Every file name, IRI and graph name of a document is made from
    what this returns."""
    text = raw.strip()
    if len(text) > MAX_LENGTH or IDENTIFIER.fullmatch(text) is None:
        raise InvalidIdentifier(raw)
    return text


def is_document_id(raw: str) -> bool:
    try:
        return document_id(raw) == raw
    except InvalidIdentifier:
        return False


def source_file_name(identifier: str, original: Path) -> str:
    """The name of a source's copy in ``data/sources``: the identifier and the original's last
    suffix, lowercased, when it is a plain one (else none)."""
    suffix = original.suffix.lower()
    return document_id(identifier) + (suffix if SAFE_SUFFIX.fullmatch(suffix) else "")


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused (ValueError) unless it resolves to a file directly in
    ``folder``: the last check before anything is written there."""
    root = folder.resolve()
    target = (root / name).resolve()
    if target.parent != root or name in ("", ".", ".."):
        raise ValueError(f"'{printable(name)}' would not be a file in {root}")
    return target


def checked_identifier(path: Path, text: str, identifier: str) -> str:
    """A parsed document's identifier through :func:`document_id`, or a ``SourceError``
    naming the file, the line the identifier stands on (when the text holds it) and what is
    expected."""
    try:
        return document_id(identifier)
    except InvalidIdentifier as err:
        offset = text.find(identifier) if identifier.strip() else -1
        line = text.count("\n", 0, offset) + 1 if offset >= 0 else None
        raise SourceError(path, str(err), line=line) from None
