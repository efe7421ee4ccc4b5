"""kg candidates: names in the sources that look like organisations or programmes but are not
curated, with counts and passages."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "candidates",
        help="list uncurated names worth adding to the reference data",
        description="Capitalised multi-word names, abbreviations and programme/organisation "
        "words in the sources that no curated label covers.",
    )
    p.add_argument("--data", type=Path, default=project_default("data"), help="data folder")
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument("--passages", type=int, default=3, help="passages shown per name")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.cli.commands.add import print_candidates
    from kg.pipeline.corpus import candidates_in

    for identifier, candidates in candidates_in(args.data, args.ontology):
        print(identifier)
        print_candidates(candidates, args.passages)
    return 0
