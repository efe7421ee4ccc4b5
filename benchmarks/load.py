"""Load test of ``kg serve`` as issue 16 asks: one request must not freeze the others.

    .venv/bin/python benchmarks/load.py [--requests 500] [--clients 8] [--out benchmarks/LOAD.md]

Builds the seed into a temporary folder, starts ``kg serve`` with its defaults on 127.0.0.1 and
measures, printing a table and writing it to LOAD.md:

1. /health latency while a 60 KB query mentioning "service" is checked (and what it gets);
2. the peak memory of the server's processes while the ORDER BY cross product runs, sent by
   one, two and three clients at once;
3. fairness: two clients loop a heavy query while a third sends simple queries (share of
   them answered within 2 s);
4. mixed load: CLIENTS clients x REQUESTS requests (queries, pages, health) alongside the two
   heavy clients: errors, p50/p99 per kind, peak memory;
5. how long an idle connection stays open.

Each client connects from its own loopback address (127.0.0.x), since the server's limits are
per client address. Timings on a shared machine are noisy; the figures are of one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.pipeline.build import build  # noqa: E402
from kg.project import Project  # noqa: E402
from kg.query.library import list_queries  # noqa: E402
from tests.support.live_server import client_from, running_server  # noqa: E402

JSON = {"Accept": "application/sparql-results+json"}
AIP = "https://w3id.org/ai-beleid/def/aip#"
SIMPLE = f"SELECT ?q WHERE {{ ?q a <{AIP}Question> }} LIMIT 3"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a OFFSET 1000000000"
PAGES = ["/doc/instrument/nadi", "/doc/document/2026D32673", "/.well-known/void", "/health"]
MIB = 2**20


# ------------------------------------------------------------------ measuring


def process_tree(root: int) -> list[int]:
    """``root`` and every process below it (from /proc: Linux only)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class MemoryWatch:
    """Samples the summed RSS of the server's processes every 50 ms; ``peak`` in bytes."""

    def __init__(self, root: int) -> None:
        self.root, self.peak = root, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(process_tree(self.root)))
            time.sleep(0.05)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def server_pid(base: str) -> int:
    """The pid of the process listening on the server's port (found through /proc/net/tcp)."""
    port = int(base.rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":  # LISTEN
            inodes.add(fields[9])
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                link = os.readlink(f"/proc/{entry}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(entry)
        except OSError:
            continue
    raise SystemExit(f"no process listens on port {port}")


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, status: int, seconds: float, ok: bool, why: str = "") -> None:
        self.seconds.setdefault(kind, []).append(seconds)
        if not ok:
            key = f"HTTP {status}" + (f" ({why.strip()[:60]})" if why.strip() else "")
            self.errors.setdefault(kind, {})
            self.errors[kind][key] = self.errors[kind].get(key, 0) + 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


# ------------------------------------------------------------------ scenarios


def health_while_checking(base: str) -> list[tuple[str, str]]:
    """/health latency while 60 KB queries mentioning "service" are sent."""
    mentions = " ".join(f'"service {i}"' for i in range(4400))
    cases = {
        "60 KB of strings mentioning service": f"SELECT (COUNT(*) AS ?n) {{ VALUES ?x {{ {mentions} }} }}",
        "60 KB comment lines, SERVICE at the end": "# service\n" * 6000
        + "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    }  # fmt: skip
    rows = []
    for name, text in cases.items():
        latencies: list[float] = []
        answered: list[float] = []
        with ThreadPoolExecutor(max_workers=1) as pool:
            started = time.monotonic()
            pending = pool.submit(
                httpx.post, base + "/sparql", content=text.encode(), timeout=60,
                headers={**JSON, "Content-Type": "application/sparql-query"},
            )  # fmt: skip
            pending.add_done_callback(lambda _, done=answered: done.append(time.monotonic()))
            while not pending.done() or time.monotonic() - started < 1.0:  # >= 1 s of probes
                t = time.monotonic()
                httpx.get(base + "/health", timeout=30)
                latencies.append(time.monotonic() - t)
                time.sleep(0.05)
            answer = pending.result()
            took = answered[0] - started
        rows.append(
            (
                f"{name} ({len(text.encode()) // 1024} KB)",
                f"HTTP {answer.status_code} in {took:.2f} s; /health max {max(latencies):.3f} s "
                f"over {len(latencies)} probes",
            )
        )
    return rows


def cross_products_at_once(base: str, pid: int, clients: int) -> tuple[str, str]:
    """The ORDER BY cross product sent by ``clients`` clients at once, each from its address."""

    def one(address: str) -> str:
        with client_from(address, timeout=60) as client:
            answer = client.post(base + "/sparql", data={"query": CROSS_PRODUCT}, headers=JSON)
        return f"HTTP {answer.status_code} ({answer.text.strip()[:60]})"

    with MemoryWatch(pid) as watch, ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.monotonic()
        answers = list(pool.map(one, [f"127.0.0.{40 + i}" for i in range(clients)]))
        took = time.monotonic() - started
        time.sleep(0.3)
    what = "ORDER BY cross product" + (f", {clients} clients at once" if clients > 1 else "")
    return (
        what,
        f"{'; '.join(answers)} in {took:.2f} s; "
        f"peak of all server processes {watch.peak / MIB:.0f} MiB",
    )


def memory_of_cross_product(base: str, pid: int) -> list[tuple[str, str]]:
    idle = rss_bytes(process_tree(pid))
    rows = [("server processes at rest", f"{idle / MIB:.0f} MiB")]
    for clients in (1, 2, 3):
        rows.append(cross_products_at_once(base, pid, clients))
        time.sleep(2)  # the workers stopped for memory are replaced
    return rows


@contextmanager
def heavy_clients(base: str, addresses: list[str]) -> Iterator[Timings]:
    """Clients looping the heavy query until the block ends."""
    stop, timings = threading.Event(), Timings()

    def loop(address: str) -> None:
        with client_from(address, timeout=60) as client:
            while not stop.is_set():
                t = time.monotonic()
                r = client.post(base + "/sparql", data={"query": HEAVY}, headers=JSON)
                timings.add("heavy", r.status_code, time.monotonic() - t, r.status_code == 200)

    threads = [threading.Thread(target=loop, args=(a,), daemon=True) for a in addresses]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # both heavy queries are running now
    try:
        yield timings
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def fairness(base: str, seconds: float) -> tuple[list[tuple[str, str]], float]:
    light = Timings()
    with (
        heavy_clients(base, ["127.0.0.2", "127.0.0.3"]) as heavy,
        client_from("127.0.0.4", timeout=60) as client,
    ):
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            n += 1  # a new comment each time: a cache miss, so a worker must answer
            t = time.monotonic()
            r = client.post(base + "/sparql", data={"query": f"# {n}\n{SIMPLE}"}, headers=JSON)
            took = time.monotonic() - t
            light.add("simple", r.status_code, took, r.status_code == 200 and took <= 2.0)
    times = light.seconds["simple"]
    within = 1 - sum(light.errors.get("simple", {}).values()) / len(times)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(heavy.errors.get("heavy", {}).items()))
    return [
        (
            "third client's simple queries (two heavy clients looping)",
            f"{within:.1%} answered within 2 s ({len(times)} queries; p50 "
            f"{statistics.median(times):.3f} s, max {max(times):.2f} s)",
        ),
        ("heavy clients' queries", f"{len(heavy.seconds['heavy'])} sent; answers {statuses}"),
    ], within


def mixed_requests(i: int, n: int, named: list[str]) -> Iterator[tuple[str, Callable]]:
    for k in range(n):
        choice = (i + k) % 4
        if choice == 0:
            yield (
                "simple query",
                lambda c, k=k: c.post(
                    "/sparql", data={"query": f"# {i} {k}\n{SIMPLE}"}, headers=JSON
                ),
            )
        elif choice == 1:
            query = named[(i + k) % len(named)]
            yield (
                "named query",
                lambda c, q=query: c.post("/sparql", data={"query": q}, headers=JSON),
            )
        else:
            path = PAGES[(i + k) % len(PAGES)]
            yield "page", lambda c, p=path: c.get(p)


def mixed_load(base: str, pid: int, clients: int, requests: int) -> list[tuple[str, str]]:
    named = [q.text_with_defaults() for q in list_queries(Project.at(ROOT).queries)]
    timings = Timings()

    def one_client(i: int) -> None:
        with client_from(f"127.0.0.{10 + i}", base_url=base, timeout=60) as client:
            for kind, send in mixed_requests(i, requests, named):
                t = time.monotonic()
                r = send(client)
                ok = r.status_code == 200
                timings.add(kind, r.status_code, time.monotonic() - t, ok, "" if ok else r.text)

    with MemoryWatch(pid) as watch, heavy_clients(base, ["127.0.0.2", "127.0.0.3"]):
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(one_client, range(clients)))
        took = time.monotonic() - started
    rows = []
    for kind, values in sorted(timings.seconds.items()):
        errors = timings.errors.get(kind, {})
        detail = ", ".join(f"{n}x {s}" for s, n in sorted(errors.items())) or "none"
        rows.append(
            (
                f"{kind} ({len(values)})",
                f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p99 "
                f"{percentile(values, 0.99) * 1000:.0f} ms; errors: {detail}",
            )
        )
    total = sum(len(v) for v in timings.seconds.values())
    rows.append(("all, with two heavy clients", f"{total} requests in {took:.1f} s"))
    rows.append(("peak memory of server processes", f"{watch.peak / MIB:.0f} MiB"))
    return rows


def idle_connection(base: str) -> list[tuple[str, str]]:
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(120)
        started = time.monotonic()
        while sock.recv(1024):
            pass
        return [("an idle connection is closed after", f"{time.monotonic() - started:.1f} s")]


# ------------------------------------------------------------------ report


def table(rows: list[tuple[str, str]]) -> str:
    lines = ["| measurement | result |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=500, help="requests per client")
    parser.add_argument("--fairness-seconds", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "LOAD.md")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        result = build(Project.at(ROOT).data, Path(tmp) / "store", Project.at(ROOT).ontology)
        with running_server(result.store, "--log-level", "error") as base:
            pid = server_pid(base)
            for step in (
                lambda: health_while_checking(base),
                lambda: memory_of_cross_product(base, pid),
                lambda: fairness(base, args.fairness_seconds)[0],
                lambda: mixed_load(base, pid, args.clients, args.requests),
                lambda: idle_connection(base),
            ):
                rows += step()
                print(table(rows[-3:]), flush=True)
    report = (
        "# Load test of kg serve\n\n"
        f"`python benchmarks/load.py --clients {args.clients} --requests {args.requests} "
        f"--fairness-seconds {args.fairness_seconds:g}` on {platform.platform()}, "
        f"{os.cpu_count()} cores, seed graph, server defaults.\n\n{table(rows)}\n"
    )
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
