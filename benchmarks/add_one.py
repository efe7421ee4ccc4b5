#!/usr/bin/env python3
"""Time ``kg add FILE`` of one new source into a built corpus of 25, 50, 100 and 200 sources,
and count the parser's calls. Prints a table and writes benchmarks/ADD_ONE.md.

    .venv/bin/python benchmarks/add_one.py [--sizes 25,50,100,200] [--runs 3]

Target (issue 32): ``kg add`` parses the new file once and no existing source at all (their
identifiers come from the store's manifest), so its time does not grow with the corpus. Each
corpus is the seed letter and generated letters (``kg bench generate``), built with the
project's shapes as ``kg build`` does; each run adds one more generated letter, as the command
line does (``kg.cli.main``, in this process so the parser's calls can be counted), into a fresh
copy of that built project. A last row does the same with the real corpus
(tests/fixtures/real/tk-2024-11 and the seed: texts of published PDFs, slower to parse than the
generated letters) and one fixture source. The machine is shared: wall and CPU time (of this
process; conversion of one file runs in it) are both given; read the median.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.cli import main  # noqa: E402
from kg.pipeline.build import build  # noqa: E402
from kg.project import MARKER_FILE, Project  # noqa: E402
from kg.synthetic.generate import generate  # noqa: E402
from kg.validate import shacl_check  # noqa: E402

PROJECT = Project.at(ROOT)
SEED = 7
OUT = Path(__file__).with_name("ADD_ONE.md")
REAL = ROOT / "tests" / "fixtures" / "real" / "tk-2024-11"
REAL_NEW = ROOT / "tests" / "fixtures" / "sources" / "ah-tk-20242025-1502.md"
SECONDS = ":seconds"  # the CPU seconds spent parsing, kept among the counts


@contextlib.contextmanager
def counting_parses() -> Iterator[Counter]:
    """Count ``kg.sources.parsers.parse_text`` calls by file name (every parse goes through it),
    and the CPU seconds spent reading (``read_source``: decoding, a PDF's text) and parsing."""
    import kg.sources.parsers as parsers

    counts: Counter = Counter()
    original_parse, original_read = parsers.parse_text, parsers.read_source

    def timed(function, path, *args, **kwargs):
        started = time.process_time()
        try:
            return function(path, *args, **kwargs)
        finally:
            counts[SECONDS] += time.process_time() - started

    def counted(path, *args, **kwargs):
        counts[Path(path).name] += 1
        return timed(original_parse, path, *args, **kwargs)

    parsers.parse_text = counted
    parsers.read_source = lambda path: timed(original_read, path)
    try:
        yield counts
    finally:
        parsers.parse_text, parsers.read_source = original_parse, original_read


def built_project(folder: Path, sources: int) -> Path:
    """A kg project with ``sources`` sources (the seed and generated letters), built and checked."""
    root = folder / f"corpus-{sources}"
    root.mkdir(parents=True)
    (root / MARKER_FILE).write_text("# benchmarks/add_one.py\n")
    data = root / "data"
    generate(data, sources - 1, seed=SEED, reference=PROJECT.reference)
    shutil.copy(PROJECT.data / "sources" / "2026D32673.txt", data / "sources")
    build(data, root / "store", PROJECT.ontology,
          checks=[shacl_check(PROJECT.shapes)], shapes_dir=PROJECT.shapes)  # fmt: skip
    return root


def real_project(folder: Path) -> tuple[Path, int]:
    """The real corpus (tests/fixtures/real/tk-2024-11, one week of Kamervragen as published)
    and the seed, built and checked, and how many sources it has."""
    root = folder / "corpus-real"
    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    (root / MARKER_FILE).write_text("# benchmarks/add_one.py\n")
    shutil.copytree(PROJECT.reference, root / "data" / "reference")
    for path in [*REAL.iterdir(), PROJECT.data / "sources" / "2026D32673.txt"]:
        shutil.copy(path, sources)
    build(root / "data", root / "store", PROJECT.ontology,
          checks=[shacl_check(PROJECT.shapes)], shapes_dir=PROJECT.shapes)  # fmt: skip
    return root, len(list(sources.iterdir()))


def add_once(template: Path, new_file: Path, run: Path) -> tuple[float, float, Counter]:
    """Wall and CPU seconds of ``kg add new_file`` into a copy of ``template``, and the parses."""
    root = run / "project"
    shutil.copytree(template, root, symlinks=True)
    args = ["add", str(new_file), "--data", str(root / "data"), "--store", str(root / "store"),
            "--ontology", str(PROJECT.ontology), "--shapes", str(PROJECT.shapes)]  # fmt: skip
    with counting_parses() as counts, contextlib.redirect_stdout(io.StringIO()):
        wall, cpu = time.perf_counter(), time.process_time()
        code = main(args)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if code != 0:
        raise RuntimeError(f"kg add exited {code}")
    shutil.rmtree(root)
    return wall, cpu, counts


def measure(sizes: list[int], runs: int, real: bool) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-add-") as tmp:
        folder = Path(tmp)
        for sources in [*sizes, *(["real"] if real else [])]:
            started = time.perf_counter()
            if sources == "real":
                template, count = real_project(folder)
                sources, new = f"{count} (real)", REAL_NEW
            else:
                template = built_project(folder, sources)
                new = generate(folder / f"new-{sources}", 1, seed=SEED,
                               reference=PROJECT.reference, start=sources)[0]  # fmt: skip
            built = time.perf_counter() - started
            walls, cpus, parsing, counts = [], [], [], Counter()
            for number in range(runs):
                wall, cpu, counts = add_once(template, new, folder / f"run-{sources}-{number}")
                walls.append(wall)
                cpus.append(cpu)
                parsing.append(counts.pop(SECONDS, 0.0))
            rows.append({
                "sources": sources,
                "build": built,
                "wall": statistics.median(walls),
                "cpu": statistics.median(cpus),
                "parsing": statistics.median(parsing),
                "new_parses": counts[new.name],  # its copy in data/sources has its name
                "existing_parses": sum(counts.values()) - counts[new.name],
                "most": max(counts.values(), default=0),
            })  # fmt: skip
            shutil.rmtree(template)
            print(_line(rows[-1]), flush=True)
    return rows


HEADER = (
    "| sources | kg add, wall s (median) | CPU s (median) | of which reading and parsing, CPU s "
    "| parses of the new file | parses of existing sources | most parses of one file |"
    "\n|---|---|---|---|---|---|---|"
)


def _line(row: dict) -> str:
    return (
        f"| {row['sources']} | {row['wall']:.2f} | {row['cpu']:.2f} | {row['parsing']:.3f} "
        f"| {row['new_parses']} "
        f"| {row['existing_parses']} | {row['most']} |"
    )


# The same measurement of main before issue 32's one pass (fd2c937, where kg add parsed every
# source in check_each, and the new file again in add_documents and in the build), run on the
# same 2-core machine a minute after the figures of ADD_ONE.md, the machine quiet (load 1.5).
BEFORE = """
| 25 | 0.86 | 1.10 | 0.033 | 3 | 25 | 3 |
| 50 | 0.85 | 1.06 | 0.043 | 3 | 50 | 3 |
| 100 | 1.44 | 1.39 | 0.086 | 3 | 100 | 3 |
| 200 | 1.94 | 2.32 | 0.191 | 3 | 200 | 3 |
| 79 (real) | 1.15 | 1.34 | 0.294 | 3 | 79 | 3 |
"""


def report(rows: list[dict], runs: int) -> str:
    return "\n".join(
        [
            "# kg add of one file, by corpus size",
            "",
            "Written by `benchmarks/add_one.py` (issue 32): one new generated letter added with "
            "`kg add` (shapes checked) into a built corpus of the seed and generated letters "
            "(the last row: the real corpus tk-2024-11 and the seed, adding a fixture); "
            f"median of {runs} run(s), each into a fresh copy of the built project. Parses "
            "counted at `kg.sources.parsers.parse_text`, in this process; reading and parsing "
            "timed there and at `read_source`. The machine is "
            "shared (other test runs): the CPU seconds of this process are the steadier figure.",
            "",
            HEADER,
            *(_line(row) for row in rows),
            "",
            "Before the one pass (main at fd2c937: `kg add` parsed every source to check the new "
            "file's identifier, and the new file three times), measured the same way a minute "
            "later:",
            "",
            HEADER,
            BEFORE.strip(),
            "",
            "Reading and parsing no longer grow with the corpus: one parse, of the new file, "
            "1 to 3 ms at every size, where it was 33 ms at 25 sources and 191 ms at 200 (294 ms "
            "on the 79 real sources, whose texts cost ~5 ms a parse). From 25 to 200 sources "
            "`kg add` grew by 1.1 s wall (1.2 s CPU) and now grows by 0.5 s (0.6 s CPU): not "
            "flat. What still grows is not parsing (cProfile of one run, 25 against 200 "
            "sources): the build graph (the manifest, one entry per document) made anew "
            "(+0.3 s) and checked by the shapes, the manifest read and every source's SHA-256 "
            "taken twice, once for the identifiers and once for the build plan (+0.2 s), and "
            "the minted graph's update (+0.08 s).",
            "",
        ]
    )


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100,200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-real", dest="real", action="store_false", help="leave out the real corpus's row"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(HEADER, flush=True)
    rows = measure(sizes, args.runs, args.real)
    args.out.write_text(report(rows, args.runs), encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
