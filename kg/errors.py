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
