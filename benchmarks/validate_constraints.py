#!/usr/bin/env python3
"""Validation at 1M triples constraint by constraint, and the validating build against the
unvalidated one, in one run.

    .venv/bin/python benchmarks/validate_constraints.py [--size 1M] [--repeat 3]
        [--data DIR] [--work DIR] [--as-written-timeout 120] [--builds-only]
        [--report benchmarks/REPORT.md]

1. A generated corpus of ``--size`` triples (``kg bench generate``), unless ``--data`` names
   one.
2. ``kg build --no-validate`` and ``kg build`` (the SHACL check of the graphs it wrote, on the
   SPARQL engine) into fresh stores, interleaved ``--repeat`` times so that a busy moment hits
   both alike: wall seconds (median) and peak RSS (largest process) of each, and their ratio
   (issue #31: at most 2x the time, at most 1.2x the memory).
3. Every compiled constraint of ``shapes/`` on that store, in place as the engine runs it, one
   query at a time (median of ``--repeat``): the slowest first, by name (shape, component).
   A SPARQL constraint the compiler planned for the engine (``kg.validate.join_plan``) is also
   timed as written, in a process of its own stopped after ``--as-written-timeout`` seconds.
   ``--builds-only`` leaves this step out.

Writes benchmarks/VALIDATE_CONSTRAINTS.md (``--out``) and, with ``--report``, the same tables
as a section of benchmarks/REPORT.md (``bench_sections``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_common import KG, parse_size, run_measured
from bench_sections import with_section

from kg.project import Project
from kg.synthetic.generate import documents_for, generate

PROJECT = Project.at(Path(__file__).resolve().parent.parent)
OUT = Path(__file__).parent / "VALIDATE_CONSTRAINTS.md"
SECTION = "benchmarks/validate_constraints.py"
REPORT_BEFORE = ("## Against the targets", "## Notes", "![")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M", help="triples of the generated corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, help="a data folder to build instead of a new one")
    parser.add_argument("--work", type=Path, help="where the stores go (default: a temporary one)")
    parser.add_argument("--top", type=int, default=25, help="constraints listed by name")
    parser.add_argument("--as-written-timeout", type=float, default=120.0)
    parser.add_argument(
        "--builds-only", action="store_true", help="time the two builds, not the constraints"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="default: %(default)s")
    parser.add_argument("--report", type=Path, help="also write the tables into this report")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    # kg runs in the project's folder (run_measured): paths given relative to here are resolved
    args.work = args.work.resolve() if args.work else None
    args.data = args.data.resolve() if args.data else None
    return args


def builds(data: Path, work: Path, repeat: int) -> dict[str, list[tuple[float, int]]]:
    """Seconds and peak RSS of each build, unvalidated and validated, interleaved."""
    measured: dict[str, list[tuple[float, int]]] = {"--no-validate": [], "validating": []}
    for round_ in range(repeat):
        for name, options in (("--no-validate", ["--no-validate"]), ("validating", [])):
            store = work / f"store-{name.strip('-')}"
            shutil.rmtree(store, ignore_errors=True)
            shutil.rmtree(store.with_name(store.name + ".d"), ignore_errors=True)
            command = [KG, "build", "--data", str(data), "--store", str(store), "-q", *options]
            seconds, rss, _ = run_measured(command)
            measured[name].append((seconds, rss))
            print(f"build {round_ + 1} {name}: {seconds:.1f} s, {rss / 2**20:.0f} MiB", flush=True)
    return measured


def build_rows(measured: dict[str, list[tuple[float, int]]]) -> list[str]:
    plain = statistics.median(s for s, _ in measured["--no-validate"])
    plain_rss = max(r for _, r in measured["--no-validate"])
    rows = [
        "| build | seconds (median) | peak RSS | × unvalidated (time) | × unvalidated (memory) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, runs in measured.items():
        seconds = statistics.median(s for s, _ in runs)
        rss = max(r for _, r in runs)
        command = "`kg build --no-validate`" if name == "--no-validate" else "`kg build`"
        rows.append(
            f"| {command} | {seconds:.2f} | {rss / 2**20:.0f} MiB | **{seconds / plain:.2f}** | "
            f"**{rss / plain_rss:.2f}** |"
        )
    every = ", ".join(
        f"{name}: " + " / ".join(f"{s:.1f}" for s, _ in runs) for name, runs in measured.items()
    )
    rows.append(f"\nEach run (s): {every}.")
    return rows


def constraint_times(store_path: Path, repeat: int) -> list[tuple[float, str, str, int, bool]]:
    """(median seconds, constraint, component, rows, planned) for every distinct query."""
    import pyoxigraph as ox

    from kg.rdf.terms import OxToRdflib
    from kg.store import open_store
    from kg.validate.compiler import compile_shapes
    from kg.validate.conditions import WELL_TYPED
    from kg.validate.data import select_documents, validation_store
    from kg.validate.shapes import load_shapes
    from kg.validate.sparql_engine import _Run, _well_typed

    store = open_store(store_path)
    view = validation_store(store, select_documents(store, None))
    compiled = compile_shapes(load_shapes(PROJECT.shapes))
    found, seen = [], set()
    for check in compiled.checks:
        if check.query in seen:
            continue
        seen.add(check.query)
        seconds = []
        for _ in range(repeat):
            converter = OxToRdflib()
            run = _Run(view, converter, {ox.NamedNode(WELL_TYPED): _well_typed(converter)})
            started = time.perf_counter()
            rows = len(run.rows(check.query))
            seconds.append(time.perf_counter() - started)
        name = _name(check.constraint if check.kind == "sparql" else check.shape)
        planned = "SELECT * WHERE" in check.query
        component = str(check.component).rsplit("#", 1)[-1]
        found.append((statistics.median(seconds), name, component, rows, planned))
    return sorted(found, reverse=True)


def _name(node) -> str:
    return "shapes:" + str(node).rsplit("#", 1)[-1] if node is not None else "?"


def _as_written(store_path: str, query: str, out) -> None:
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    started = time.perf_counter()
    rows = sum(1 for _ in store.query(query, use_default_graph_as_union=True))
    out.send((time.perf_counter() - started, rows))


def as_written(store_path: Path, timeout: float) -> dict[str, tuple[float | None, int | None]]:
    """The planned SPARQL constraints, timed as the shapes write them (the focus nodes as a
    subquery first, then the constraint's own group): seconds and rows, None when stopped at
    ``timeout``."""
    import kg.validate.sparql_constraints as constraints
    from kg.validate.compiler import compile_shapes
    from kg.validate.shapes import load_shapes

    shapes = load_shapes(PROJECT.shapes)
    planned = {
        _name(c.constraint)
        for c in compile_shapes(shapes).checks
        if c.kind == "sparql" and "SELECT * WHERE" in c.query
    }
    plan = constraints.planned_group
    constraints.planned_group = lambda body, focus: None
    try:
        written = {
            _name(c.constraint): c.query
            for c in compile_shapes(shapes).checks
            if c.kind == "sparql"
        }
    finally:
        constraints.planned_group = plan
    return {name: _timed(store_path, written[name], timeout) for name in sorted(planned)}


def _timed(store_path: Path, query: str, timeout: float) -> tuple[float | None, int | None]:
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(
        target=_as_written, args=(str(store_path.resolve()), query, send)
    )
    process.start()
    found = receive.recv() if receive.poll(timeout) else (None, None)
    process.kill()
    process.join()
    return found


def constraint_rows(
    times: list[tuple[float, str, str, int, bool]], written: dict, top: int
) -> list[str]:
    total = sum(t for t, *_ in times)
    rows = [
        f"{len(times)} queries, {total:.2f} s one at a time (the engine runs them one per core).",
        "",
        "| constraint | component | seconds | rows | as written |",
        "|---|---|---:|---:|---:|",
    ]
    for seconds, name, component, count, planned in times[:top]:
        before = ""
        if planned and name in written:
            was, _ = written[name]
            before = f"{was:.2f} s" if was is not None else "stopped"
        rows.append(f"| {name} | {component} | {seconds:.3f} | {count} | {before} |")
    rest = sum(t for t, *_ in times[top:])
    rows.append(f"| the other {len(times[top:])} | | {rest:.2f} | | |")
    return rows


def text(args, build_table: list[str], constraint_table: list[str], triples: int) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"`python benchmarks/validate_constraints.py {' '.join(args.argv)}`, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average at the end "
        f"{load} (a shared machine: compare ratios within a run). Corpus: {triples:,} "
        "triples.\n\n### The validating build against the unvalidated one\n\n"
        + "\n".join(build_table)
        + "\n\n### Each constraint on the store in place\n\n"
        + "\n".join(constraint_table)
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        data = args.data
        if data is None:
            data = work / "data"
            shutil.rmtree(data, ignore_errors=True)
            documents = documents_for(parse_size(args.size))
            generate(data, documents, seed=1, reference=PROJECT.data / "reference")
        measured = builds(data, work, args.repeat)
        store = work / "store-no-validate"
        constraints = ["Not measured in this run (--builds-only)."]
        if not args.builds_only:
            times = constraint_times(store, args.repeat)
            written = as_written(store, args.as_written_timeout)
            constraints = constraint_rows(times, written, args.top)
        from kg.store import open_store

        triples = len(open_store(store))
        body = text(args, build_rows(measured), constraints, triples)
    print(body)
    original = (
        args.out.read_text(encoding="utf-8")
        if args.out.exists()
        else "# Validation per constraint\n\n"
    )
    args.out.write_text(with_section(original, SECTION, body, ("## ",)), encoding="utf-8")
    if args.report is not None:
        report = args.report.read_text(encoding="utf-8")
        heading = "## Validation per constraint, and the validating build\n\n"
        args.report.write_text(
            with_section(report, SECTION, heading + body, REPORT_BEFORE), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
