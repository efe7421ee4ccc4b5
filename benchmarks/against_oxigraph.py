#!/usr/bin/env python3
"""``kg serve`` against ``oxigraph serve-read-only`` on one store, in one run (issue 31).

    .venv/bin/python benchmarks/against_oxigraph.py --store DIR [--data DIR]
        [--reps 3] [--clients 8] [--duration 30] [--timeout 60] [--out FILE]

On the same store, opened read-only by both:

1. **Computed answers, query by query.** Every query of ``queries/`` (parameters bound to
   their defaults, as ``kg query`` binds them) sent ``--reps`` times to ``kg serve
   --cache-size 0`` and to ``oxigraph serve-read-only --union-default-graph``, alternating,
   one client, Accept SPARQL JSON: the medians, their ratio (kg / oxigraph: below 1 is kg
   ahead) and the rows each returned (they must be equal: ``kg serve`` runs with its row and
   byte limits raised so that it cuts nothing). Then ``kg serve`` with its cache: the first
   answer (computed, a cache miss) and the second (a cache hit).
2. **Load.** ``--clients`` clients in a closed loop over the mix of all queries for
   ``--duration`` seconds, each from a loopback address of its own: queries/s, latency p50
   and p99, and the CPU seconds the server's processes (``kg serve`` and its workers) used
   per answered query, from /proc.
3. **kg add** (with ``--data``): one small generated document added to a copy of the data
   folder and the store, timed.

Writes a Markdown report (``--out``). On a shared machine compare the ratios within a run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_common import BIN, KG, ROOT, free_port, percentile, query_texts
from bench_endpoints import Server, client_address, post_query

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rows(body: bytes) -> int:
    document = json.loads(body)
    return 1 if "boolean" in document else len(document["results"]["bindings"])


def tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) of process ``pid`` and every process under it."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return total


def kg_server(store: Path, timeout: float, cache: bool) -> Server:
    port = free_port()
    options = [] if cache else ["--cache-size", "0"]
    return Server(
        [
            KG, "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
            "--query-timeout", str(timeout), "--max-rows", "100000000",
            "--max-result-bytes", str(512 * 2**20), *options,
        ],
        f"http://127.0.0.1:{port}/sparql",
    )  # fmt: skip


def oxigraph_server(store: Path, timeout: float) -> Server:
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if oxigraph is None:
        raise SystemExit("the oxigraph CLI is not installed (pip install -e '.[bench]')")
    port = free_port()
    return Server(
        [
            oxigraph, "serve-read-only", "--location", str(store.resolve()),
            "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(round(timeout)),
        ],
        f"http://127.0.0.1:{port}/query",
    )  # fmt: skip


def timed(url: str, text: str, timeout: float) -> tuple[float | None, int | None, str]:
    started = time.perf_counter()
    try:
        body = post_query(url, text, timeout)
    except OSError as err:
        return None, None, str(err)[:80]
    return time.perf_counter() - started, rows(body), ""


def per_query(kg_off: Server, ox_server: Server, kg_on: Server, reps: int, timeout: float):
    found = {}
    for name, text in query_texts().items():
        kg_times, ox_times, kg_rows, ox_rows, errors = [], [], set(), set(), []
        for _ in range(reps):
            for server, times, counts in (
                (kg_off, kg_times, kg_rows),
                (ox_server, ox_times, ox_rows),
            ):
                seconds, count, error = timed(server.url, text, timeout)
                if error:
                    errors.append(error)
                else:
                    times.append(seconds)
                    counts.add(count)
        cold, _, error_cold = timed(kg_on.url, text, timeout)
        hit, _, error_hit = timed(kg_on.url, text, timeout)
        found[name] = {
            "kg": statistics.median(kg_times) if kg_times else None,
            "oxigraph": statistics.median(ox_times) if ox_times else None,
            "kg_rows": sorted(kg_rows),
            "ox_rows": sorted(ox_rows),
            "cold": cold,
            "hit": hit,
            "errors": errors + [e for e in (error_cold, error_hit) if e],
        }
        entry = found[name]
        print(
            f"{name}: kg {fmt(entry['kg'])} oxigraph {fmt(entry['oxigraph'])} "
            f"rows {entry['kg_rows']} / {entry['ox_rows']} cold {fmt(cold)} hit {fmt(hit)}",
            flush=True,
        )
    return found


def load(server: Server, clients: int, duration: float, timeout: float) -> dict:
    mix = list(query_texts().values())
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(offset: int) -> None:
        i, source = offset, client_address(offset)
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                post_query(server.url, mix[i % len(mix)], timeout, source)
                with lock:
                    latencies.append(time.perf_counter() - t)
            except OSError:
                with lock:
                    errors[0] += 1
            i += 1

    cpu_before = tree_cpu(server.process.pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = tree_cpu(server.process.pid) - cpu_before
    return {
        "qps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) if latencies else None,
        "p99": percentile(latencies, 99) if latencies else None,
        "answers": len(latencies),
        "errors": errors[0],
        "cpu_per_query": cpu / len(latencies) if latencies else None,
        "elapsed": elapsed,
    }


def kg_add(data: Path, store: Path) -> tuple[float, str]:
    """Seconds for ``kg add`` of one new generated document, on copies of the data and store."""
    from kg.synthetic.generate import document_id, generate_text, load_vocabulary

    with tempfile.TemporaryDirectory(dir=store.parent) as tmp:
        work = Path(tmp)
        shutil.copytree(data, work / "data")
        # a store is a link to its current build in a folder beside it (STORE.d/VERSION)
        builds = store.with_name(store.name + ".d").resolve()
        shutil.copytree(builds, work / "store.d", symlinks=True)
        (work / "store").symlink_to(Path("store.d") / store.resolve().relative_to(builds))
        index = len(list((data / "sources").glob("*.txt"))) + 1000
        identifier = document_id(index)
        text = generate_text(1, index, load_vocabulary(data / "reference"))[1]
        new = work / f"{identifier}.txt"
        new.write_text(text, encoding="utf-8")
        command = [
            KG, "add", str(new), "--id", identifier, "--data", str(work / "data"),
            "--store", str(work / "store"),
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        note = "" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-300:]}"
        return seconds, note


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(args, triples: int, queries: dict, loads: dict, add: tuple | None) -> str:
    lines = [
        "# kg serve against oxigraph serve-read-only",
        "",
        f"`python benchmarks/against_oxigraph.py {' '.join(args.argv)}`, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine: compare within "
        f"the run). Store: {triples:,} triples.",
        "",
        "## Computed answers, one client",
        "",
        f"Median of {args.reps} runs each, alternating; *kg* is `kg serve --cache-size 0` "
        "(every answer computed), ratio = kg / oxigraph (below 1: kg ahead). *cold* and *hit* "
        "are `kg serve` with its cache: the first answer (computed) and the second (from the "
        "cache).",
        "",
        "| query | kg (computed) | oxigraph | ratio | rows kg / oxigraph | kg cold | kg hit |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    ratios = []
    for name, q in queries.items():
        ratio = q["kg"] / q["oxigraph"] if q["kg"] and q["oxigraph"] else None
        if ratio is not None:
            ratios.append(ratio)
        same = "equal" if q["kg_rows"] == q["ox_rows"] and len(q["kg_rows"]) == 1 else "DIFFER"
        counts = f"{'/'.join(map(str, q['kg_rows']))} / {'/'.join(map(str, q['ox_rows']))}"
        error = f" ({'; '.join(q['errors'])})" if q["errors"] else ""
        lines.append(
            f"| {name} | {fmt(q['kg'])} | {fmt(q['oxigraph'])} | "
            f"{f'{ratio:.2f}' if ratio else '–'} | {counts} {same}{error} | {fmt(q['cold'])} | "
            f"{fmt(q['hit'])} |"
        )
    if ratios:
        ahead = sum(r <= 1.0 for r in ratios)
        lines += [
            "",
            f"Median ratio over {len(ratios)} queries: **{statistics.median(ratios):.2f}**; "
            f"kg at or ahead of oxigraph on {ahead} of {len(ratios)}.",
        ]
    lines += [
        "",
        f"## {args.clients} clients, closed loop over the mix, {args.duration:g} s",
        "",
        "| server | queries/s | p50 | p99 | errors | CPU s per query |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in loads.items():
        cpu = f"{r['cpu_per_query']:.3f}" if r["cpu_per_query"] is not None else "–"
        lines.append(
            f"| {name} | {r['qps']:.2f} | {fmt(r['p50'])} | {fmt(r['p99'])} | {r['errors']} "
            f"| {cpu} |"
        )
    kg_load, ox_load = loads.get("kg serve (cache off)"), loads.get("oxigraph serve-read-only")
    if kg_load and ox_load and ox_load["qps"] and ox_load["cpu_per_query"]:
        lines += [
            "",
            f"Throughput kg / oxigraph: **{kg_load['qps'] / ox_load['qps']:.2f}**; CPU per "
            f"query kg / oxigraph: **{kg_load['cpu_per_query'] / ox_load['cpu_per_query']:.2f}**.",
        ]
    if add is not None:
        seconds, note = add
        lines += ["", "## kg add", "", f"One small generated document: {seconds:.2f} s {note}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--data", type=Path, help="the store's data folder, to time kg add")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--skip", default="", help="steps to leave out: queries,load,add")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "AGAINST_OXIGRAPH.md")
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    skip = set(filter(None, args.skip.split(",")))
    store = args.store.resolve()
    import pyoxigraph as ox

    triples = len(ox.Store.read_only(str(store)))
    queries, loads = {}, {}
    servers = {
        "kg serve (cache off)": kg_server(store, args.timeout, cache=False),
        "oxigraph serve-read-only": oxigraph_server(store, args.timeout),
    }
    try:
        for server in servers.values():
            server.wait(600)
        if "queries" not in skip:
            kg_on = kg_server(store, args.timeout, cache=True)
            try:
                kg_on.wait(600)
                queries = per_query(
                    servers["kg serve (cache off)"],
                    servers["oxigraph serve-read-only"],
                    kg_on,
                    args.reps,
                    args.timeout,
                )
            finally:
                kg_on.stop()
        if "load" not in skip:
            for name, server in servers.items():
                loads[name] = load(server, args.clients, args.duration, args.timeout)
                print(name, loads[name], flush=True)
    finally:
        for server in servers.values():
            server.stop()
    link = args.store.absolute()  # the link, not the build it points at
    add = kg_add(args.data.resolve(), link) if args.data and "add" not in skip else None
    text = report(args, triples, queries, loads, add)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
