#!/usr/bin/env python3
"""Both validation engines on generated corpora, and a build with and without validation.

    .venv/bin/python benchmarks/validate_engines.py [--sizes 10k,100k,1M] [--build-documents 100]
        [--report benchmarks/REPORT.md]

For each size: ``kg bench generate`` writes about that many triples of documents, ``kg build
--no-validate`` builds them, and ``kg validate`` runs with ``--engine pyshacl`` and with
``--engine sparql`` (the shapes' meta-SHACL check excluded: it is cached per shapes change).
The two reports must hold the same results: a size where they differ is marked so in the
tables and the script exits 1. Then a full build of ``--build-documents`` generated documents
is timed without validation and with the build's SHACL check on the SPARQL engine (and once on
pySHACL), best of ``--repeat``. Prints the tables and writes them into benchmarks/
VALIDATE_ENGINES.md (``--out``) and, with ``--report``, into benchmarks/REPORT.md as a section
of their own; each file keeps everything outside the script's section (``bench_sections``), and
benchmarks/run.py keeps the section when it writes REPORT.md again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_common import parse_size
from bench_sections import with_section

from kg.pipeline.build import build
from kg.project import Project
from kg.store import open_store
from kg.synthetic.generate import documents_for, generate
from kg.validate import load_shapes, shacl_check, validate_store

PROJECT = Project.at(Path(__file__).resolve().parent.parent)
OUT = Path(__file__).parent / "VALIDATE_ENGINES.md"
SECTION = "benchmarks/validate_engines.py"
# where the section goes in REPORT.md when it is not there yet
REPORT_BEFORE = ("## Against the targets", "## Notes", "![")
ENGINES = ("pyshacl", "sparql")


def corpus(folder: Path, documents: int) -> Path:
    data = folder / "data"
    generate(data, documents, seed=1, reference=PROJECT.data / "reference")
    return data


def validation_rows(size: str, folder: Path) -> tuple[list[str], bool]:
    """The table rows of one size, and whether the engines gave the same results."""
    data = corpus(folder, documents_for(parse_size(size)))
    built = build(data, folder / "store", PROJECT.ontology, full=True)
    store = open_store(folder / "store")
    shapes = load_shapes(PROJECT.shapes)
    reports, walls = {}, {}
    for engine in reversed(ENGINES):  # the quick one first: its figure shows early
        started = time.perf_counter()
        reports[engine] = validate_store(store, shapes, check=False, engine=engine)
        walls[engine] = time.perf_counter() - started
        print(f"{size}: {engine} {walls[engine]:.1f} s", file=sys.stderr, flush=True)
    same = reports["sparql"].results == reports["pyshacl"].results
    documents = len(reports["sparql"].documents)
    rows = []
    for engine in ENGINES:
        report = reports[engine]
        violations, warnings = len(report.violations), len(report.warnings)
        rows.append(
            f"| {size} | {built.triples:,} | {documents} | `{engine}` | {walls[engine]:.2f} | "
            f"{violations} / {warnings} |"
        )
    speedup = walls["pyshacl"] / walls["sparql"]
    verdict = "same results" if same else "**the results differ**"
    rows.append(f"| {size} | | | speed-up | **{speedup:.1f}×** | {verdict} |")
    return rows, same


def timed_build(data: Path, store: Path, checks: list) -> float:
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    build(data, store, PROJECT.ontology, full=True, checks=checks)
    return time.perf_counter() - started


def build_rows(folder: Path, documents: int, repeat: int) -> list[str]:
    data = corpus(folder, documents)
    store = folder / "store"
    sparql = [shacl_check(PROJECT.shapes, "sparql")]
    timed_build(data, store, sparql)  # warm-up: imports, meta-SHACL of the shapes (cached)
    plain, checked = [], []
    for _ in range(repeat):  # interleaved, so that a busy moment hits both alike
        plain.append(timed_build(data, store, []))
        checked.append(timed_build(data, store, sparql))
        print(f"build: {plain[-1]:.1f} s, validated {checked[-1]:.1f} s", file=sys.stderr)
    reference = timed_build(data, store, [shacl_check(PROJECT.shapes, "pyshacl")])
    base = min(plain)
    return [
        f"| `kg build --no-validate` | {base:.2f} | 1.00 |",
        f"| `kg build` (SPARQL engine) | {min(checked):.2f} | **{min(checked) / base:.2f}** |",
        f"| `kg build` (pySHACL engine, once) | {reference:.2f} | {reference / base:.2f} |",
    ]


def tables(validation: list[str], building: list[str], args: argparse.Namespace) -> str:
    """The measured tables, with how and when they were made."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (
        f"`python benchmarks/validate_engines.py {' '.join(args.argv)}`, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average at the end "
        f"{load} (the machine may have been shared: compare ratios within a run).\n\n"
        "`sparql`: the shapes compiled to one SPARQL query per constraint, run by Oxigraph on "
        "an in-memory copy of the ontology, reference, minted and document graphs, all "
        "documents at once (`kg/validate/compiler.py`, `sparql_engine.py`). `pyshacl`: the "
        "reference, one pySHACL run per document graph, split over worker processes. "
        "`kg validate` of the whole store (every document graph and the reference data) on "
        "generated corpora, wall time after the store is open, meta-SHACL excluded:\n\n"
        + "\n".join(validation)
        + "\n"
    )
    if args.build_documents:
        text += (
            f"\nA full build of {args.build_documents} generated documents, with the check of "
            "the changed graphs before the new store becomes current (target: at most 2× the "
            f"unvalidated build), best of {args.repeat}:\n\n" + "\n".join(building) + "\n"
        )
    return text


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="triples, e.g. 10k,100k,1M")
    parser.add_argument("--build-documents", type=int, default=100, help="0: no build rows")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT, help="default: %(default)s")
    parser.add_argument(
        "--report",
        type=Path,
        help="also write the tables into this report (benchmarks/REPORT.md) as a section",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in args.sizes:
        try:
            parse_size(size)
        except ValueError:
            parser.error(f"--sizes: {size!r} is not a number of triples such as 10k or 1M")
    return args


def write(path: Path, heading: str, body: str, before: tuple[str, ...]) -> None:
    """``body`` under ``heading`` as the script's section of the file at ``path``."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(with_section(text, SECTION, heading + body, before), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    validation = [
        "| size | triples | document graphs | engine | seconds | violations / warnings |",
        "|---|---:|---:|---|---:|---|",
    ]
    building = ["| build | seconds (best) | × unvalidated |", "|---|---:|---:|"]
    agree = True
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            rows, same = validation_rows(size, Path(tmp) / size)
            validation += rows
            agree = agree and same
        if args.build_documents:
            building += build_rows(Path(tmp) / "build", args.build_documents, args.repeat)
    body = tables(validation, building, args)
    print(body)
    if not args.out.exists():
        args.out.write_text("# Validation engines\n\n", encoding="utf-8")
    write(args.out, "", body, ("## ",))
    if args.report is not None:
        write(args.report, "## Validation: pySHACL and the SPARQL engine\n\n", body, REPORT_BEFORE)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
