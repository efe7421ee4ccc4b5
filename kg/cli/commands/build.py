"""kg build: parse data/, write the dataset into the store (atomically), optionally as TriG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.commands.validate import FORMATS, add_report_option
from kg.cli.store_options import add_remote_options, remote_options
from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "build",
        help="build the graph from data/ into the store",
        description="Parse every source in DATA/sources, link it to DATA/reference, and write "
        "the dataset into the store. A failed build leaves the previous store as it was.",
    )
    p.add_argument(
        "--data",
        type=Path,
        default=project_default("data"),
        help="data folder (default: %(default)s)",
    )
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument(
        "--store",
        default=project_default("store", str),
        help="store path, or the URL of a SPARQL 1.1 endpoint such as "
        "http://127.0.0.1:8890/sparql (default: %(default)s)",
    )
    p.add_argument(
        "--full", action="store_true", help="rebuild every document, not only changed ones"
    )
    p.add_argument("--jobs", type=int, help="worker processes for parsing (default: one per core)")
    add_remote_options(p)
    p.add_argument(
        "--shapes",
        type=Path,
        default=project_default("shapes"),
        help="SHACL shapes the changed document graphs must conform to (default: %(default)s)",
    )
    p.add_argument(
        "--no-validate",
        action="store_true",
        help="skip the SHACL check of the changed graphs before the new store becomes current",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how the check's findings are shown, as kg validate shows them (text, json, turtle, "
        "junit, sarif, github); in any form but text the build's own lines go to standard "
        "error (default: %(default)s)",
    )
    add_report_option(p)
    p.add_argument("--trig", type=Path, help="also write the whole dataset as TriG to this file")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import bar
    from kg.errors import CheckFailed
    from kg.pipeline.build import build
    from kg.project import reference_dir
    from kg.store import is_remote
    from kg.validate import render, report_format, shacl_check, write_report

    for path in args.report:  # a wrong suffix is a usage error before anything runs
        report_format(path)
    # Only what this build wrote is validated (with ontology and reference data beside it);
    # a violation raises CheckFailed (exit 1) and the previous store stays current. A remote
    # store has no version to discard: validate it with kg validate. A change to the shapes
    # rebuilds (and so re-validates) every graph: their digest is in the manifest.
    validate = not args.no_validate and not is_remote(args.store)
    reports: list = []  # the check's report, shown as kg validate shows its own
    check = shacl_check(args.shapes, reference_dir=reference_dir(args.data), reports=reports)
    checks = [check] if validate else []
    try:
        with bar("Building: documents", quiet=args.quiet) as progress:
            result = build(
                args.data,
                args.store,
                args.ontology,
                args.trig,
                full=args.full,
                jobs=args.jobs,
                remote_options=remote_options(args),
                checks=checks,
                shapes_dir=args.shapes,
                progress=progress,
            )
    except CheckFailed as failed:
        if not reports:
            raise
        _show(reports[-1], args, render, write_report)
        raise CheckFailed(
            failed.findings,
            f"{len(failed.findings)} violation(s) of {args.shapes} in what this build wrote "
            "(reported above); the new store was not made current, the previous one stays",
        ) from None
    if reports:
        _show(reports[-1], args, render, write_report, passed=True)
    if args.quiet:
        return 0
    _print_summary(result, validate, sys.stdout if args.format == "text" else sys.stderr)
    return 0


def _show(report, args: argparse.Namespace, render, write_report, passed: bool = False) -> None:
    """The check's report: into every --report file, and on standard output in --format (a
    passing check shows nothing there in text, where the build's own lines say it passed)."""
    for path in args.report:
        write_report(report, path)
    if not (passed and (args.format == "text" or args.quiet)):
        sys.stdout.write(render(report, args.format))
        sys.stdout.flush()


def _print_summary(result, validate: bool, out) -> None:
    """What the build did, on ``out`` (standard error when standard output holds a report)."""
    if len(result.documents) > 20:
        print(f"Processed {len(result.documents)} documents.", file=out)
    for doc in result.documents if len(result.documents) <= 20 else []:
        print(
            f"{doc.identifier} ({doc.path}): {doc.questions} questions, {doc.answers} answers, "
            f"{doc.footnotes} footnotes, {doc.cross_references} cross-references, "
            f"{doc.commitments} commitments, {doc.mentions} mentions, {doc.triples} triples",
            file=out,
        )
    graphs = len(result.documents) + result.unchanged
    print(
        f"Built {result.triples} triples in {graphs} document graph(s) "
        f"plus ontology, reference data and provenance.",
        file=out,
    )
    if not result.full:
        print(
            f"Incremental: {len(result.changed)} document(s) reprocessed, "
            f"{len(result.removed)} graph(s) dropped or replaced, {result.unchanged} unchanged.",
            file=out,
        )
    if validate:
        print(
            f"Validated the {len(result.changed)} changed document graph(s): no violations.",
            file=out,
        )
    print(f"Store: {result.store}", file=out)
    if result.trig:
        print(f"TriG:  {result.trig}", file=out)
    print("Query it:  kg query questions   (kg query --list shows every query)", file=out)
