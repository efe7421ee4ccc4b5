"""A smoke test of benchmarks/validate_engines.py at a tiny size: both engines timed with the
same results, a validated and an unvalidated build, and the tables written into a report as a
section of their own that benchmarks/run.py keeps when it writes the report again."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import PROJECT
from tests.support.markdown_tables import ragged_tables, table_rows

SECONDS = re.compile(r"^\*{0,2}\d+\.\d+×?\*{0,2}$")
# A report as benchmarks/run.py writes it, cut short.
RUN_REPORT = """# Benchmarks

## Incremental rebuild and validation

| size | validate (full) |
|---|---|
| 1M | 381.80 s |

## Notes

- 1M: a note

![latency against size](latency.png)
"""


def sections():
    sys.path.insert(0, str(PROJECT.root / "benchmarks"))
    try:
        import bench_sections
    finally:
        sys.path.remove(str(PROJECT.root / "benchmarks"))
    return bench_sections


def without_section(text: str, name: str) -> str:
    module = sections()
    start, end = text.index(module.begin(name)), text.index(module.end(name))
    return text[:start] + text[end + len(module.end(name)) + 1 :]


def test_a_section_is_inserted_once_and_then_replaced() -> None:
    module = sections()
    first = module.with_section(RUN_REPORT, "w", "## W\n\none", before=("## Notes",))
    assert first.index("## W") < first.index("## Notes")
    assert without_section(first, "w").replace("\n\n\n", "\n\n") == RUN_REPORT
    second = module.with_section(first, "w", "## W\n\ntwo", before=("## Notes",))
    assert second == first.replace("one", "two")
    assert module.sections_of(second) == {"w": "## W\n\ntwo\n"}
    appended = module.with_section("# T\n", "w", "x")
    assert appended == "# T\n\n<!-- begin: w -->\nx\n<!-- end: w -->\n"


def test_a_rewritten_report_keeps_the_sections_it_does_not_write(tmp_path: Path) -> None:
    module = sections()
    old = tmp_path / "REPORT.md"
    assert module.keep_sections(old, RUN_REPORT) == RUN_REPORT  # no file yet
    old.write_text(module.with_section(RUN_REPORT, "w", "## W\n\nkept"), encoding="utf-8")
    new = RUN_REPORT.replace("381.80 s", "300.00 s")
    kept = module.keep_sections(old, new)
    assert module.sections_of(kept) == {"w": "## W\n\nkept\n"}
    assert kept.index("## W") < kept.index("## Notes")
    assert "300.00 s" in kept and "381.80 s" not in kept
    assert module.keep_sections(old, kept) == kept  # a section the new text has is its own


@pytest.mark.slow
def test_validate_engines_writes_its_section_into_the_report(tmp_path: Path) -> None:
    report, own = tmp_path / "REPORT.md", tmp_path / "VALIDATE_ENGINES.md"
    report.write_text(RUN_REPORT, encoding="utf-8")
    command = [
        sys.executable,
        str(PROJECT.root / "benchmarks" / "validate_engines.py"),
        *("--sizes", "3k", "--build-documents", "2", "--repeat", "1"),
        *("--out", str(own), "--report", str(report)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    text = report.read_text(encoding="utf-8")
    name = "benchmarks/validate_engines.py"
    assert list(sections().sections_of(text)) == [name]
    assert text.index("## Validation: pySHACL and the SPARQL engine") < text.index("## Notes")
    assert without_section(text, name).replace("\n\n\n", "\n\n") == RUN_REPORT
    assert ragged_tables(text) == []
    rows = [r for r in table_rows(text, "size") if "engine" in r]
    assert [(r["size"], r["engine"]) for r in rows] == [
        ("3k", "`pyshacl`"),
        ("3k", "`sparql`"),
        ("3k", "speed-up"),
    ]
    assert all(SECONDS.match(r["seconds"]) for r in rows), rows
    assert rows[2]["violations / warnings"] == "same results"
    assert int(rows[0]["triples"].replace(",", "")) > 1000
    builds = {r["build"]: r["× unvalidated"] for r in table_rows(text, "build")}
    assert list(builds) == [
        "`kg build --no-validate`",
        "`kg build` (SPARQL engine)",
        "`kg build` (pySHACL engine, once)",
    ]
    assert all(SECONDS.match(ratio) for ratio in builds.values()), builds
    [mine] = sections().sections_of(own.read_text(encoding="utf-8")).values()
    assert sections().sections_of(text)[name] == (
        "## Validation: pySHACL and the SPARQL engine\n\n" + mine
    )


@pytest.mark.slow
def test_validate_constraints_times_each_constraint_by_name(tmp_path: Path) -> None:
    """benchmarks/validate_constraints.py at a tiny size: both builds, then every compiled
    constraint by name, the reordered ones also as written."""
    own = tmp_path / "VALIDATE_CONSTRAINTS.md"
    command = [
        sys.executable,
        str(PROJECT.root / "benchmarks" / "validate_constraints.py"),
        *("--size", "3k", "--repeat", "1", "--as-written-timeout", "20", "--top", "400"),
        *("--work", str(tmp_path / "work"), "--out", str(own)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    text = own.read_text(encoding="utf-8")
    assert ragged_tables(text) == []
    builds = [r["build"] for r in table_rows(text, "build")]
    assert builds == ["`kg build --no-validate`", "`kg build`"]
    rows = table_rows(text, "constraint")
    names = {r["constraint"] for r in rows}
    assert "shapes:Question-number-unique" in names, sorted(names)
    named = [r for r in rows if not r["constraint"].startswith("the other")]
    assert named and all(r["constraint"].startswith("shapes:") for r in named)
    planned = [r for r in rows if r["as written"]]
    assert planned and all(SECONDS.match(r["as written"].removesuffix(" s")) for r in planned)
