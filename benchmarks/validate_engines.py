#!/usr/bin/env python3
"""Both validation engines on generated corpora, and a build with and without validation.

    .venv/bin/python benchmarks/validate_engines.py [--sizes 10k,100k,1M] [--build-documents 100]

For each size: ``kg bench generate`` writes about that many triples of documents, ``kg build
--no-validate`` builds them, and ``kg validate`` runs with ``--engine pyshacl`` and with
``--engine sparql`` (the shapes' meta-SHACL check excluded: it is cached per shapes change).
The two reports must hold the same results, or the script fails. Then a full build of
``--build-documents`` generated documents is timed without validation and with the build's
SHACL check on the SPARQL engine (and once on pySHACL), best of ``--repeat``. Prints a table
and writes benchmarks/VALIDATE_ENGINES.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kg.bench.generate import documents_for, generate
from kg.pipeline.build import build
from kg.project import Project
from kg.store import open_store
from kg.validate import load_shapes, shacl_check, validate_store

PROJECT = Project.at(Path(__file__).resolve().parent.parent)
OUT = Path(__file__).parent / "VALIDATE_ENGINES.md"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def corpus(folder: Path, documents: int) -> Path:
    data = folder / "data"
    generate(data, documents, seed=1, reference=PROJECT.data / "reference")
    return data


def validation_rows(size: str, folder: Path) -> list[str]:
    data = corpus(folder, documents_for(SIZES[size]))
    built = build(data, folder / "store", PROJECT.ontology, full=True)
    store = open_store(folder / "store")
    shapes = load_shapes(PROJECT.shapes)
    reports, walls = {}, {}
    for engine in ("sparql", "pyshacl"):  # the quick one first: its figure shows early
        started = time.perf_counter()
        reports[engine] = validate_store(store, shapes, check=False, engine=engine)
        walls[engine] = time.perf_counter() - started
        print(f"{size}: {engine} {walls[engine]:.1f} s", file=sys.stderr, flush=True)
    if reports["sparql"].results != reports["pyshacl"].results:
        raise SystemExit(f"{size}: the engines disagree")
    documents = len(reports["sparql"].documents)
    rows = []
    for engine in ("pyshacl", "sparql"):
        report = reports[engine]
        violations, warnings = len(report.violations), len(report.warnings)
        rows.append(
            f"| {size} | {built.triples:,} | {documents} | `{engine}` | {walls[engine]:.2f} | "
            f"{violations} / {warnings} |"
        )
    speedup = walls["pyshacl"] / walls["sparql"]
    rows.append(f"| {size} | | | speed-up | **{speedup:.1f}×** | same results |")
    return rows


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="of " + ", ".join(SIZES))
    parser.add_argument("--build-documents", type=int, default=100, help="0: no build rows")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
    validation = [
        "| size | triples | document graphs | engine | seconds | violations / warnings |",
        "|---|---:|---:|---|---:|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            validation += validation_rows(size, Path(tmp) / size)
        building = ["| build | seconds (best) | × unvalidated |", "|---|---:|---:|"]
        if args.build_documents:
            building += build_rows(Path(tmp) / "build", args.build_documents, args.repeat)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (
        "# Validation engines\n\n"
        "`sparql`: the shapes compiled to one SPARQL query per constraint, run by Oxigraph on "
        "an in-memory copy of the ontology, reference and document graphs, all documents at "
        "once (`kg/validate/compiler.py`, `sparql_engine.py`). `pyshacl`: the reference, one "
        "pySHACL run per document graph, split over worker processes. Both must give the "
        f"same results for a row to be written. Load average at the end: {load} "
        f"({os.cpu_count()} cores; other work ran beside this benchmark).\n\n"
        "`kg validate` on generated corpora (`benchmarks/validate_engines.py`), wall time of "
        "the validation after the store is open, meta-SHACL excluded:\n\n"
        + "\n".join(validation)
        + f"\n\nA full build of {args.build_documents} generated documents, with the check of "
        "the changed graphs before the new store becomes current (target: at most 2× the "
        "unvalidated build):\n\n" + "\n".join(building) + "\n"
    )
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
