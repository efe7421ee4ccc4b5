"""kg remove ID: take a document out of data/sources and rebuild (all or nothing)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.errors import UsageError, printable
from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "remove",
        help="remove a source document and rebuild",
        description="Remove the source document ID from DATA/sources and rebuild the store. "
        "If the build fails the file is put back and the store is left as it was.",
    )
    p.add_argument("identifier", metavar="ID", help="document identifier, e.g. ah-tk-20232024-412")
    p.add_argument("--data", type=Path, default=project_default("data"), help="data folder")
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument("--store", type=Path, default=project_default("store"), help="store path")
    p.add_argument("--shapes", type=Path, default=project_default("shapes"), help="SHACL shapes")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.pipeline.corpus import remove_document
    from kg.sources.document_id import InvalidIdentifier, document_id
    from kg.validate import shacl_check

    try:
        args.identifier = document_id(args.identifier)
    except InvalidIdentifier as err:
        raise UsageError(f"ID: {err}") from None
    path, result = remove_document(
        args.identifier,
        args.data,
        args.store,
        args.ontology,
        checks=[shacl_check(args.shapes)],
        shapes_dir=args.shapes,
    )
    remain = len(result.documents) + result.unchanged  # reprocessed ones and those kept
    print(f"Removed {args.identifier} ({printable(path)}); {remain} document(s) remain.")
    print(f"Store: {printable(result.store)} ({result.triples} triples)")
    return 0
