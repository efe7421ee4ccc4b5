"""SHACL validation of the built store against ``shapes/``.

- ``shapes``: loading the shapes, the meta-SHACL check and its per-change cache;
- ``data``: the graphs to validate, read through the ``GraphStore`` protocol;
- ``pyshacl_engine``, ``partition``, ``mirror``: pySHACL per document graph, split over
  worker processes, with SPARQL constraints answered by Oxigraph;
- ``report`` and ``render``: results, reports and their text, JSON and Turtle forms;
- ``compiler``, ``conditions``, ``sparql_constraints``: the shapes compiled to SPARQL;
  ``sparql_engine`` and ``focus_info`` run them on a store over all graphs at once;
- ``runner``: ``validate_store`` and the build check ``shacl_check``, with either engine.
"""

from kg.validate.data import document_graph_names, load_graph
from kg.validate.mirror import GraphSet
from kg.validate.pyshacl_engine import validate_graphs
from kg.validate.render import FORMATS, compact, render, report_format, summary, write_report
from kg.validate.report import ValidationReport, ValidationResult
from kg.validate.runner import (
    DEFAULT_ENGINE,
    ENGINES,
    shacl_check,
    validate_graph,
    validate_named_graphs,
    validate_store,
)
from kg.validate.shapes import check_shapes, check_shapes_once, load_shapes, shapes_digest

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "FORMATS",
    "GraphSet",
    "ValidationReport",
    "ValidationResult",
    "check_shapes",
    "check_shapes_once",
    "compact",
    "document_graph_names",
    "load_graph",
    "load_shapes",
    "render",
    "report_format",
    "shacl_check",
    "shapes_digest",
    "summary",
    "validate_graph",
    "validate_graphs",
    "validate_named_graphs",
    "validate_store",
    "write_report",
]
