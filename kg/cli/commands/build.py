"""kg build: parse data/, write the dataset into the store (atomically), optionally as TriG."""

from __future__ import annotations

import argparse
from pathlib import Path

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
    p.add_argument("--trig", type=Path, help="also write the whole dataset as TriG to this file")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import bar
    from kg.pipeline.build import build
    from kg.store import is_remote
    from kg.validate import shacl_check

    # Only what this build wrote is validated (with ontology and reference data beside it);
    # a violation raises CheckFailed (exit 1) and the previous store stays current. A remote
    # store has no version to discard: validate it with kg validate. A change to the shapes
    # rebuilds (and so re-validates) every graph: their digest is in the manifest.
    validate = not args.no_validate and not is_remote(args.store)
    checks = [shacl_check(args.shapes)] if validate else []
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
    if args.quiet:
        return 0
    if len(result.documents) > 20:
        print(f"Processed {len(result.documents)} documents.")
    for doc in result.documents if len(result.documents) <= 20 else []:
        print(
            f"{doc.identifier} ({doc.path}): {doc.questions} questions, {doc.answers} answers, "
            f"{doc.footnotes} footnotes, {doc.cross_references} cross-references, "
            f"{doc.commitments} commitments, {doc.mentions} mentions, {doc.triples} triples"
        )
    graphs = len(result.documents) + result.unchanged
    print(
        f"Built {result.triples} triples in {graphs} document graph(s) "
        f"plus ontology, reference data and provenance."
    )
    if not result.full:
        print(
            f"Incremental: {len(result.changed)} document(s) reprocessed, "
            f"{len(result.removed)} graph(s) dropped or replaced, {result.unchanged} unchanged."
        )
    if validate:
        print(f"Validated the {len(result.changed)} changed document graph(s): no violations.")
    print(f"Store: {result.store}")
    if result.trig:
        print(f"TriG:  {result.trig}")
    print("Query it:  kg query questions   (kg query --list shows every query)")
    return 0
