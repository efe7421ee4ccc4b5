"""``kg export``: dumps, CSV tables, DCAT-AP catalogue, VoID and ontology, written atomically.

Everything is written into a temporary folder beside the output folder and then moved into
place with ``rename``; on any error the temporary folder is removed and an earlier export stays
as it was.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import CatalogInvalid, ExportError, NotReadyToPublish
from kg.export.config import ExportConfig
from kg.export.conformance import (
    ValidationReport,
    conformance_dir,
    readiness_text,
    validate_catalog,
    why_not_validated,
)
from kg.export.csvw import write_metadata
from kg.export.dcat import ExportedFile, catalog_graph, previous_issued
from kg.export.dumps import write_dumps
from kg.export.readiness import ReadinessWarning, readiness_warnings
from kg.export.tables import write_tables
from kg.export.w3id import write_htaccess
from kg.rdf.namespaces import ONTOLOGY_GRAPH, PREFIXES
from kg.store import GraphStore, graph_store, local_snapshot

CATALOG_FILES = ("catalog.ttl", "catalog.jsonld")
REPORT_FILE = "validation-report.txt"


@dataclass(frozen=True)
class ExportResult:
    out: Path
    files: tuple[ExportedFile, ...]
    report: ValidationReport | None
    readiness: tuple[ReadinessWarning, ...] = ()
    # why the catalogue was not checked against the official shapes (None: it was)
    not_validated: str | None = None
    w3id: Path | None = None  # the w3id.org redirect rules, when there is a target for them


def export(
    store: GraphStore | ox.Store,
    out: Path,
    config: ExportConfig,
    conformance: Path | None = None,
    validate: bool = True,
    strict: bool = False,
) -> ExportResult:
    """Write the whole export into ``out`` (replacing an earlier one only on success).

    ``conformance``: the folder of the official shapes; None looks for them (the project's
    conformance folder, else the cache). Where there are none the export is still written,
    and ``validation-report.txt`` and the result say that the catalogue was not checked and
    how to get the shapes: a portal maintainer with a plain clone gets the files, and a
    publication that must be checked uses ``strict``.

    ``strict``: a configuration that still has placeholders or defaults a portal would reject
    (kg.export.readiness), or a catalogue that could not be checked, is an error and nothing is
    published; otherwise they are warnings in validation-report.txt and in the result."""
    out, store = Path(out), graph_store(store)
    readiness = tuple(readiness_warnings(config))
    if validate and conformance is None:
        conformance = conformance_dir()
    not_validated = None
    if not validate:
        not_validated = "not validated against the official shapes (--no-validate)"
    elif conformance is None:
        not_validated = f"NOT validated against the official shapes: {why_not_validated()}"
    tmp = _temporary_folder(out)
    if config.issued is None:  # keep the date of the first publication from this folder
        first = previous_issued(out / "catalog.ttl") or datetime.now(UTC).date()
        config = dataclasses.replace(config, issued=first)
    try:
        with local_snapshot(store) as snapshot:
            files, report = _write_all(snapshot, tmp, config, conformance, not_validated, readiness)
        if strict and (readiness or not_validated):
            problems = [w.line() for w in readiness]
            if not_validated:
                problems.append(f"catalog.ttl was {not_validated}")
            raise NotReadyToPublish(
                f"not ready to publish (--strict), the export was not published: "
                f"{len(problems)} problem(s): {'; '.join(problems)}"
            )
        w3id = write_htaccess(tmp, config)
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    w3id = out / w3id.relative_to(tmp) if w3id is not None else None
    return ExportResult(out, files, report, readiness, not_validated, w3id)


def _temporary_folder(out: Path) -> Path:
    blocker = next((a for a in out.absolute().parents if a.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise ExportError(
            f"{out}: cannot write the export folder: {blocker} is a file, not a folder"
        )
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: cannot write the export folder: it is a file, not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as err:
        raise ExportError(f"{out}: cannot write the export folder: {err.strerror}") from None
    tmp.chmod(0o755)  # mkdtemp makes it private; the export is meant to be published
    return tmp


def _write_all(
    store,
    folder: Path,
    config: ExportConfig,
    conformance: Path | None,
    not_validated: str | None,
    readiness: tuple[ReadinessWarning, ...] = (),
) -> tuple[tuple[ExportedFile, ...], ValidationReport | None]:
    try:
        catalog, files = _write_files(store, folder, config)
    except OSError as err:
        where = err.filename or folder
        raise ExportError(f"{where}: cannot write: {err.strerror}") from None
    lines = tuple(w.line() for w in readiness)
    config_name = config.source.name if config.source else "export.toml"
    if not_validated is not None or conformance is None:
        text = f"catalog.ttl was {not_validated}\n" + readiness_text(lines, config_name)
        (folder / REPORT_FILE).write_text(text, encoding="utf-8")
        return files, None
    found = validate_catalog(catalog, conformance)
    report = ValidationReport(found.findings, found.shapes, lines, config_name)
    (folder / REPORT_FILE).write_text(report.text(), encoding="utf-8")
    if report.violations:
        first = report.violations[0].line()
        raise CatalogInvalid(
            f"catalog.ttl has {len(report.violations)} violation(s) of the official shapes, "
            f"the export was not published; first: {first}"
        )
    return files, report


def _write_files(store, folder: Path, config: ExportConfig):
    """Every file of the export, then the catalogue that describes them."""
    from kg.describe.void import describe

    paths = write_dumps(store, folder)
    data_dumps = [config.download_url(p.name) for p in paths]
    paths.append(_write_void(store, folder, config, data_dumps, describe))
    paths += _write_ontology(store, folder)
    paths += write_tables(store, folder)
    paths.append(write_metadata(folder))
    files = tuple(ExportedFile.from_path(p) for p in paths)
    catalog = catalog_graph(store, config, files)
    catalog.serialize(folder / "catalog.ttl", format="turtle", encoding="utf-8")
    catalog.serialize(folder / "catalog.jsonld", format="json-ld", encoding="utf-8")
    return catalog, files


def _write_void(store, folder: Path, config: ExportConfig, data_dumps, describe) -> Path:
    path = folder / "void.ttl"
    graph = describe(store, sparql_endpoint=config.sparql_endpoint, data_dumps=data_dumps)
    graph.serialize(path, format="turtle", encoding="utf-8")
    return path


def _write_ontology(store: GraphStore, folder: Path) -> list[Path]:
    from rdflib import Graph

    from kg.describe.ontology_html import render_ontology_html

    ttl, html = folder / "ontology.ttl", folder / "ontology.html"
    triples = [q.triple for q in store.quads(str(ONTOLOGY_GRAPH))]
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    ox.serialize(triples, str(ttl), ox.RdfFormat.TURTLE, prefixes=prefixes)
    graph = Graph().parse(ttl, format="turtle")
    html.write_text(render_ontology_html(graph), encoding="utf-8")
    return [ttl, html]


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp``: two renames in the same folder; the old export is deleted
    only after the new one is in place, and put back if the second rename fails."""
    old = None
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.rename(out, old)
        try:
            os.rename(tmp, out)
        except OSError:
            if old is not None:
                os.rename(old, out)
            raise
    except OSError as err:
        raise ExportError(f"{out}: cannot move the new export into place: {err.strerror}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["CATALOG_FILES", "REPORT_FILE", "ExportResult", "export"]
