"""kg build: parse data/, write the dataset into the store (atomically), optionally as TriG."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg import paths


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "build",
        help="build the graph from data/ into the store",
        description="Parse every source in DATA/sources, link it to DATA/reference, and write "
        "the dataset into the store. A failed build leaves the previous store as it was.",
    )
    p.add_argument(
        "--data", type=Path, default=paths.DATA_DIR, help="data folder (default: %(default)s)"
    )
    p.add_argument("--ontology", type=Path, default=paths.ONTOLOGY_DIR, help="ontology folder")
    p.add_argument(
        "--store", type=Path, default=paths.STORE_PATH, help="store path (default: %(default)s)"
    )
    p.add_argument("--trig", type=Path, help="also write the whole dataset as TriG to this file")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.build import build

    result = build(args.data, args.store, args.ontology, args.trig)
    if args.quiet:
        return 0
    for doc in result.documents:
        print(
            f"{doc.identifier} ({doc.path}): {doc.questions} questions, {doc.answers} answers, "
            f"{doc.footnotes} footnotes, {doc.cross_references} cross-references, "
            f"{doc.commitments} commitments, {doc.mentions} mentions, {doc.triples} triples"
        )
    print(
        f"Built {result.triples} triples in {len(result.documents)} document graph(s) "
        f"plus ontology, reference data and provenance."
    )
    print(f"Store: {result.store}")
    if result.trig:
        print(f"TriG:  {result.trig}")
    print("Query it:  kg query questions   (kg query --list shows every query)")
    return 0
