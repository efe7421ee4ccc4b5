"""What every part of the benchmark shares: sizes, statistics, running a measured command,
free ports and the record of one size's results."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
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
    build_validated_s: float | None = None  # kg build with its check, of every graph
    validate_full_s: float | str = NA
    validate_incremental_s: float | str = NA
    notes: list[str] = field(default_factory=list)


def query_texts() -> dict[str, str]:
    """Every query in ``queries/``, a parameterised one with its declared default bound as a
    ``VALUES`` block, as ``kg query`` binds it and as a client sends it to an endpoint (the
    protocol has no bindings). Unbound, ``fact-source`` would list every fact's source."""
    from kg.query.library import list_queries

    return {q.name: q.text_with_defaults() for q in list_queries(ROOT / "queries")}
