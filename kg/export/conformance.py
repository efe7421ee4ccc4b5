"""Validate the catalogue with the official DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 SHACL shapes.

The shapes are read in place from the shared conformance folder (never copied into the repo):
``<project>/../shared/conformance`` or ``/work/shared/conformance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kg.errors import ProjectNotFound
from kg.project import Project
from kg.rdf.namespaces import SH

# Each profile: (name, folder, files). Recommended shapes carry sh:severity sh:Warning.
PROFILES = (
    (
        "DCAT-AP 3.0.1",
        "dcat-ap-3.0.1",
        ("shapes.ttl", "range.ttl", "shapes_recommended.ttl"),
    ),
    (
        "DCAT-AP-NL 3.0",
        "dcat-ap-nl-3.0",
        (
            "dcat-ap-nl-SHACL.ttl",
            "dcat-ap-nl-SHACL-klassebereik.ttl",
            "dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
            "dcat-ap-nl-SHACL-aanbevolen.ttl",
        ),
    ),
)


def conformance_dir(project: Project | None = None) -> Path | None:
    """The project's folder of official shapes (default ../shared/conformance), if it exists."""
    try:
        folder = (project or Project.find()).conformance
    except ProjectNotFound:
        return None
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Finding:
    profile: str
    severity: str  # "Violation", "Warning", "Info"
    focus: str
    path: str
    message: str
    shape: str

    def line(self) -> str:
        return f"[{self.profile}] {self.severity}: {self.focus} {self.path}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    findings: tuple[Finding, ...]
    shapes: tuple[Path, ...]
    readiness: tuple[str, ...] = ()  # kg.export.readiness warnings, one line each

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    def text(self) -> str:
        lines = ["Validation of catalog.ttl with the official SHACL shapes", ""]
        lines += [f"shapes: {p}" for p in self.shapes]
        lines += [
            "",
            f"violations: {len(self.violations)}",
            f"warnings (recommendations not met): {len(self.warnings)}",
            "",
        ]
        lines += [f.line() for f in sorted(self.findings, key=lambda f: (f.severity, f.line()))]
        return "\n".join(lines) + "\n" + readiness_text(self.readiness)


def readiness_text(warnings: tuple[str, ...]) -> str:
    """The section of the report on the configuration: placeholders and defaults a portal
    would reject (``kg export --strict`` fails on any)."""
    lines = [
        "",
        "Publication readiness of the configuration (export.toml)",
        "",
        f"readiness warnings: {len(warnings)}",
        "",
        *warnings,
    ]
    return "\n".join(lines) + "\n"


def load_shapes(folder: Path, files: tuple[str, ...]) -> tuple[Graph, list[Path]]:
    shapes, used = Graph(), []
    for name in files:
        path = folder / name
        shapes.parse(path, format="turtle")
        used.append(path)
    return shapes, used


def validate_catalog(catalog: Graph, conformance: Path) -> ValidationReport:
    from pyshacl import validate  # heavy: imported only when validating

    findings: list[Finding] = []
    used: list[Path] = []
    for profile, folder, files in PROFILES:
        shapes, paths_ = load_shapes(conformance / folder, files)
        used += paths_
        _, results, _ = validate(
            catalog, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True
        )
        findings += _findings(profile, results)
    return ValidationReport(tuple(findings), tuple(used))


def _findings(profile: str, results: Graph) -> list[Finding]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        found.append(
            Finding(
                profile=profile,
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(results.value(result, SH.focusNode)),
                path=results.qname(path)
                if path is not None and not isinstance(path, Graph)
                else str(path),
                message=str(results.value(result, SH.resultMessage) or ""),
                shape=str(results.value(result, SH.sourceShape)),
            )
        )
    return found


__all__ = [
    "Finding",
    "ValidationReport",
    "conformance_dir",
    "readiness_text",
    "validate_catalog",
]
