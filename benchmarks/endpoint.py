"""Benchmark: this endpoint (kg serve) against rdflib-endpoint, same data, same queries, one run.

    .venv/bin/python benchmarks/endpoint.py [--requests 200] [--out benchmarks/ENDPOINT.md]

Builds the seed graph into a temporary folder, starts both servers on 127.0.0.1 (free ports),
sends the queries of queries/ plus two simple lookups over HTTP (POST, form-encoded, Accept
SPARQL JSON) with 1 and then 8 concurrent clients, and reports latency p50/p99 and throughput.
It also measures what the worker-process pool costs per simple query compared with running
the same query in the server's own thread. Needs the ``bench`` extra (rdflib-endpoint).
Timings on a shared machine are noisy: compare the two servers within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.pipeline.build import build  # noqa: E402
from kg.project import Project  # noqa: E402
from kg.query.library import list_queries  # noqa: E402
from tests.support.live_server import free_port  # noqa: E402

SIMPLE = {
    "ask": "ASK { ?s a <https://w3id.org/ai-beleid/def/aip#Question> }",
    "lookup": "SELECT ?p ?o WHERE { <https://w3id.org/ai-beleid/id/instrument/nadi> ?p ?o }",
}
RDFLIB_ENDPOINT = textwrap.dedent(
    """
    import sys, uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint
    dataset = Dataset(default_union=True)
    dataset.parse(sys.argv[1], format="trig")
    app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=True)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    """
)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            httpx.post(url, data={"query": "ASK {}"}, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not start")


def run_load(url: str, queries: list[str], requests: int, clients: int) -> dict:
    latencies: list[float] = []
    errors = 0

    def one_client(index: int) -> None:
        nonlocal errors
        with httpx.Client(timeout=120) as client:
            for i in range(index, requests, clients):
                query = queries[i % len(queries)]
                started = time.perf_counter()
                response = client.post(
                    url,
                    data={"query": query},
                    headers={"Accept": "application/sparql-results+json"},
                )
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one_client, range(clients)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "throughput": len(latencies) / wall,
        "errors": errors,
        "requests": len(latencies),
    }


class Server:
    """A server subprocess on a free loopback port, restartable."""

    def __init__(self, name: str, command) -> None:
        self.name = name
        self.command = command
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/sparql"
        self.process = subprocess.Popen(self.command(port), cwd=ROOT)
        wait_until_up(self.url, self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # still busy with a slow query
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def probe(server: Server, named: dict[str, str], timeout: float) -> dict[str, tuple]:
    """Per query: (rows or a reason, seconds). A server left computing a query the client gave
    up on is restarted, so that the work does not slow down what is measured next."""
    out: dict[str, tuple] = {}
    for name, query in named.items():
        started = time.perf_counter()
        try:
            response = httpx.post(
                server.url,
                data={"query": query},
                headers={"Accept": "application/sparql-results+json"},
                timeout=timeout,
            )
        except httpx.TimeoutException:
            out[name] = (f"> {timeout:g} s", time.perf_counter() - started)
            server.restart()
            continue
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            out[name] = (f"HTTP {response.status_code}", seconds)
            continue
        body = response.json()
        out[name] = (len(body["results"]["bindings"]) if "results" in body else 1, seconds)
    return out


def pool_overhead(store: Path, repeats: int) -> dict[str, float]:
    """Median seconds per simple query: in the calling thread vs through the worker pool."""
    import pyoxigraph as ox

    from kg.server import formats
    from kg.server.pool import WorkerPool
    from kg.server.query_job import QueryJob, run_query

    job = QueryJob(SIMPLE["lookup"], {formats.TABULAR: "json"})
    store_handle = ox.Store.read_only(str(store.resolve()))
    in_thread = []
    for _ in range(repeats):
        started = time.perf_counter()
        run_query(store_handle, job)
        in_thread.append(time.perf_counter() - started)

    async def through_pool() -> list[float]:
        pool = WorkerPool(store, 2, 10.0)
        await pool.start()
        times = []
        try:
            for _ in range(repeats):
                started = time.perf_counter()
                await pool.run(run_query, job)
                times.append(time.perf_counter() - started)
        finally:
            pool.close()
        return times

    pooled = asyncio.run(through_pool())
    return {
        "in_thread_ms": statistics.median(in_thread) * 1000,
        "pool_ms": statistics.median(pooled) * 1000,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per configuration")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "ENDPOINT.md")
    parser.add_argument(
        "--probe-timeout",
        type=float,
        default=20.0,
        help="seconds a single query may take before it is left out of the load mix",
    )
    return parser.parse_args(argv)


def make_servers(store: Path, trig: Path) -> list[Server]:
    """kg serve on the store and rdflib-endpoint on the TriG dump of the same build."""
    ours = Server(
        "kg serve (Oxigraph, worker processes)",
        lambda port: [
            str(Path(sys.executable).parent / "kg"),
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            "--log-level",
            "warning",
            # All clients here come from one address: lift the per-client limit, so the
            # comparison measures the engines, not the fairness rule.
            "--client-queries",
            "8",
            "--client-queue",
            "16",
        ],
    )
    theirs = Server(
        "rdflib-endpoint (rdflib, in-process)",
        lambda port: [sys.executable, "-c", RDFLIB_ENDPOINT, str(trig), str(port)],
    )
    return [ours, theirs]


def load_runs(servers: list[Server], mix: list[str], requests: int) -> dict[tuple, dict]:
    """Each server with 1 and 8 clients, after a short warm-up: (server, clients) -> numbers."""
    results = {}
    for server in servers:
        for clients in (1, 8):
            run_load(server.url, mix, min(20, requests), clients)  # warm up
            r = results[(server.name, clients)] = run_load(server.url, mix, requests, clients)
            print(
                f"{server.name:42} {clients} client(s): p50 {r['p50']:8.1f} ms  "
                f"p99 {r['p99']:8.1f} ms  {r['throughput']:7.1f} req/s  "
                f"errors {r['errors']}",
                flush=True,
            )
    return results


def compare_servers(servers: list[Server], named: dict[str, str], args: argparse.Namespace):
    """Probes of every query, the queries too slow for the load mix, and the load runs."""
    try:
        for server in servers:
            server.start()
        # One run of each query on each server: rows (they must agree) and seconds.
        probes = {server.name: probe(server, named, args.probe_timeout) for server in servers}
        slow = {
            name
            for p in probes.values()
            for name, (rows, _) in p.items()
            if not isinstance(rows, int)
        }
        mix = [text for name, text in named.items() if name not in slow]
        results = load_runs(servers, mix, args.requests)
    finally:
        for server in servers:
            server.stop()
    return probes, slow, results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    project = Project.at(ROOT)
    named = {q.name: q.text for q in list_queries(project.queries)} | SIMPLE
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        result = build(project.data, tmp_path / "store", project.ontology, tmp_path / "d.trig")
        servers = make_servers(result.store, tmp_path / "d.trig")
        probes, slow, results = compare_servers(servers, named, args)
        overhead = pool_overhead(result.store, 300)
    print(
        f"simple lookup: in-thread {overhead['in_thread_ms']:.3f} ms, "
        f"through the worker pool {overhead['pool_ms']:.3f} ms"
    )
    write_report(args.out, args.requests, named, probes, slow, results, overhead, args)
    print(f"report: {args.out}")
    return 0


def write_report(out, requests, named, probes, slow, results, overhead, args) -> None:
    lines = [
        "# Endpoint benchmark: kg serve vs rdflib-endpoint",
        "",
        f"Written by `benchmarks/endpoint.py` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"({platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, shared machine: compare within this run).",
        "",
        "Same data (the seed build), same queries (every query in `queries/` plus an ASK and a "
        "one-resource lookup), same client: POST form-encoded, Accept SPARQL JSON.",
        "",
        "## One run of each query",
        "",
        "Rows (the servers must agree) and seconds; a query over "
        f"{args.probe_timeout:g} s on either server is left out of the load mix below.",
        "",
        "| query | " + " | ".join(f"{n}: rows | s" for n in probes) + " |",
        "|---|" + "---:|---:|" * len(probes),
    ]
    for query in named:
        cells = []
        for p in probes.values():
            rows, seconds = p[query]
            cells += [str(rows), f"{seconds:.3f}"]
        lines.append(f"| {query} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Load",
        "",
        f"{requests} requests per row, cycling through the {len(named) - len(slow)} queries of "
        f"the mix (left out: {', '.join(sorted(slow)) or 'none'}). Latency in ms.",
        "",
        "| server | clients | p50 ms | p99 ms | requests/s | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for (name, clients), r in results.items():
        lines.append(
            f"| {name} | {clients} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['throughput']:.1f} | {r['errors']} |"
        )
    lines += [
        "",
        "## Cost of the worker processes",
        "",
        "Every query runs in a worker process so that a time-out can really stop it. For the "
        "one-resource lookup (median of 300, no HTTP):",
        "",
        f"- in the server's own thread: {overhead['in_thread_ms']:.3f} ms",
        f"- through the worker pool (pickle, pipe, wake-up): {overhead['pool_ms']:.3f} ms",
        f"- overhead: {overhead['pool_ms'] - overhead['in_thread_ms']:.3f} ms per query",
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
