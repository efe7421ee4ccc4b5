"""A validation report as text, JSON, Turtle (a sh:ValidationReport), or in the forms CI
systems read: JUnit XML (test reports), SARIF 2.1.0 (code scanning) and GitHub Actions workflow
commands (``::error file=...,line=...::``, shown as annotations on the file's line).

Every form names each result's file and line where it has one: a document's source file and the
line of the text span, a reference-data Turtle file and the line of the statement, or, for an
entity only the documents name (the minted graph), the document that names it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import RDF

from kg import package_version
from kg.errors import UsageError
from kg.rdf.namespaces import GRAPH, MINTED_GRAPH, PREFIXES, REFERENCE_GRAPH, SH, SHAPES
from kg.rdf.terms import prefixed_name
from kg.validate.report import ValidationReport, ValidationResult

FORMATS = ("text", "turtle", "json", "junit", "sarif", "github")
# kg validate --report FILE: the form by the file's suffix
REPORT_SUFFIXES = {
    ".txt": "text",
    ".ttl": "turtle",
    ".json": "json",
    ".xml": "junit",
    ".sarif": "sarif",
}
DOCUMENT_GRAPH_PREFIX = str(GRAPH["document/"])
# What the graphs that are no document's are called where a result names its origin.
GRAPH_NAMES = {str(REFERENCE_GRAPH): "reference data", str(MINTED_GRAPH): "minted graph"}
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
    if fmt == "junit":
        return _junit(report, shown, warnings)
    if fmt == "sarif":
        return _sarif(report, shown)
    if fmt == "github":
        return _github(report, shown, warnings)
    if fmt != "text":
        raise UsageError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return _text(report, shown, warnings)


def report_format(path: Path) -> str:
    """The form a report file is written in, by its suffix (``--report FILE``)."""
    fmt = REPORT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(f"{suffix} ({name})" for suffix, name in REPORT_SUFFIXES.items())
        raise UsageError(f"--report {path}: unknown suffix {path.suffix!r}; expected {known}")
    return fmt


def write_report(report: ValidationReport, path: Path, warnings: bool = False) -> None:
    """The report in the form ``path``'s suffix names (``report_format``), written to ``path``."""
    text = render(report, report_format(path), warnings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"--report {path}: cannot write it: {err.strerror}") from None


def origin(r: ValidationResult) -> str:
    """Where a result comes from, as the text report shows it: ``file:line``, and for the
    graphs that are no document's own, which graph (``minted graph, named in file:line``)."""
    place = r.source or compact(r.graph)
    if r.source and r.line is not None:
        place += f":{r.line}"
    if r.graph == str(MINTED_GRAPH):
        return f"minted graph, named in {place}" if r.source else "minted graph"
    return place


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
    constraint = compact(r.constraint) if r.constraint else compact(r.component)
    return [
        f"  {compact(r.focus)}{label}  [{origin(r)}]",
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
                _remove_tree(graph, node)
                graph.remove((None, SH.result, node))
    return graph.serialize(format="turtle")


def _remove_tree(graph: Graph, node) -> None:
    """A result and the blank nodes it owns (its path, its details): none left behind."""
    for _, value in list(graph.predicate_objects(node)):
        if isinstance(value, BNode):
            _remove_tree(graph, value)
    graph.remove((node, None, None))


def _one_line(r: ValidationResult) -> str:
    """A result in one line: focus, label, path and value, message and constraint."""
    label = f' "{r.focus_label}"' if r.focus_label else ""
    path = f" {_compact_path(r.path)}" if r.path else ""
    value = f" = {_value_text(r.value)}" if r.value is not None else ""
    constraint = compact(r.constraint) if r.constraint else compact(r.component)
    return f"{compact(r.focus)}{label}{path}{value}: {r.message} ({constraint})"


def _shape_title(r: ValidationResult) -> str:
    return compact(r.shape) + (f" ({r.shape_name})" if r.shape_name else "")


# --- GitHub Actions workflow commands -----------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(report: ValidationReport, shown: list[ValidationResult], warnings: bool) -> str:
    """One ``::error`` (violation) or ``::warning`` line per result, with ``file`` and ``line``
    where the result has them: GitHub shows each as an annotation on that line of the file."""
    lines = []
    for r in shown:
        level = "error" if r.severity == "Violation" else "warning"
        properties = []
        if r.source and "*" not in r.source:
            properties.append(f"file={_escape_property(r.source)}")
            if r.line is not None:
                properties.append(f"line={r.line}")
        title = _shape_title(r)
        if r.graph == str(MINTED_GRAPH):
            title += ", minted graph"
        properties.append(f"title={_escape_property(title)}")
        lines.append(f"::{level} {','.join(properties)}::{_escape_data(_one_line(r))}")
    lines.append(summary(report, warnings))
    return "\n".join(lines) + "\n"


# --- JUnit XML ------------------------------------------------------------------------------


def _graph_title(graph: str) -> str:
    if graph.startswith(DOCUMENT_GRAPH_PREFIX):
        return f"document {graph.removeprefix(DOCUMENT_GRAPH_PREFIX)}"
    return GRAPH_NAMES.get(graph, compact(graph))


def _junit(report: ValidationReport, shown: list[ValidationResult], warnings: bool) -> str:
    """A test suite per graph validated, a test case per result (a violation is a failure, a
    warning passes with the warning as its output), and one passing case for a graph without
    results, so that a conforming run reports what it checked."""
    graphs = [*([str(REFERENCE_GRAPH), str(MINTED_GRAPH)] if report.reference_validated else [])]
    graphs += [g for g in report.documents if g not in graphs]
    graphs += sorted({r.graph for r in shown} - set(graphs))
    by_graph: dict[str, list[ValidationResult]] = {g: [] for g in graphs}
    for r in shown:
        by_graph[r.graph].append(r)
    root = ET.Element(
        "testsuites",
        name="kg validate",
        tests=str(sum(max(1, len(items)) for items in by_graph.values())),
        failures=str(sum(r.severity == "Violation" for r in shown)),
        errors="0",
        time=f"{report.seconds:.3f}",
    )
    for graph, items in by_graph.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_graph_title(graph),
            tests=str(max(1, len(items))),
            failures=str(sum(r.severity == "Violation" for r in items)),
            errors="0",
            skipped="0",
        )
        if not items:
            what = "violations" if not warnings else "violations or warnings"
            ET.SubElement(
                suite, "testcase", classname=_graph_title(graph), name=f"no {what}", time="0"
            )
        for r in items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_shape_title(r),
                name=f"{compact(r.focus)} {_compact_path(r.path)}",
                time="0",
            )
            if r.source and "*" not in r.source:
                case.set("file", r.source)
                if r.line is not None:
                    case.set("line", str(r.line))
            detail = f"{_one_line(r)}\n[{origin(r)}]"
            if r.severity == "Violation":
                failure = ET.SubElement(
                    case, "failure", message=r.message, type=compact(r.component)
                )
                failure.text = detail
            else:
                ET.SubElement(case, "system-out").text = f"{r.severity}: {detail}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


# --- SARIF 2.1.0 ----------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "note"}


def _sarif(report: ValidationReport, shown: list[ValidationResult]) -> str:
    """SARIF 2.1.0: one rule per shape, one result per SHACL result, located in its file
    (relative to the project: ``%SRCROOT%``) and line, and logically at its focus node."""
    rules: dict[str, dict] = {}
    for r in shown:
        if r.shape not in rules:
            rules[r.shape] = {
                "id": compact(r.shape),
                "name": r.shape_name or compact(r.shape),
                "shortDescription": {"text": r.shape_name or compact(r.shape)},
                "fullDescription": {"text": r.message},
                "defaultConfiguration": {"level": SARIF_LEVELS.get(r.severity, "note")},
                "properties": {"iri": r.shape},
            }
    index = {shape: i for i, shape in enumerate(rules)}
    results = [_sarif_result(r, index[r.shape]) for r in shown]
    body = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kg validate",
                        "version": package_version(),
                        "informationUri": "https://w3id.org/ai-beleid/",
                        "rules": list(rules.values()),
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": "the project folder"}}
                },
                "results": results,
                "properties": {"conforms": report.conforms, "summary": summary(report, True)},
            }
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _sarif_result(r: ValidationResult, rule_index: int) -> dict:
    location: dict = {"logicalLocations": [{"fullyQualifiedName": r.focus, "kind": "resource"}]}
    if r.source and "*" not in r.source:
        physical: dict = {"artifactLocation": {"uri": r.source, "uriBaseId": "%SRCROOT%"}}
        if r.line is not None and r.line >= 1:
            physical["region"] = {"startLine": r.line}
        location["physicalLocation"] = physical
    return {
        "ruleId": compact(r.shape),
        "ruleIndex": rule_index,
        "level": SARIF_LEVELS.get(r.severity, "note"),
        "message": {"text": _one_line(r)},
        "locations": [location],
        "properties": {
            "focusNode": r.focus,
            "resultPath": r.path,
            "value": r.value,
            "sourceConstraintComponent": r.component,
            "graph": r.graph,
        },
    }
