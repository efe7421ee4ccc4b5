"""The CLI contract: exit codes 0 / 1 / 2, messages on stderr, output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.pipeline.build import BuildResult


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("kg ")


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


@pytest.mark.slow
def test_build_prints_counts_and_where_the_store_is(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["build", "--data", str(data_dir), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "2026D32673 (" in out
    assert "12 questions, 12 answers, 7 footnotes, 4 cross-references, 4 commitments" in out
    assert f"Store: {store}" in out


def test_query_formats(seed_build: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(seed_build.store)
    assert main(["query", "cross-references", "--store", store, "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == ["document", "from", "to"]
    assert [row[1:] for row in table[1:]] == [["1", "2"], ["1", "9"], ["4", "1"], ["11", "3"]]
    assert main(["query", "cross-references", "--store", store, "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]["bindings"]) == 4
    assert main(["query", "cross-references", "--store", store]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(4 rows)")


def test_query_tsv_keeps_one_line_per_row(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = tmp_path / "awkward.rq"
    query.write_text(
        "#+ summary: a value with a tab, line breaks and a backslash\n"
        'SELECT ?text ?n WHERE { VALUES (?text ?n) { ("a\\tb\\nc\\r\\\\d" 1) } }\n'
    )
    assert main(["query", str(query), "--store", str(seed_build.store), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["text\tn", "a\\tb\\nc\\r\\\\d\t1"]


class _Chunks(io.StringIO):
    """A text stream that records each write."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return super().write(text)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_are_written_as_the_rows_come(fmt: str) -> None:
    import pyoxigraph as ox

    from kg.query.library import ROWS_PER_WRITE, render, write_rows

    store = ox.Store()
    rows = ROWS_PER_WRITE * 2 + 1
    for i in range(rows):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(f"v,{i}")))
    query = "SELECT ?s ?o WHERE { ?s <urn:p> ?o }"
    out = _Chunks()
    write_rows(store.query(query), fmt, out)
    assert len(out.chunks) >= 3  # the header, then a batch at a time, never all at once
    assert out.getvalue() == render(store.query(query), fmt)
    assert len(out.getvalue().splitlines()) == rows + 1


def test_query_with_parameter(seed_build: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "query",
            "mentions",
            "--store",
            str(seed_build.store),
            "--format",
            "csv",
            "--param",
            "entity=<https://w3id.org/ai-beleid/id/organisation/nfia>",
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["exact"] for r in rows] == ["Netherlands Foreign Investment Agency", "NFIA"]


def test_query_errors(
    seed_build: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "no-such-query", "--store", str(seed_build.store)]) == 2
    assert "no query 'no-such-query'; known queries:" in capsys.readouterr().err
    assert main(["query", "questions", "--store", str(tmp_path / "nothing")]) == 2
    assert "no store found; run 'kg build' first" in capsys.readouterr().err
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ summary: broken\nSELEC ?x WHERE { ?x ?p ?o }\n")
    assert main(["query", str(bad), "--store", str(seed_build.store)]) == 2
    assert f"{bad}: not valid SPARQL" in capsys.readouterr().err
    assert main(["query", "questions", "--store", str(seed_build.store), "--param", "oops"]) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err


@pytest.mark.slow
def test_a_closed_pipe_is_not_an_error() -> None:
    import subprocess
    import sys

    listing = subprocess.run(
        f"{sys.executable} -m kg.cli query --list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listing.stdout.strip()
    assert "Traceback" not in listing.stderr and "BrokenPipe" not in listing.stderr
