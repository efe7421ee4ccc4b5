"""kg validate: check the built store against the SHACL shapes in shapes/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.project import project_default

# kg.validate.FORMATS, written here so that building the parser imports no RDF library
FORMATS = ("text", "turtle", "json", "junit", "sarif", "github")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="validate the store against the SHACL shapes",
        description="Validate the store's graphs against the shapes in SHAPES: by default as "
        "SPARQL queries over all graphs at once; with --engine pyshacl the reference data once "
        "and every document graph on its own (with the reference data and ontology beside it). "
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
    _store_options(p)
    add_report_option(p)
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


def _store_options(p: argparse.ArgumentParser) -> None:
    """Which data the store must hold, and the report's form."""
    p.add_argument(
        "--data",
        type=Path,
        default=project_default("data"),
        help="the data folder the store was built from: its sources and reference data must "
        "be what the store's build manifest records (default: %(default)s)",
    )
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument(
        "--store-only",
        action="store_true",
        help="validate the store as it is, even when the files in DATA changed since it was "
        "built (a failed or skipped kg build); results about them may name old lines",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text; json; turtle (sh:ValidationReport); junit (XML test report); sarif "
        "(SARIF 2.1.0, code scanning); github (::error file=...,line=...:: annotations). "
        "Default: %(default)s",
    )


def add_report_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--report",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="also write the report to FILE, in the form its suffix names: .xml (JUnit), "
        ".sarif (SARIF), .json, .ttl, .txt (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import bar
    from kg.errors import StaleStore
    from kg.pipeline.manifest import changes_since_build
    from kg.project import reference_dir
    from kg.store import open_store
    from kg.validate import load_shapes, render, report_format, validate_store, write_report

    for path in args.report:  # a wrong suffix is a usage error before anything runs
        report_format(path)
    shapes = load_shapes(args.shapes)
    store = open_store(args.store)
    changes = [] if args.store_only else changes_since_build(store, args.data, args.ontology)
    if changes:
        shown = "; ".join(changes[:5]) + (
            f"; ... {len(changes) - 5} more" if len(changes) > 5 else ""
        )
        raise StaleStore(
            f"{args.store}: the store does not hold what {args.data} holds now, so validating "
            f"it would check old data: {shown}. Run 'kg build' (a failed build says why it "
            "failed and leaves the previous store), or pass --store-only to validate the "
            "store as it is"
        )
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
            # file and line of results about curated data, from the files the store holds
            reference_dir=None if args.store_only else reference_dir(args.data),
        )
    for path in args.report:
        write_report(report, path, warnings=args.warnings)
    sys.stdout.write(render(report, args.format, warnings=args.warnings))
    return 0 if report.conforms else 1
