"""kg candidates: names in the sources that look like organisations or programmes but are not
curated, ranked over every document with counts and passages; ``--stub NAME`` writes a block
for one of them into the reference data for a curator to complete."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.project import project_default

KINDS = ("organisation", "instrument", "eu")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "candidates",
        help="rank uncurated names worth adding to the reference data; write a stub for one",
        description="Capitalised multi-word names, abbreviations and programme/organisation "
        "words in the sources that no curated label covers, most frequent first over every "
        "document. With --stub NAME: append a stub block for NAME (labels, the passages it "
        "comes from, what is still to check) to the reference file of --kind.",
    )
    p.add_argument("--data", type=Path, default=project_default("data"), help="data folder")
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument("--passages", type=int, default=3, help="passages shown per name")
    p.add_argument("--stub", metavar="NAME", help="write a stub block for this name")
    p.add_argument(
        "--kind", choices=KINDS, default="organisation", help="what NAME is (default: %(default)s)"
    )
    p.add_argument(
        "--type",
        dest="instrument_type",
        metavar="TYPE",
        help="an instrument's type for --kind instrument or eu, e.g. programme, fund, strategy",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.pipeline.curation import ranked_candidates, write_stub

    if args.stub:
        stub = write_stub(args.stub, args.kind, args.data, args.ontology, args.instrument_type)
        found = (
            f"{stub.candidate.count}x in the sources" if stub.candidate else "not in the sources"
        )
        print(f"Wrote a stub for <{stub.iri}> into {stub.path} ({found}); complete its TODO note.")
        return 0
    ranked = ranked_candidates(args.data, args.ontology)
    if not ranked:
        print("no uncurated names: every body and programme the sources name is curated")
    for candidate in ranked:
        print(f"{candidate.count:4}x {candidate.name}  ({', '.join(candidate.documents)})")
        for passage in candidate.passages[: args.passages]:
            print(f"        {passage}")
    return 0
