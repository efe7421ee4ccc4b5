"""kg validate: check the built store against the SHACL shapes in shapes/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="validate the store against the SHACL shapes",
        description="Validate the reference data once and every document graph on its own "
        "(with the reference data and ontology beside it) against the shapes in SHAPES. "
        "Exit 0 conforms, 1 violations, 2 usage or input error.",
    )
    p.add_argument(
        "--shapes",
        type=Path,
        default=project_default("shapes"),
        help="shapes folder (default: %(default)s)",
    )
    p.add_argument(
        "--store",
        default=project_default("store", str),
        help="store path, or the URL of a remote SPARQL endpoint (default: %(default)s)",
    )
    p.add_argument("--format", choices=("text", "turtle", "json"), default="text")
    p.add_argument("--warnings", action="store_true", help="also report recommendations")
    p.add_argument(
        "--document",
        action="append",
        metavar="ID",
        help="validate only this document graph (repeatable), e.g. the ones that changed",
    )
    p.add_argument(
        "--no-reference", action="store_true", help="skip the reference data (already validated)"
    )
    p.add_argument(
        "--engine",
        choices=("sparql", "pyshacl"),
        default="sparql",
        help="sparql: the shapes as SPARQL queries on the store, over all graphs at once "
        "(pySHACL for a shape it cannot compile); pyshacl: the reference, one graph at a time "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--jobs",
        type=_at_least_one,
        metavar="N",
        help="worker processes for pySHACL on larger graphs (default: one per CPU; 1: none)",
    )
    p.set_defaults(run=run)


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"needs a whole number of at least 1, not {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import bar
    from kg.store import open_store
    from kg.validate import load_shapes, render, validate_store

    shapes = load_shapes(args.shapes)
    store = open_store(args.store)
    with bar("Validating: document graphs") as progress:
        report = validate_store(
            store,
            shapes,
            documents=args.document,
            include_reference=not args.no_reference,
            shapes_dir=args.shapes,
            jobs=args.jobs,
            progress=progress,
            engine=args.engine,
        )
    sys.stdout.write(render(report, args.format, warnings=args.warnings))
    return 0 if report.conforms else 1
