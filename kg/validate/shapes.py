"""The shapes graph: loading ``shapes/*.ttl``, the meta-SHACL check and its per-change cache."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from kg.errors import ShapesError
from kg.project import Project, project_root_of
from kg.rdf.namespaces import SH
from kg.rdf.turtle import TurtleSyntaxError, read_turtle
from kg.validate.render import compact
from kg.validate.report import term_text


def load_shapes(shapes_dir: Path) -> Graph:
    """Every ``*.ttl`` in the folder, parsed into one shapes graph; a clear error if malformed."""
    shapes_dir = Path(shapes_dir)
    if not shapes_dir.is_dir():
        raise ShapesError(f"{shapes_dir}: no shapes folder")
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise ShapesError(f"{shapes_dir}: no .ttl shapes files found")
    try:
        graph = read_turtle(files)
    except TurtleSyntaxError as err:
        raise ShapesError(f"{err.where}: not valid Turtle: {err.why}") from None
    if not any(graph.subjects(RDF.type, SH.NodeShape)):
        raise ShapesError(f"{shapes_dir}: no sh:NodeShape in {', '.join(f.name for f in files)}")
    _join_query_lines(graph)
    return graph


def _join_query_lines(shapes: Graph) -> None:
    """Put each SPARQL constraint's query on one line. pySHACL 0.40 scans the query text with
    multi-line regular expressions once per focus node, and that cost grows with the number
    of lines (about two thirds of the seed's validation time went there). Queries with a
    comment or a long string literal, where a line break means something, stay as written."""
    for predicate in (SH.select, SH.ask):
        for node, text in list(shapes.subject_objects(predicate)):
            query = str(text)
            if not isinstance(text, Literal) or "#" in query or "'''" in query or '"""' in query:
                continue
            joined = re.sub(r"\s*\n\s*", " ", query).strip()
            if joined != query:
                shapes.set((node, predicate, Literal(joined, datatype=text.datatype)))


def check_shapes(shapes: Graph) -> None:
    """Validate the shapes graph against SHACL-for-SHACL (pySHACL's meta-SHACL shapes)."""
    from pyshacl.entrypoints import meta_validate

    try:
        conforms, report, _ = meta_validate(shapes, inference="none")
    except Exception as err:  # pySHACL raises its own load errors for broken constraints
        raise ShapesError(f"shapes cannot be loaded: {one_line(err)}") from None
    if conforms:
        return
    first = sorted(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultMessage)),
            term_text(report.value(r, SH.value)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )[0]
    focus, path, message, value = first
    value_text = f" = {value}" if value is not None else ""
    raise ShapesError(
        f"shapes are not valid SHACL: {compact(focus)} {compact(path)}{value_text}: {message}"
    )


def shapes_digest(shapes_dir: Path) -> str:
    """SHA-256 over the shapes files (names and bytes) and the pySHACL version: what the
    meta-SHACL verdict depends on."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"pyshacl {version('pyshacl')}\n".encode())
    for path in sorted(Path(shapes_dir).glob("*.ttl")):
        digest.update(f"{path.name}\n".encode())
        digest.update(path.read_bytes())
        digest.update(b"\n")
    return digest.hexdigest()


def check_shapes_once(shapes_dir: Path, shapes: Graph, cache_dir: Path | None = None) -> bool:
    """``check_shapes``, skipped when these exact shapes files already passed it.

    Only a pass is remembered (a marker file named by ``shapes_digest`` in ``cache_dir``,
    default build/cache/shapes-checked), so a changed or broken shape is always checked again.
    True when meta-SHACL ran."""
    if cache_dir is None:
        # The project holding the shapes, else the one the command runs in.
        root = project_root_of(Path(shapes_dir).resolve()) or project_root_of(Path.cwd())
        if root is None:  # no project at all: nowhere to remember the pass
            check_shapes(shapes)
            return True
        cache_dir = Project.at(root).build / "cache" / "shapes-checked"
    marker = Path(cache_dir) / shapes_digest(shapes_dir)
    if marker.is_file():
        return False
    check_shapes(shapes)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{Path(shapes_dir).resolve()}: conforms to SHACL-for-SHACL\n")
    except OSError:  # a read-only checkout only loses the shortcut
        pass
    return True


def one_line(err: Exception) -> str:
    """An exception's message in at most two lines' worth of text, on one line."""
    text = str(getattr(err, "message", None) or err).strip() or type(err).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2])
