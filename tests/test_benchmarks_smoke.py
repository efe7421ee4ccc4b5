"""A smoke test of benchmarks/run.py at a tiny size: it runs end to end and its report holds a
measurement for every query. No timing bound is asserted (timings belong in the report)."""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.support import PROJECT
from tests.support.markdown_tables import ragged_tables, table_rows

DURATION = re.compile(r"^\d[\d,]*(\.\d+)? (µs|ms|s)$")


def test_ragged_tables_are_found() -> None:
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n| a |  | b |\n|---|---|\n| 1 | 2 |\n"
    assert ragged_tables(text) == ["| a |  | b |"]


@pytest.mark.slow
def test_benchmark_script_writes_a_report(tmp_path: Path) -> None:
    report = tmp_path / "REPORT.md"
    done = subprocess.run(
        [
            sys.executable,
            str(PROJECT.root / "benchmarks" / "run.py"),
            "--sizes",
            "3k",
            "--quick",
            "--duration",
            "0.1",
            # The rdflib baselines take most of a run even at this size: the test below runs
            # them on their own.
            "--rdflib-max",
            "1k",
            "--timeout",
            "5",
            "--restart-budget",
            "10",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = report.read_text()
    assert ragged_tables(text) == []
    [size] = [row for row in table_rows(text, "size") if "triples" in row]
    assert size["documents"] == "2"  # one generated letter and the real one
    assert int(size["triples"].replace(",", "")) > 1000
    measured = {r["query"]: r["kg p50"] for r in table_rows(text, "query") if "kg p50" in r}
    queries = {p.stem for p in PROJECT.queries.glob("*.rq")}
    assert queries <= set(measured)
    not_timed = {q: measured[q] for q in queries if not DURATION.match(measured[q])}
    assert not not_timed, f"kg ran no timed measurement for {not_timed}"
    serve = (PROJECT.root / "kg" / "cli" / "commands" / "serve.py").exists()
    assert ("| kg serve | – | not available in this version" in text) != serve
    assert "rebuild after 1 changed document" in text
    [rebuilt] = [r for r in table_rows(text, "size") if "full build + validation" in r]
    assert all(DURATION.match(rebuilt[c]) for c in list(rebuilt)[1:]), rebuilt
    assert "incremental build did not report one reprocessed document" not in text
    assert "rdflib baselines skipped above --rdflib-max" in text


# Three triples joined with themselves twelve times: 531,441 rows for rdflib to count.
PATTERNS = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))
SLOW_FOR_RDFLIB = f"SELECT (COUNT(*) AS ?n) WHERE {{ {PATTERNS} }}"
# Forty triples joined with themselves eight times: 40^8 rows, minutes for Oxigraph to count.
EIGHT_PATTERNS = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(8))
SLOW_FOR_OXIGRAPH = f"SELECT (COUNT(*) AS ?n) WHERE {{ {EIGHT_PATTERNS} }}"


@pytest.mark.slow
def test_rdflib_baseline_times_queries_and_gives_up_on_a_slow_one(tmp_path: Path) -> None:
    trig = tmp_path / "dataset.trig"
    trig.write_text(
        "<http://ex/g> { <http://ex/a> <http://ex/p> <http://ex/b> , <http://ex/c> . }\n"
        "<http://ex/h> { <http://ex/b> <http://ex/p> <http://ex/a> . }\n",
        encoding="utf-8",
    )
    queries = {
        "three": "SELECT ?s WHERE { ?s ?p ?o }",
        "slow": SLOW_FOR_RDFLIB,
        "broken": "SELECT ?x WHERE { ?x",
    }
    script = PROJECT.root / "benchmarks" / "rdflib_baseline.py"
    done = subprocess.run(
        [sys.executable, str(script), "latency", str(trig), json.dumps(queries), "2", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    last = json.loads(done.stdout.splitlines()[-1])
    assert len(last["queries"]["three"]) == 2 and all(t > 0 for t in last["queries"]["three"])
    assert last["queries"]["slow"] is None  # stopped after two seconds
    assert last["queries"]["broken"].startswith("error: ")


@pytest.mark.slow
def test_embedded_latency_stops_a_slow_query_and_measures_the_next(tmp_path: Path) -> None:
    sys.path.insert(0, str(PROJECT.root / "benchmarks"))
    try:
        from bench_common import SizeResult
        from bench_measure import measure_embedded_latency
    finally:
        sys.path.remove(str(PROJECT.root / "benchmarks"))
    store = ox.Store(str(tmp_path / "store"))
    store.extend(
        ox.Quad(
            ox.NamedNode(f"http://ex/{i}"),
            ox.NamedNode("http://ex/p"),
            ox.Literal(i),
            ox.NamedNode("http://ex/g"),
        )
        for i in range(40)
    )
    store.flush()
    del store
    gc.collect()
    texts = {
        "fast": "SELECT ?s WHERE { ?s ?p ?o }",
        "slow": SLOW_FOR_OXIGRAPH,
        "after": "ASK { ?s ?p 3 }",
    }
    result = SizeResult(1, documents=1)
    measure_embedded_latency(result, tmp_path / "store", reps=2, timeout=3, texts=texts)
    engine = "kg (embedded Oxigraph)"
    assert result.stopped[engine] == {"slow": 3}
    assert set(result.latency[engine]) == {"fast", "after"}
    assert all(len(times) == 2 for times in result.latency[engine].values())


def test_load_test_clients_connect_from_addresses_of_their_own() -> None:
    """kg serve limits the queries of one client address: load-test clients that all came from
    127.0.0.1 would measure that limit, not the server."""
    sys.path.insert(0, str(PROJECT.root / "benchmarks"))
    try:
        from bench_endpoints import load_test, post_query
    finally:
        sys.path.remove(str(PROJECT.root / "benchmarks"))
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.client_address[0])
            refused = "refused" in self.path
            self.send_response(429 if refused else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        numbers = load_test(url, ["ASK {}"], clients=3, duration=0.2, timeout=5)
        with pytest.raises(OSError, match=r"^HTTP Error 429: Too Many Requests$"):
            post_query(url + "/refused", "ASK {}", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert numbers["errors"] == 0 and numbers["answers"] >= 3
    assert set(seen[:-1]) == {"127.0.0.10", "127.0.0.11", "127.0.0.12"}
    assert seen[-1] == "127.0.0.1"  # one query on its own comes from the default address


@pytest.mark.server
def test_against_oxigraph_compares_every_query_and_the_load(seed_build, tmp_path: Path) -> None:
    """benchmarks/against_oxigraph.py on the seed: a row per query with equal row counts on
    both servers, the load test of both, and the cache's hit beside the computed answer."""
    import shutil

    assert shutil.which("oxigraph", path=str(Path(sys.executable).parent)), (
        "the oxigraph CLI is not installed: it is in the test extra (pip install -e '.[test]')"
    )
    out = tmp_path / "AGAINST_OXIGRAPH.md"
    command = [
        sys.executable,
        str(PROJECT.root / "benchmarks" / "against_oxigraph.py"),
        *("--store", str(seed_build.store), "--reps", "1", "--clients", "2"),
        *("--duration", "1", "--timeout", "30", "--out", str(out)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert ragged_tables(text) == []
    rows = table_rows(text, "query")
    assert len(rows) == len(list((PROJECT.root / "queries").glob("*.rq")))
    assert all(r["rows kg / oxigraph"].endswith("equal") for r in rows), rows
    assert all(DURATION.match(r["kg hit"]) for r in rows), rows
    servers = [r["server"] for r in table_rows(text, "server")]
    assert servers == ["kg serve (cache off)", "oxigraph serve-read-only"]
