"""A validation report as text, JSON or Turtle (a sh:ValidationReport)."""

from __future__ import annotations

import json
from dataclasses import asdict

from rdflib import Graph
from rdflib.namespace import RDF

from kg.rdf.namespaces import PREFIXES, SH, SHAPES
from kg.rdf.terms import prefixed_name
from kg.validate.report import ValidationReport, ValidationResult

FORMATS = ("text", "turtle", "json")
# the shapes first: a shape's IRI reads as shapes:Name, not by a longer matching namespace
_REPORT_PREFIXES = {"shapes": SHAPES, **PREFIXES}


def compact(iri: str | None) -> str:
    """An IRI as a prefixed name where it is valid Turtle, else ``<iri>``; a literal as is."""
    if iri is None:
        return "-"
    name = prefixed_name(iri, _REPORT_PREFIXES, strict=True)
    if name is not None:
        return name
    return iri if iri.startswith('"') else f"<{iri}>"


def summary(report: ValidationReport, warnings: bool) -> str:
    graphs = len(report.documents)
    parts = ["reference data once and" if report.reference_validated else ""]
    parts.append(f"{graphs} document graph{'s' if graphs != 1 else ''} one by one")
    what = " ".join(p for p in parts if p)
    counts = f"{len(report.violations)} violation{'s' if len(report.violations) != 1 else ''}"
    if warnings:
        counts += f", {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}"
    verdict = "conforms" if report.conforms else "does not conform"
    checked = ""
    if report.shapes_seconds is not None:
        checked = f" (shapes checked with meta-SHACL first, {report.shapes_seconds:.2f} s)"
    return f"{verdict}: validated {what} in {report.seconds:.2f} s{checked}; {counts}"


def render(report: ValidationReport, fmt: str, warnings: bool = False) -> str:
    shown = report.results if warnings else report.violations
    if fmt == "json":
        return _json(report, shown, warnings)
    if fmt == "turtle":
        return _turtle(report, shown)
    return _text(report, shown, warnings)


def _text(report: ValidationReport, shown: list[ValidationResult], warnings: bool) -> str:
    lines: list[str] = []
    groups: dict[tuple[str, str], list[ValidationResult]] = {}
    for result in shown:
        groups.setdefault((result.severity, result.shape), []).append(result)
    for (severity, shape), items in groups.items():
        name = f" ({items[0].shape_name})" if items[0].shape_name else ""
        count = f"{len(items)} result{'s' if len(items) != 1 else ''}"
        lines.append(f"{severity}: {compact(shape)}{name}: {count}")
        for r in items:
            lines.extend(_text_lines(r))
        lines.append("")
    lines.append(summary(report, warnings))
    return "\n".join(lines) + "\n"


def _text_lines(r: ValidationResult) -> list[str]:
    label = f' "{r.focus_label}"' if r.focus_label else ""
    where = r.source or compact(r.graph)
    if r.line is not None:
        where += f":{r.line}"
    constraint = compact(r.constraint) if r.constraint else compact(r.component)
    return [
        f"  {compact(r.focus)}{label}  [{where}]",
        f"    path: {_compact_path(r.path)}   value: {_value_text(r.value)}",
        f"    {r.message}  ({constraint})",
    ]


def _compact_path(path: str | None) -> str:
    if path is None:
        return "-"
    return " | ".join(
        " / ".join(compact(step.strip()) for step in alternative.split(" / "))
        for alternative in path.split("|")
    )


def _value_text(value: str | None) -> str:
    if value is None:
        return "-"
    text = value if value.startswith('"') else compact(value)
    return text if len(text) <= 100 else text[:97] + "..."


def _json(report: ValidationReport, shown: list[ValidationResult], warnings: bool) -> str:
    body = {
        "conforms": report.conforms,
        "seconds": round(report.seconds, 3),
        "reference_validated": report.reference_validated,
        "documents": report.documents,
        "summary": summary(report, warnings),
        "results": [asdict(r) for r in shown],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _turtle(report: ValidationReport, shown: list[ValidationResult]) -> str:
    graph = report.results_graph
    if len(shown) != len(report.results):  # drop warnings the caller did not ask for
        graph = Graph()
        for prefix, namespace in report.results_graph.namespaces():
            graph.bind(prefix, namespace)
        for triple in report.results_graph:
            graph.add(triple)
        for node in list(graph.subjects(RDF.type, SH.ValidationResult)):
            if graph.value(node, SH.resultSeverity) != SH.Violation:
                graph.remove((node, None, None))
                graph.remove((None, SH.result, node))
    return graph.serialize(format="turtle")
