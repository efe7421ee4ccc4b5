"""A smoke test of benchmarks/run.py at a tiny size: it runs end to end and writes a report.
No timing is asserted (timings belong in the report, not in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import PROJECT


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
            "0.3",
            # rdflib takes minutes over some queries even here: give up soon, restart once
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
    assert "| 3000 | 2 |" in text  # size label, documents: one generated and the real letter
    for query in sorted(p.stem for p in PROJECT.queries.glob("*.rq")):
        assert f"| {query} |" in text
    serve = (PROJECT.root / "kg" / "cli" / "commands" / "serve.py").exists()
    assert ("| kg serve | – | not available in this version" in text) != serve
    assert "rebuild after 1 changed document" in text
