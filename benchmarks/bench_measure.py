"""Measurements that run ``kg`` and the stores directly: the corpus, build, query latency on
the embedded store and on rdflib, incremental rebuild and validation."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from bench_common import KG, NA, ROOT, SizeResult, command_exists, query_texts, run_measured


def corpus(work: Path, documents: int, seed: int) -> Path:
    """A data folder with the real letter(s) of ``data/sources`` and the first ``documents``
    of the generated corpus (the generator's prefix property: the documents of a smaller size
    are those of a larger one). The real letter is there so that the queries' default
    parameters (a fact of 2026D32673) find something."""
    from kg.synthetic.generate import document_id, generate

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


# One process answers the queries in turn and prints one JSON line per query: a query that
# runs past the time limit is stopped by ending the process (Oxigraph cannot interrupt a query
# in-process), and a new one takes the queries after it.
EMBEDDED_QUERIES = """
import json, sys, time
import pyoxigraph as ox
store, reps, budget = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
db = ox.Store.read_only(store)
for path in sys.argv[4:]:
    text = open(path, encoding="utf-8").read()
    times = []
    while len(times) < reps and sum(times) < budget:
        t = time.perf_counter()
        answer = db.query(text, use_default_graph_as_union=True)
        if not isinstance(answer, ox.QueryBoolean):  # rows or triples: read them all
            for _ in answer:
                pass
        times.append(time.perf_counter() - t)
    print(json.dumps(times), flush=True)
"""


def measure_embedded_latency(
    result: SizeResult,
    store: Path,
    reps: int,
    timeout: float,
    budget: float = 15.0,
    texts: dict[str, str] | None = None,
) -> None:
    """Each query (by default those of ``queries/``) repeated up to ``reps`` times while the
    runs so far took less than ``budget`` seconds; one that takes longer than ``timeout``
    seconds is stopped and recorded as such."""
    engine = "kg (embedded Oxigraph)"
    result.latency[engine], result.stopped[engine] = {}, {}
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-queries-"))
    pending: list[tuple[str, Path]] = []
    for name, text in (query_texts() if texts is None else texts).items():
        path = folder / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        pending.append((name, path))
    while pending:
        answered = _run_queries(store, pending, reps, budget, timeout)
        for (name, _path), times in zip(pending, answered, strict=False):
            result.latency[engine][name] = times
        if len(answered) < len(pending):
            result.stopped[engine][pending[len(answered)][0]] = timeout
        pending = pending[len(answered) + 1 :]
    shutil.rmtree(folder, ignore_errors=True)


def _run_queries(
    store: Path, queries: list[tuple[str, Path]], reps: int, budget: float, timeout: float
) -> list[list[float]]:
    """The times of the queries answered in one process, in order, up to the first that ran
    past ``timeout`` (not included)."""
    cmd = [sys.executable, "-c", EMBEDDED_QUERIES, str(store.resolve()), str(reps), str(budget)]
    process = subprocess.Popen(
        [*cmd, *(str(path) for _name, path in queries)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(process.stdout, lines))
    reader.start()
    answered: list[list[float]] = []
    try:
        while len(answered) < len(queries):
            line = lines.get(timeout=timeout)
            if line is None:
                process.wait()
                raise RuntimeError(
                    f"the query process ended at {queries[len(answered)][0]} with exit code "
                    f"{process.returncode}: {process.stderr.read()[-500:]}"
                )
            answered.append(json.loads(line))
    except queue.Empty:
        pass  # the query after the answered ones ran past the time limit
    finally:
        process.kill()
        process.wait()
        reader.join()
        process.stdout.close()
        process.stderr.close()
    return answered


def _read_lines(stream: IO[str], into: queue.Queue[str | None]) -> None:
    for line in stream:
        into.put(line)
    into.put(None)  # the end: the process has ended


def dump_trig(store: Path, trig: Path) -> None:
    import pyoxigraph as ox

    ox.Store.read_only(str(store.resolve())).dump(str(trig), ox.RdfFormat.TRIG)


def measure_rdflib_latency(
    result: SizeResult, trig: Path, reps: int, timeout: float, query_timeout: float
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
                f"rdflib in-memory: stopped after {query_timeout:g} s per run: {', '.join(slow)}"
            )
        for name, error in answers.items():
            if isinstance(error, str):
                result.notes.append(f"rdflib in-memory cannot run {name}: {error}")


def measure_incremental(result: SizeResult, data: Path, store: Path) -> None:
    from kg.synthetic.generate import document_id

    path = data / "sources" / f"{document_id(0)}.txt"
    where = ["--data", str(data), "--store", str(store)]
    # kg build without its SHACL check, then with it: the first checked build after an
    # unchecked one converts and validates everything, so the changed document's checked
    # rebuild (the number issue 8 asks for: rebuild and validation, one command) comes after.
    _replace_once(path, "Dit geldt", "Dit gold")
    result.incremental_s = _incremental_build(result, [*where, "--no-validate"])
    result.build_validated_s, _, _ = run_measured([KG, "build", *where])
    _replace_once(path, "Dit gold", "Dit geldt")
    result.incremental_validated_s = _incremental_build(result, where)
    # Validate what changed: the one reprocessed document, not the reference data again.
    result.validate_incremental_s = time_validate(
        store, "--document", document_id(0), "--no-reference"
    )


def _replace_once(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _incremental_build(result: SizeResult, options: list[str]) -> float:
    elapsed, _, out = run_measured([KG, "build", *options])
    if "1 document(s) reprocessed" not in out:
        result.notes.append(
            f"incremental build did not report one reprocessed document: {out[-200:]}"
        )
    return elapsed


def measure_validate_full(result: SizeResult, store: Path) -> None:
    result.validate_full_s = time_validate(store)


def time_validate(store: Path, *options: str, timeout: float = 900.0) -> float | str:
    """Seconds for `kg validate` (exit 0 or 1 both mean it ran), or why there is no number."""
    if not command_exists("validate"):
        return NA
    t = time.perf_counter()
    try:
        code = subprocess.call(
            # --store-only: the store of a generated corpus, timed as it is (kg validate would
            # otherwise compare it with the project's data/ first, and refuse it)
            [KG, "validate", "--store", str(store), "--store-only", *options],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s (stopped)"
    return time.perf_counter() - t if code in (0, 1) else f"exit {code}"


# -- report -----------------------------------------------------------------------------------
