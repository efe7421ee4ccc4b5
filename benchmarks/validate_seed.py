#!/usr/bin/env python3
"""Time `kg validate` on the seed: builds the seed into a temporary store, validates it N times,
prints a table and writes benchmarks/validate_seed.md.

    .venv/bin/python benchmarks/validate_seed.py [runs]

Target (issue 3): validation of the seed graph well under 2 s. Meta-SHACL (checking the shapes
themselves) runs first and is timed separately; kg validate and kg build skip it while the
shapes files are unchanged (a cached verdict). The machine is shared: read the median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.pipeline.build import build
from kg.project import Project
from kg.store import open_store
from kg.validate import check_shapes, check_shapes_once, load_shapes, validate_store


def main(runs: int) -> int:
    project = Project.at(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as tmp:
        build(project.data, Path(tmp) / "store", project.ontology)
        store = open_store(Path(tmp) / "store")
        shapes = load_shapes(project.shapes)
        meta, cached, validation, one_job, command = [], [], [], [], []
        check_shapes_once(project.shapes, shapes, Path(tmp) / "cache")
        for _ in range(runs):
            started = time.perf_counter()
            check_shapes(shapes)
            meta.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert not check_shapes_once(project.shapes, shapes, Path(tmp) / "cache")
            cached.append(time.perf_counter() - started)
            report = validate_store(store, shapes, check=False)
            assert report.conforms, "the seed must conform"
            validation.append(report.seconds)
            one_job.append(validate_store(store, shapes, check=False, jobs=1).seconds)
            command.append(time_command(Path(tmp) / "store"))
    rows = [
        ("meta-SHACL check of shapes/", meta),
        ("meta-SHACL, shapes unchanged (cached verdict)", cached),
        ("validation: reference + 1 document graph, shapes split over the cores", validation),
        ("validation as above, one process (--jobs 1)", one_job),
        ("`kg validate` wall time (Python start, imports, cached meta-SHACL, report)", command),
    ]
    lines = [
        "| step | runs | median s | min s | max s |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {len(v)} | {statistics.median(v):.2f} | {min(v):.2f} | {max(v):.2f} |"
            for name, v in rows
        ),
    ]
    table = "\n".join(lines)
    print(table)
    out = Path(__file__).with_suffix(".md")
    out.write_text(f"# kg validate on the seed\n\n{table}\n\nTarget: validation well under 2 s.\n")
    print(f"\nwritten {out}")
    return 0 if statistics.median(validation) < 2.0 else 1


def time_command(store: Path) -> float:
    kg = Path(sys.executable).with_name("kg")
    started = time.perf_counter()
    subprocess.run([str(kg), "validate", "--store", str(store)], check=True, capture_output=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
