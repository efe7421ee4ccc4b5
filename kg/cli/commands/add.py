"""kg add FILE...: copy documents into data/sources, rebuild and check, report what was added."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "add",
        help="add source documents and rebuild (all or nothing)",
        description="Parse each FILE (letter, Aanhangsel text/markdown, officielebekendmakingen "
        "XML or HTML), copy it into DATA/sources as ID.ext, rebuild the store and run the "
        "checks. On any error the copies are removed and the store is left as it was.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--data", type=Path, default=project_default("data"), help="data folder")
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument("--store", type=Path, default=project_default("store"), help="store path")
    p.add_argument("--shapes", type=Path, default=project_default("shapes"), help="SHACL shapes")
    p.add_argument("--passages", type=int, default=1, help="passages shown per candidate name")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import bar
    from kg.pipeline.corpus import add_documents
    from kg.validate import shacl_check

    # kg validate's shapes: no document whose graph violates one enters the store.
    with bar("Adding: documents") as progress:
        result = add_documents(
            args.files,
            args.data,
            args.store,
            args.ontology,
            checks=[shacl_check(args.shapes)],
            shapes_dir=args.shapes,
            progress=progress,
        )
    for added in result.added:
        doc = added.document
        print(
            f"Added {doc.identifier} ({doc.form}) as {added.target}: {len(doc.questions)} "
            f"questions, {len(doc.answers)} answers, {len(doc.footnotes)} footnotes, "
            f"{len(doc.mentions)} mentions, {len(doc.commitments)} commitments, "
            f"{added.cited} cited documents"
        )
        print_candidates(added.candidates, args.passages)
    print(f"Store: {result.build.store} ({result.build.triples} triples)")
    return 0


def print_candidates(candidates, passages: int) -> None:
    if not candidates:
        print("  no uncurated names")
        return
    print(f"  {len(candidates)} uncurated name(s) worth curating (data/reference/*.ttl):")
    for candidate in candidates:
        print(f"    {candidate.count}x {candidate.name}")
        for passage in candidate.passages[:passages]:
            print(f"        {passage}")
