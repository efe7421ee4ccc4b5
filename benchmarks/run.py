#!/usr/bin/env python3
"""Benchmarks of the whole pipeline at growing sizes, with baselines in the same run.

    python benchmarks/run.py [--sizes 10k,100k,1M,10M] [--quick] [--work DIR]

Per size: a synthetic corpus (``kg bench generate``, calibrated to the triple count), then

- build from text: wall time, documents/s, triples/s, peak RSS (largest process);
- latency p50/p99 of every query in ``queries/`` on the embedded store, and on rdflib's
  in-memory ``Dataset`` (baseline; up to ``--rdflib-max`` triples, it loads slowly);
- endpoint throughput and latency with 1, 8 and 32 clients on the mix of research queries:
  ``kg serve`` when this version has it, ``oxigraph serve`` (the engine's own server) and
  rdflib-endpoint (baselines);
- incremental rebuild after one changed document; full and incremental ``kg validate`` when
  this version has it.

Whatever is not available is reported as such, never estimated. Writes benchmarks/REPORT.md and
benchmarks/latency.png. Needs the ``bench`` extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_common import ROOT, SizeResult, label, parse_size
from bench_endpoints import measure_endpoints
from bench_measure import (
    corpus,
    dump_trig,
    measure_build,
    measure_embedded_latency,
    measure_incremental,
    measure_rdflib_latency,
    measure_validate_full,
)
from bench_report import fmt_s, plot, report
from bench_sections import keep_sections


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M,10M")
    parser.add_argument("--quick", action="store_true", help="few repetitions, short load tests")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "REPORT.md")
    parser.add_argument("--rdflib-max", default="1M", help="largest size for the rdflib baselines")
    parser.add_argument("--duration", type=float, help="seconds per endpoint load test")
    parser.add_argument(
        "--endpoint-max", default="1M", help="largest size for the endpoint measurements"
    )
    parser.add_argument("--validate-max", default="1M", help="largest size for a full kg validate")
    parser.add_argument(
        "--restart-budget",
        type=float,
        default=900.0,
        help="seconds per size for restarting rdflib-endpoint after a query it did not finish "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds after which one query of a baseline is given up (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.reps = 3 if args.quick else 10
    args.duration = args.duration or (2.0 if args.quick else 15.0)
    return args


def build_and_query(result: SizeResult, args: argparse.Namespace, save: Callable[[], None]):
    """Corpus, build, embedded latency and incremental rebuild of one size; the data folder
    and the store, for the steps after."""
    data = corpus(args.work, result.documents, args.seed)
    store = args.work / f"store-{result.documents}"
    result.documents = len(list((data / "sources").glob("*.txt")))  # with the real letter
    measure_build(result, data, store)
    print(
        f"   build: {result.triples:,} triples in {result.build_s:.1f} s, "
        f"peak RSS {result.build_rss / 2**20:.0f} MiB",
        flush=True,
    )
    reps = args.reps if result.target < 5_000_000 else 1
    measure_embedded_latency(result, store, reps, timeout=args.timeout)
    save()
    measure_incremental(result, data, store)
    print(
        f"   incremental rebuild: {result.incremental_s:.2f} s, with validation: "
        f"{fmt_s(result.incremental_validated_s)}",
        flush=True,
    )
    save()
    return data, store


def rdflib_latency(result: SizeResult, store: Path, args: argparse.Namespace) -> Path | None:
    """rdflib's latency on a TriG dump of the store, up to --rdflib-max; the dump, which the
    rdflib-endpoint baseline serves next."""
    if result.target > parse_size(args.rdflib_max):
        result.notes.append("rdflib baselines skipped above --rdflib-max")
        return None
    trig = args.work / f"dataset-{result.documents}.trig"
    dump_trig(store, trig)
    measure_rdflib_latency(
        result, trig, max(1, args.reps // 3), timeout=3600, query_timeout=args.timeout
    )
    return trig


def measure_size(result: SizeResult, args: argparse.Namespace, save: Callable[[], None]) -> None:
    size = result.target
    _data, store = build_and_query(result, args, save)
    trig = rdflib_latency(result, store, args)
    print("   query latency measured", flush=True)
    save()
    if size <= parse_size(args.validate_max):
        measure_validate_full(result, store)
    else:
        result.validate_full_s = "not run above --validate-max"
    save()
    if size <= parse_size(args.endpoint_max):
        measure_endpoints(
            result,
            store,
            trig,
            args.work,
            args.duration,
            size <= parse_size(args.rdflib_max),
            args.timeout,
            restart_budget=args.restart_budget,
        )
    else:
        result.notes.append("endpoints not measured above --endpoint-max")
    print("   endpoints measured", flush=True)
    save()
    if trig is not None:
        trig.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from kg.synthetic.generate import documents_for

    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []

    def save() -> None:
        """The report so far: a run stopped during a size keeps what that size measured."""
        text = report(results, args, started, finished=False)
        args.out.write_text(keep_sections(args.out, text), encoding="utf-8")

    for size in [parse_size(s) for s in args.sizes.split(",")]:
        print(f"== {label(size)} triples", flush=True)
        result = SizeResult(size, documents=documents_for(size))
        results.append(result)
        measure_size(result, args, save)
        # once per size: drawing takes about a second, as long as a small size's measurements
        plot(results, args.out.with_name("latency.png"))
    # sections other scripts wrote (benchmarks/validate_engines.py) stay
    text = keep_sections(args.out, report(results, args, started))
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
