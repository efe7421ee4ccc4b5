"""The endpoint measurements: servers started per size, the latency of each query with one
client, and closed-loop load tests with several clients."""

from __future__ import annotations

import http.client
import importlib.util
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench_common import (
    BIN,
    CLIENTS,
    KG,
    NA,
    ROOT,
    SizeResult,
    command_exists,
    free_port,
    percentile,
    query_texts,
)


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
                time.sleep(0.1)
        raise RuntimeError(f"not ready after {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()  # reaped, not left as a zombie


def post_query(url: str, query: str, timeout: float, source: str | None = None) -> bytes:
    """POST ``query`` and return the answer's body; an HTTP error status raises OSError. ``source`` is
    the local address to connect from: each load-test client has its own, as separate users
    would, since ``kg serve`` limits the queries of one client address."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        connection.request(
            "POST",
            parts.path or "/",
            body=urllib.parse.urlencode({"query": query}),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    if answer.status >= 400:
        raise OSError(f"HTTP Error {answer.status}: {answer.reason}")
    return body


def client_address(index: int) -> str:
    """The loopback address load-test client ``index`` connects from (on Linux every
    127.x.y.z is the local machine): 127.0.0.10 onwards."""
    return f"127.0.{(10 + index) // 256}.{(10 + index) % 256}"


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
    """Closed loop: each client, from a loopback address of its own, sends the next query of
    the mix as soon as it has an answer."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(offset: int) -> None:
        i = offset
        source = client_address(offset)
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                post_query(url, queries[i % len(queries)], timeout, source)
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


ServerFactory = Callable[[], Server]


def kg_serve_servers(store: Path, timeout: float) -> dict[str, ServerFactory]:
    """``kg serve`` with its result cache (warm after the first round of the mix) and without
    it (every request runs), so that both numbers are there; none if this version has no
    ``kg serve``."""
    if not command_exists("serve"):
        return {}
    has_cache = "--cache-size" in (ROOT / "kg" / "cli" / "commands" / "serve.py").read_text()
    servers: dict[str, ServerFactory] = {}
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
    return servers


def oxigraph_server(oxigraph: str, store: Path, work: Path) -> ServerFactory:
    """``oxigraph serve`` on a copy of the store (the build's store stays read-only)."""
    import pyoxigraph as ox

    copy = work / "oxigraph-serve-store"
    shutil.rmtree(copy, ignore_errors=True)
    ox.Store.read_only(str(store.resolve())).backup(str(copy))
    port = free_port()
    return lambda port=port: Server(
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


def rdflib_server(trig: Path) -> ServerFactory:
    port = free_port()
    return lambda port=port: Server(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "rdflib_baseline.py"),
            "serve",
            str(trig),
            str(port),
        ],
        f"http://127.0.0.1:{port}/sparql",
    )


def servers_to_measure(
    result: SizeResult, store: Path, trig: Path | None, work: Path, rdflib_ok: bool, timeout: float
) -> dict[str, ServerFactory]:
    """The servers available at this size; for each one that is not, the reason goes into
    ``result.endpoints`` (before the measured ones, as the report lists them)."""
    servers = kg_serve_servers(store, timeout)
    if not servers:
        result.endpoints["kg serve"] = NA
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if oxigraph:
        servers["oxigraph serve"] = oxigraph_server(oxigraph, store, work)
    else:
        result.endpoints["oxigraph serve"] = (
            "oxigraph CLI not installed (pip install -e '.[bench]')"
        )
    if trig is None or not rdflib_ok:
        result.endpoints["rdflib-endpoint"] = "skipped at this size (--rdflib-max)"
    elif importlib.util.find_spec("rdflib_endpoint") is None:
        result.endpoints["rdflib-endpoint"] = (
            "rdflib-endpoint not installed (pip install -e '.[bench]')"
        )
    else:
        servers["rdflib-endpoint"] = rdflib_server(trig)
    return servers


def measure_server(
    result: SizeResult,
    name: str,
    server: Server,
    mix: list[str],
    duration: float,
    timeout: float,
    clients: tuple[int, ...],
    restart_budget: float,
) -> None:
    """The per-query round (not for ``kg serve (cache off)``: the embedded table has the
    uncached latency), then the load tests."""
    server.wait(timeout=900)
    if name != "kg serve (cache off)":
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
    result.endpoints[name] = {c: load_test(server.url, mix, c, duration, timeout) for c in clients}


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
    servers = servers_to_measure(result, store, trig, work, rdflib_ok, timeout)
    for name, make in servers.items():
        server = make()
        try:
            measure_server(result, name, server, mix, duration, timeout, clients, restart_budget)
        except Exception as err:  # a baseline that fails is reported, not fatal
            result.endpoints[name] = f"failed: {str(err).strip()[:200]}"
        finally:
            server.stop()
