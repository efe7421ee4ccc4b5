"""All errors the package raises on purpose. The CLI maps them to exit codes.

Each error says where the problem is (file, line, field) and what was expected, so a
maintainer can fix the input without reading a traceback.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

# Characters a terminal acts on rather than shows (line ends, escape sequences) or that reorder
# what it shows (bidirectional controls): written as escapes wherever input is echoed.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def printable(text: object) -> str:
    """``text`` with every control, format or unassigned character as an escape (``\\n``,
    ``\\x1b``, ``\\u202e``), so a file name or identifier taken from input prints as one line
    that cannot forge or colour other output."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(
        _escape(ch) if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch for ch in text
    )


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class KgError(Exception):
    """Base class: a problem with input or usage, reported to the user (exit code 2)."""

    exit_code = 2


class SourceError(KgError):
    """A source document cannot be read or parsed."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        shown = printable(self.path)
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: {message}")


class ReferenceDataError(KgError):
    """Curated reference data or the ontology is malformed or inconsistent."""


class StoreError(KgError):
    """The store is missing, unreadable or cannot be written."""


class StaleStore(StoreError):
    """The store was built from other files than the ones there now (a build failed or was
    not run since they changed): validating it would report on data that is gone."""


class QueryError(KgError):
    """A query file is missing, malformed, or its parameters are wrong."""


class UsageError(KgError):
    """A command was given options that do not fit together, or a value it does not know."""


class ConfigError(KgError):
    """A configuration file is missing a field or has a wrong value."""


class ExportError(KgError):
    """The export cannot be written (output folder not writable, a file cannot be written)."""


class CatalogInvalid(ExportError):
    """The DCAT catalogue violates the official shapes; the export is not published (finding)."""

    exit_code = 1


class NotReadyToPublish(ExportError):
    """``kg export --strict``: the configuration still has placeholders or defaults a portal
    would reject; the export is not published (finding, exit code 1)."""

    exit_code = 1


class CheckFailed(KgError):
    """A check of the built dataset found problems; nothing was written (exit code 1)."""

    exit_code = 1

    def __init__(self, findings: list[str], message: str | None = None) -> None:
        self.findings = findings
        shown = "; ".join(findings[:5]) + (
            f"; ... {len(findings) - 5} more" if len(findings) > 5 else ""
        )
        super().__init__(message or f"{len(findings)} finding(s): {shown}")


class AnalysisError(KgError):
    """A name given to the network analysis is unknown or ambiguous."""


class ShapesError(KgError):
    """A SHACL shapes file is missing, malformed, or not valid SHACL."""


class ProjectNotFound(KgError):
    """No project folder: none named (--project, KG_PROJECT) and none at or above the current one."""
