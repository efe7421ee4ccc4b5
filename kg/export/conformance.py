"""Validate the catalogue with the official DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 SHACL shapes.

The shapes are read in place, never copied into the repository: from the project's conformance
folder (``../shared/conformance`` beside the checkout) or the cache ``tasks.py`` fetches them into
from their pinned official URLs (``kg/conformance.toml``, ``kg.project.Project.conformance_root``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import ExportError, ProjectNotFound
from kg.project import Project, missing_conformance
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


MATERIALS = ("dcat-ap", "dcat-ap-nl")  # their keys in kg/conformance.toml


def conformance_dir(project: Project | None = None) -> Path | None:
    """The folder holding the official DCAT-AP and DCAT-AP-NL shapes (the project's conformance
    folder, else the cache), or None when neither has them."""
    try:
        return (project or Project.find()).dcat_conformance
    except ProjectNotFound:
        return None


def why_not_validated(project: Project | None = None) -> str:
    """Why the catalogue cannot be checked against the official shapes, and how to get them."""
    try:
        return missing_conformance(project or Project.find(), *MATERIALS)
    except ProjectNotFound:
        return (
            "the official DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 shapes were not found: outside a "
            "project, name their folder with --conformance DIR"
        )


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
    config_name: str = "export.toml"  # the configuration file they are about

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
        return "\n".join(lines) + "\n" + readiness_text(self.readiness, self.config_name)


def readiness_text(warnings: tuple[str, ...], config_name: str = "export.toml") -> str:
    """The section of the report on the configuration file ``config_name``: placeholders and
    defaults a portal would reject (``kg export --strict`` fails on any)."""
    lines = [
        "",
        f"Publication readiness of the configuration ({config_name})",
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
        if not path.is_file():
            raise ExportError(
                f"{path}: no such file; the folder of official shapes needs "
                f"{', '.join(files)} (pinned in kg/conformance.toml)"
            )
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


# SHACL's path forms that wrap one path, and the SPARQL operator each is written with.
_PATH_OPERATORS = (
    (SH.inversePath, "^{}"),
    (SH.zeroOrMorePath, "{}*"),
    (SH.oneOrMorePath, "{}+"),
    (SH.zeroOrOnePath, "{}?"),
)


def path_text(graph: Graph, path: Node | None) -> str:
    """A SHACL result path in SPARQL's property path syntax: an IRI as a prefixed name where
    it has one, a path node (``[ sh:inversePath dcat:inSeries ]``, as the DCAT-AP shapes have)
    as ``^dcat:inSeries``. (An IRI-only ``qname`` failed on a blank node: kg export stopped.)"""
    if path is None:
        return "None"
    if isinstance(path, URIRef):
        try:
            return graph.qname(path)
        except ValueError:  # no namespace/local split (an IRI ending in '/' or '#')
            return f"<{path}>"
    for predicate, form in _PATH_OPERATORS:
        inner = graph.value(path, predicate)
        if inner is not None:
            return form.format(path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "(" + " / ".join(path_text(graph, p) for p in Collection(graph, path)) + ")"
    return str(path)


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
                path=path_text(results, path),
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
    "why_not_validated",
]
