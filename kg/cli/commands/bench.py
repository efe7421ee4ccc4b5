"""kg bench generate: write a synthetic corpus of letters for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "bench",
        help="benchmark helpers (synthetic corpora)",
        description="Benchmark helpers. 'kg bench generate' writes a deterministic synthetic "
        "corpus of letters (OUT/sources) with a copy of the reference data (OUT/reference), "
        "ready for 'kg build --data OUT'.",
    )
    sub = p.add_subparsers(dest="bench_command", metavar="SUBCOMMAND")
    g = sub.add_parser("generate", help="write N synthetic source documents")
    size = g.add_mutually_exclusive_group(required=True)
    size.add_argument("--documents", type=int, metavar="N", help="number of documents")
    size.add_argument(
        "--triples", type=int, metavar="T", help="about this many triples (calibrated N)"
    )
    g.add_argument("--seed", type=int, default=1, help="random seed (default: %(default)s)")
    g.add_argument("--out", type=Path, required=True, help="output folder")
    g.add_argument("--start", type=int, default=0, help="index of the first document (default: 0)")
    g.add_argument(
        "--reference",
        type=Path,
        default=project_default("reference"),
        help="curated reference data to mention (default: %(default)s)",
    )
    g.set_defaults(run=run_generate)
    p.set_defaults(run=_usage(p))


def _usage(parser: argparse.ArgumentParser):
    def run(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run


def run_generate(args: argparse.Namespace) -> int:
    from kg.errors import KgError
    from kg.synthetic.generate import documents_for, generate

    documents = args.documents if args.documents is not None else documents_for(args.triples)
    if documents < 1:
        raise KgError(f"--documents {documents}: expected at least 1")
    if not args.reference.is_dir():
        raise KgError(f"{args.reference}: no reference data folder")
    written = generate(args.out, documents, args.seed, args.reference, start=args.start)
    print(f"Wrote {len(written)} documents to {args.out / 'sources'} (seed {args.seed}).")
    return 0
