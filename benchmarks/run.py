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
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KG = str(BIN / "kg")
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
CLIENTS = (1, 8, 32)
NA = "not available in this version"


def parse_size(text: str) -> int:
    if text in SIZES:
        return SIZES[text]
    scale = {"k": 1_000, "M": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("kM")) * scale)


def label(triples: int) -> str:
    return next((k for k, v in SIZES.items() if v == triples), str(triples))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_measured(cmd: list[str], timeout: float | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in bytes and stdout of a command. The RSS is that of the
    command's own process tree as ``wait4`` reports it (the largest of the process and the
    worker processes it waited for), not of other commands this script ran before."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({process.returncode}): {err.read().decode()[-800:]}"
            )
        return elapsed, usage.ru_maxrss * 1024, out.read().decode()


def command_exists(name: str) -> bool:
    return (ROOT / "kg" / "cli" / "commands" / f"{name}.py").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- results ----------------------------------------------------------------------------------


@dataclass
class SizeResult:
    target: int
    documents: int = 0
    triples: int = 0
    build_s: float = 0.0
    build_rss: int = 0
    latency: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # engine -> q -> s
    stopped: dict[str, dict[str, float]] = field(default_factory=dict)  # engine -> q -> limit
    per_query: dict[str, dict[str, dict]] = field(default_factory=dict)  # server -> q -> times
    rdflib_load_s: float | None = None
    endpoints: dict[str, dict[int, dict[str, float]] | str] = field(default_factory=dict)
    incremental_s: float | None = None
    incremental_validated_s: float | None = None  # kg build with its check of what changed
    validate_full_s: float | str = NA
    validate_incremental_s: float | str = NA
    notes: list[str] = field(default_factory=list)


# -- steps ------------------------------------------------------------------------------------


def corpus(work: Path, documents: int, seed: int) -> Path:
    """A data folder with the real letter(s) of ``data/sources`` and the first ``documents``
    of the generated corpus (the generator's prefix property: the documents of a smaller size
    are those of a larger one). The real letter is there so that the queries' default
    parameters (a fact of 2026D32673) find something."""
    from kg.bench.generate import document_id, generate

    pool = work / "pool"
    have = len(list((pool / "sources").glob("*.txt"))) if (pool / "sources").exists() else 0
    if have < documents:
        generate(pool, documents - have, seed, ROOT / "data" / "reference", start=have)
    data = work / f"data-{documents}"
    if data.exists():
        shutil.rmtree(data)
    (data / "sources").mkdir(parents=True)
    shutil.copytree(pool / "reference", data / "reference")
    for real in sorted((ROOT / "data" / "sources").glob("*.txt")):
        shutil.copy(real, data / "sources" / real.name)
    for i in range(documents):
        name = f"{document_id(i)}.txt"
        shutil.copy(pool / "sources" / name, data / "sources" / name)
    return data


def measure_build(result: SizeResult, data: Path, store: Path) -> None:
    elapsed, rss, out = run_measured(
        [KG, "build", "--data", str(data), "--store", str(store), "--full", "--no-validate"]
    )
    result.build_s, result.build_rss = elapsed, rss
    for line in out.splitlines():
        if line.startswith("Built "):
            result.triples = int(line.split()[1])


def query_texts() -> dict[str, str]:
    """Every query in ``queries/``, a parameterised one with its declared default bound as a
    ``VALUES`` block, as ``kg query`` binds it and as a client sends it to an endpoint (the
    protocol has no bindings). Unbound, ``fact-source`` would list every fact's source."""
    from kg.query.library import list_queries

    return {q.name: q.text_with_defaults() for q in list_queries(ROOT / "queries")}


EMBEDDED_QUERY = """
import json, sys, time
import pyoxigraph as ox
store, path, reps, budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
db = ox.Store.read_only(store)
text = open(path, encoding="utf-8").read()
times = []
while len(times) < reps and sum(times) < budget:
    t = time.perf_counter()
    for _ in db.query(text, use_default_graph_as_union=True):
        pass
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""


def measure_embedded_latency(
    result: SizeResult, store: Path, reps: int, timeout: float, budget: float = 15.0
) -> None:
    """Each query in a process of its own, so that one that runs past ``timeout`` seconds can
    be stopped (Oxigraph cannot interrupt a query in-process); repeated up to ``reps`` times
    while the runs so far took less than ``budget`` seconds."""
    engine = "kg (embedded Oxigraph)"
    result.latency[engine], result.stopped[engine] = {}, {}
    texts = query_texts()
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-queries-"))
    for name, text in texts.items():
        path = folder / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-c", EMBEDDED_QUERY, str(store.resolve()), str(path)]
        try:
            out = subprocess.run(
                [*cmd, str(reps), str(budget)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=True,
            ).stdout
            result.latency[engine][name] = json.loads(out)
        except subprocess.TimeoutExpired:
            result.stopped[engine][name] = timeout
    shutil.rmtree(folder, ignore_errors=True)


def dump_trig(store: Path, trig: Path) -> None:
    import pyoxigraph as ox

    ox.Store.read_only(str(store.resolve())).dump(str(trig), ox.RdfFormat.TRIG)


def measure_rdflib_latency(
    result: SizeResult, trig: Path, reps: int, timeout: float, query_timeout: int
) -> None:
    cmd = [
        sys.executable,
        str(ROOT / "benchmarks" / "rdflib_baseline.py"),
        "latency",
        str(trig),
        json.dumps(query_texts()),
        str(reps),
        str(query_timeout),
    ]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=timeout)
        if process.returncode:
            result.notes.append(
                f"rdflib in-memory: the baseline process ended with {process.returncode}: "
                f"{err.strip()[-200:]}"
            )
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        result.notes.append(
            f"rdflib in-memory: stopped after {timeout:.0f} s; queries it did not reach are missing"
        )
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if lines:
        last = json.loads(lines[-1])
        result.rdflib_load_s = last["load_s"]
        answers = last["queries"]
        result.latency["rdflib in-memory Dataset"] = {
            k: v for k, v in answers.items() if isinstance(v, list)
        }
        slow = [k for k, v in answers.items() if v is None]
        result.stopped["rdflib in-memory Dataset"] = {k: query_timeout for k in slow}
        if slow:
            result.notes.append(
                f"rdflib in-memory: stopped after {query_timeout} s per run: {', '.join(slow)}"
            )
        for name, error in answers.items():
            if isinstance(error, str):
                result.notes.append(f"rdflib in-memory cannot run {name}: {error}")


class Server:
    def __init__(self, cmd: list[str], url: str, cwd: Path = ROOT) -> None:
        self.url, self.cmd, self.cwd = url, cmd, cwd
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(
            self.cmd, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def restart(self, timeout: float = 900) -> None:
        """A fresh process: the way to stop a query in a server that cannot cancel one."""
        self.stop()
        self.process = self._start()
        self.wait(timeout)

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        ask = self.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode()[-500:])
            try:
                with urllib.request.urlopen(ask, timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"not ready after {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()  # reaped, not left as a zombie


def post_query(url: str, query: str, timeout: float) -> None:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        answer.read()


def per_query_latency(
    url: str,
    reps: int,
    timeout: float,
    restart: Callable[[], None] | None = None,
    restart_budget: float = 0.0,
) -> dict[str, dict]:
    """One client sends each query ``reps`` times: the first answer is *cold* (for ``kg
    serve`` a cache miss), the later ones *warm*. After a time-out a server that evaluates one
    query at a time (rdflib-endpoint, given ``restart``) is still busy with it: it is
    restarted (reloading its data) while the restarts have taken less than
    ``restart_budget`` seconds; after that the rest are not sent."""
    out: dict[str, dict] = {}
    busy = False
    spent = 0.0
    for name, text in query_texts().items():
        if busy and restart is not None and spent < restart_budget:
            t = time.perf_counter()
            restart()
            spent += time.perf_counter() - t
            busy = False
        if busy:
            out[name] = {
                "status": "not sent: the server was busy with a timed-out query "
                f"(restarts took {spent:.0f} s of the {restart_budget:.0f} s budget)"
            }
            continue
        times: list[float] = []
        status = "ok"
        for _ in range(reps):
            t = time.perf_counter()
            try:
                post_query(url, text, timeout)
            except OSError as err:
                timed_out = "timed out" in str(err) or isinstance(err, TimeoutError)
                status = f"> {timeout:.0f} s" if timed_out else f"error: {str(err)[:60]}"
                busy = timed_out and restart is not None
                break
            times.append(time.perf_counter() - t)
        out[name] = {"status": status, "times": times}
    return out


def load_test(
    url: str, queries: list[str], clients: int, duration: float, timeout: float
) -> dict[str, float]:
    """Closed loop: each client sends the next query of the mix as soon as it has an answer."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                post_query(url, queries[i % len(queries)], timeout)
                with lock:
                    latencies.append(time.perf_counter() - t)
            except OSError:
                with lock:
                    errors[0] += 1
            i += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "qps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "answers": len(latencies),
        "errors": errors[0],
    }


def measure_endpoints(
    result: SizeResult,
    store: Path,
    trig: Path | None,
    work: Path,
    duration: float,
    rdflib_ok: bool,
    timeout: float,
    clients: tuple[int, ...] = CLIENTS,
    restart_budget: float = 900.0,
) -> None:
    mix = list(query_texts().values())
    servers: dict[str, object] = {}
    if command_exists("serve"):
        # With its result cache (warm after the first round of the mix) and without it
        # (every request runs), so that both numbers are there.
        has_cache = "--cache-size" in (ROOT / "kg" / "cli" / "commands" / "serve.py").read_text()
        for name, options in (("kg serve", []), ("kg serve (cache off)", ["--cache-size", "0"])):
            if options and not has_cache:
                continue
            port = free_port()
            servers[name] = lambda port=port, options=options: Server(
                [
                    KG,
                    "serve",
                    "--store",
                    str(store),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--query-timeout",
                    str(timeout),
                    *options,
                ],
                f"http://127.0.0.1:{port}/sparql",
            )
    else:
        result.endpoints["kg serve"] = NA
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if oxigraph:
        copy = work / "oxigraph-serve-store"
        shutil.rmtree(copy, ignore_errors=True)
        import pyoxigraph as ox

        ox.Store.read_only(str(store.resolve())).backup(str(copy))
        port = free_port()
        servers["oxigraph serve"] = lambda port=port: Server(
            [
                oxigraph,
                "serve",
                "--location",
                str(copy),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            f"http://127.0.0.1:{port}/query",
        )
    else:
        result.endpoints["oxigraph serve"] = (
            "oxigraph CLI not installed (pip install -e '.[bench]')"
        )
    if trig is not None and rdflib_ok:
        port = free_port()
        servers["rdflib-endpoint"] = lambda port=port: Server(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "rdflib_baseline.py"),
                "serve",
                str(trig),
                str(port),
            ],
            f"http://127.0.0.1:{port}/sparql",
        )
    else:
        result.endpoints["rdflib-endpoint"] = "skipped at this size (--rdflib-max)"
    for name, make in servers.items():
        server = make()
        try:
            server.wait(timeout=900)
            if name != "kg serve (cache off)":  # the embedded table has uncached latency
                reps = 5 if name == "kg serve" else (1 if result.target >= 1_000_000 else 3)
                one_at_a_time = name == "rdflib-endpoint"
                result.per_query[name] = per_query_latency(
                    server.url,
                    reps,
                    timeout,
                    restart=server.restart if one_at_a_time else None,
                    restart_budget=restart_budget,
                )
                if one_at_a_time and any(
                    entry["status"] != "ok" for entry in result.per_query[name].values()
                ):
                    server.restart()  # the load test starts on a server that is not busy
            result.endpoints[name] = {
                c: load_test(server.url, mix, c, duration, timeout) for c in clients
            }
        except Exception as err:  # a baseline that fails is reported, not fatal
            result.endpoints[name] = f"failed: {str(err).strip()[:200]}"
        finally:
            server.stop()


def measure_incremental(result: SizeResult, data: Path, store: Path) -> None:
    from kg.bench.generate import document_id

    path = data / "sources" / f"{document_id(0)}.txt"
    # Change the document twice: rebuild without, then with kg build's SHACL check of the
    # changed graph (the number issue 8 asks for: rebuild and validation, one command).
    for old, new, options in (
        ("Dit geldt", "Dit gold", ["--no-validate"]),
        ("Dit gold", "Dit geldt", []),
    ):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        elapsed, _, out = run_measured(
            [KG, "build", "--data", str(data), "--store", str(store), *options]
        )
        if "1 document(s) reprocessed" not in out:
            result.notes.append(
                f"incremental build did not report one reprocessed document: {out[-200:]}"
            )
        if options:
            result.incremental_s = elapsed
        else:
            result.incremental_validated_s = elapsed
    # Validate what changed: the one reprocessed document, not the reference data again.
    result.validate_incremental_s = time_validate(
        store, "--document", document_id(0), "--no-reference"
    )


def measure_validate_full(result: SizeResult, store: Path) -> None:
    result.validate_full_s = time_validate(store)


def time_validate(store: Path, *options: str, timeout: float = 900.0) -> float | str:
    """Seconds for `kg validate` (exit 0 or 1 both mean it ran), or why there is no number."""
    if not command_exists("validate"):
        return NA
    t = time.perf_counter()
    try:
        code = subprocess.call(
            [KG, "validate", "--store", str(store), *options],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)"
    return time.perf_counter() - t if code in (0, 1) else f"exit {code}"


# -- report -----------------------------------------------------------------------------------


def fmt_s(value) -> str:
    if isinstance(value, str):
        return value
    if value is None or value != value:
        return "–"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def report(results: list[SizeResult], args, started: float, finished: bool = True) -> str:
    minutes = (time.perf_counter() - started) / 60
    took = f"{minutes:.1f} min" if finished else f"written after {minutes:.1f} min, still running"
    lines = [
        "# Benchmarks",
        "",
        f"Run on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"`python benchmarks/run.py {' '.join(args.argv)}` "
        f"({took}). The machine is shared: compare "
        "ratios within this run, not absolute numbers across runs.",
        "",
        "## Build from text",
        "",
        "| size | documents | triples | build | documents/s | triples/s | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {label(r.target)} | {r.documents} | {r.triples:,} | {fmt_s(r.build_s)} | "
            f"{r.documents / r.build_s:.0f} | {r.triples / r.build_s:,.0f} | "
            f"{r.build_rss / 2**20:.0f} MiB |"
        )
    lines += [
        "",
        "## Query latency (p50 / p99), embedded store vs rdflib in-memory",
        "",
        "Every query in `queries/`, run in-process; ratio = rdflib p50 / kg p50.",
        "",
    ]
    for r in results:
        lines += [
            f"### {label(r.target)} ({r.triples:,} triples)",
            "",
            "| query | kg p50 | kg p99 | rdflib p50 | rdflib p99 | ratio |",
            "|---|---|---|---|---|---|",
        ]
        ours = r.latency.get("kg (embedded Oxigraph)", {})
        theirs = r.latency.get("rdflib in-memory Dataset", {})
        for name, limit in r.stopped.get("kg (embedded Oxigraph)", {}).items():
            lines.append(f"| {name} | > {limit:.0f} s (stopped) | | | | – |")
        given_up = r.stopped.get("rdflib in-memory Dataset", {})
        for name, times in ours.items():
            base = theirs.get(name)
            ratio = f"{percentile(base, 50) / percentile(times, 50):.0f}×" if base else "–"
            if base:
                rdflib_cells = f"{fmt_s(percentile(base, 50))} | {fmt_s(percentile(base, 99))}"
            elif name in given_up:
                rdflib_cells = f"> {given_up[name]:.0f} s (stopped) |"
                ratio = f"> {given_up[name] / percentile(times, 50):,.0f}×"
            else:
                rdflib_cells = "not run | not run"
            lines.append(
                f"| {name} | {fmt_s(percentile(times, 50))} | {fmt_s(percentile(times, 99))} | "
                f"{rdflib_cells} | {ratio} |"
            )
        if r.rdflib_load_s:
            lines.append(f"\nrdflib needed {fmt_s(r.rdflib_load_s)} to load the TriG dump.")
        lines.append("")
    lines += [
        "## Endpoints: latency of each research query (one client)",
        "",
        "Each query sent on its own: *cold* is the first answer of a freshly started server "
        "(for `kg serve` a result-cache miss), *warm* the median of the next four (for `kg "
        "serve` cache hits: results are cached per build). `oxigraph serve` and "
        "rdflib-endpoint have no cache; their column is the median of their runs. A time-out "
        "is shown as > the limit; rdflib-endpoint evaluates one query at a time and cannot "
        "stop one, so after a time-out it is restarted (reloading its data) within "
        f"`--restart-budget` ({args.restart_budget:.0f} s) per size. Ratio = rdflib-endpoint / `kg serve` (warm; cold).",
        "",
    ]
    for r in results:
        if not r.per_query:
            continue
        servers = list(r.per_query)
        lines += [
            f"### {label(r.target)}",
            "",
            "| query | kg serve cold | kg serve warm | "
            + " | ".join(s for s in servers if s != "kg serve")
            + " | ratio warm | ratio cold |",
            "|---|---|---|" + "---|" * (len(servers) - 1) + "---|---|",
        ]
        ours = r.per_query.get("kg serve", {})
        for name in query_names(r):
            mine = ours.get(name, {})
            cold, warm = endpoint_cold_warm(mine)
            cells = [fmt_endpoint(mine, cold), fmt_endpoint(mine, warm)]
            for server in servers:
                if server != "kg serve":
                    theirs = r.per_query[server].get(name, {})
                    cells.append(fmt_endpoint(theirs, median_of(theirs)))
            base = r.per_query.get("rdflib-endpoint", {}).get(name, {})
            cells += [ratio_text(base, warm), ratio_text(base, cold)]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines += ["", p50_summary(r), ""]
    lines += [
        "## Endpoints: the research-query mix with 1, 8 and 32 clients",
        "",
        "Closed loop over all queries in `queries/`; queries/s and latency p50/p99. The load "
        "tests follow the per-query round above, so `kg serve` answers the queries that "
        "finished within the time limit from its cache (warm); `kg serve (cache off)` runs "
        "every request. A failed request (time-out, 503) is an error, not a latency.",
        "",
    ]
    for r in results:
        lines += [
            f"### {label(r.target)}",
            "",
            "| server | clients | queries/s | p50 | p99 | errors |",
            "|---|---|---|---|---|---|",
        ]
        for name, value in r.endpoints.items():
            if isinstance(value, str):
                lines.append(f"| {name} | – | {value} | | | |")
                continue
            for clients, m in value.items():
                lines.append(
                    f"| {name} | {clients} | {m['qps']:.1f} | {fmt_s(m['p50'])} | "
                    f"{fmt_s(m['p99'])} | {m['errors']} |"
                )
        lines.append("")
    lines += [
        "## Incremental rebuild and validation",
        "",
        "| size | rebuild after 1 changed document | incremental rebuild + validation "
        "| validate (full) | validate after the change |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {label(r.target)} | {fmt_s(r.incremental_s)} | "
            f"{fmt_s(r.incremental_validated_s)} | {fmt_s(r.validate_full_s)} | "
            f"{fmt_s(r.validate_incremental_s)} |"
        )
    notes = [f"- {label(r.target)}: {n}" for r in results for n in r.notes]
    if notes:
        lines += ["", "## Notes", "", *notes]
    lines += ["", "![latency against size](latency.png)", ""]
    return "\n".join(lines)


def p50_summary(r: SizeResult) -> str:
    """The p50 over all research queries, per server (a time-out counts as its limit, so a
    server's p50 with time-outs is a lower bound)."""
    parts = []
    for server, entries in r.per_query.items():
        values, bounded = [], False
        for entry in entries.values():
            _cold, warm = endpoint_cold_warm(entry)
            value = warm if server == "kg serve" else median_of(entry)
            if value is None and entry.get("status", "").startswith("> "):
                value, bounded = float(entry["status"][2:].split()[0]), True
            if value is not None:
                values.append(value)
        if values:
            text = fmt_s(percentile(values, 50))
            parts.append(
                f"{server}{' (warm)' if server == 'kg serve' else ''} "
                f"{'≥ ' if bounded else ''}{text} over {len(values)} queries"
            )
    return "p50 over the research queries: " + "; ".join(parts) + "."


def query_names(r: SizeResult) -> list[str]:
    return sorted({name for server in r.per_query.values() for name in server})


def endpoint_cold_warm(entry: dict) -> tuple[float | None, float | None]:
    times = entry.get("times") or []
    cold = times[0] if times else None
    warm = percentile(times[1:], 50) if len(times) > 1 else None
    return cold, warm


def median_of(entry: dict) -> float | None:
    times = entry.get("times") or []
    return percentile(times, 50) if times else None


def fmt_endpoint(entry: dict, value: float | None) -> str:
    if value is not None:
        return fmt_s(value)
    return entry.get("status", "–") if entry.get("status") != "ok" else "–"


def ratio_text(base: dict, ours: float | None) -> str:
    """rdflib-endpoint / kg serve; a time-out of rdflib-endpoint gives a lower bound."""
    if not ours:
        return "–"
    theirs = median_of(base)
    if theirs is not None:
        return f"{theirs / ours:,.0f}×"
    status = base.get("status", "")
    if status.startswith("> "):
        limit = float(status[2:].split()[0])
        return f"> {limit / ours:,.0f}×"
    return "–"


def plot(results: list[SizeResult], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(8, 5))
    for engine, style in (("kg (embedded Oxigraph)", "-o"), ("rdflib in-memory Dataset", "--x")):
        names = sorted({n for r in results for n in r.latency.get(engine, {})})
        for name in names:
            points = [
                (r.triples, percentile(r.latency[engine][name], 50))
                for r in results
                if name in r.latency.get(engine, {})
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, style, label=f"{name} ({engine.split(' ')[0]})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("p50 latency (s)")
    ax.set_title("Query latency against dataset size")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return True


def main(argv: list[str] | None = None) -> int:
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
    sys.path.insert(0, str(ROOT))
    from kg.bench.generate import documents_for

    started = time.perf_counter()
    reps = 3 if args.quick else 10
    duration = args.duration or (2.0 if args.quick else 15.0)
    rdflib_max = parse_size(args.rdflib_max)
    args.work.mkdir(parents=True, exist_ok=True)
    results = []

    def save() -> None:
        """The report so far: a run stopped during a size keeps what that size measured."""
        args.out.write_text(report(results, args, started, finished=False), encoding="utf-8")
        plot(results, args.out.with_name("latency.png"))

    for size in [parse_size(s) for s in args.sizes.split(",")]:
        print(f"== {label(size)} triples", flush=True)
        result = SizeResult(size, documents=documents_for(size))
        data = corpus(args.work, result.documents, args.seed)
        store = args.work / f"store-{result.documents}"
        result.documents = len(list((data / "sources").glob("*.txt")))  # with the real letter
        results.append(result)
        measure_build(result, data, store)
        print(
            f"   build: {result.triples:,} triples in {result.build_s:.1f} s, "
            f"peak RSS {result.build_rss / 2**20:.0f} MiB",
            flush=True,
        )
        measure_embedded_latency(
            result, store, reps if size < 5_000_000 else 1, timeout=args.timeout
        )
        save()
        measure_incremental(result, data, store)
        print(
            f"   incremental rebuild: {result.incremental_s:.2f} s, with validation: "
            f"{fmt_s(result.incremental_validated_s)}",
            flush=True,
        )
        save()
        trig = None
        if size <= rdflib_max:
            trig = args.work / f"dataset-{result.documents}.trig"
            dump_trig(store, trig)
            measure_rdflib_latency(
                result, trig, max(1, reps // 3), timeout=3600, query_timeout=int(args.timeout)
            )
        else:
            result.notes.append("rdflib baselines skipped above --rdflib-max")
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
                duration,
                size <= rdflib_max,
                args.timeout,
                restart_budget=args.restart_budget,
            )
        else:
            result.notes.append("endpoints not measured above --endpoint-max")
        print("   endpoints measured", flush=True)
        save()
        if trig is not None:
            trig.unlink(missing_ok=True)
    text = report(results, args, started)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
