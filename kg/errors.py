"""All errors the package raises on purpose. The CLI maps them to exit codes.

Each error says where the problem is (file, line, field) and what was expected, so a
maintainer can fix the input without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base class: a problem with input or usage, reported to the user (exit code 2)."""

    exit_code = 2


class SourceError(KgError):
    """A source document cannot be read or parsed."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        super().__init__(f"{where}: {message}")


class ReferenceDataError(KgError):
    """Curated reference data or the ontology is malformed or inconsistent."""


class StoreError(KgError):
    """The store is missing, unreadable or cannot be written."""


class QueryError(KgError):
    """A query file is missing, malformed, or its parameters are wrong."""


class ConfigError(KgError):
    """A configuration file is missing a field or has a wrong value."""


class ShapesError(KgError):
    """A SHACL shapes file is missing, malformed, or not valid SHACL."""
