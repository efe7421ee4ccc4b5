"""Progress for long commands: the pipeline reports (done, total) to a callback; the bar is off
when standard error is not a terminal, so piped output never changes."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.cli import main, progress
from kg.pipeline.build import BuildResult, build, counted
from tests.support import PROJECT

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Recorder:
    """Stands in for kg.cli.progress: what each command showed, and the counts it reported."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.reports: list[tuple[int, int]] = []

    @contextmanager
    def bar(self, description: str, quiet: bool = False) -> Iterator:
        self.shown.append(description)
        yield lambda done, total: self.reports.append((done, total))

    @contextmanager
    def spinner(self, description: str, quiet: bool = False) -> Iterator:
        self.shown.append(description)
        yield lambda status: self.reports.append((0, 0))


def test_counted_reports_each_item() -> None:
    calls: list[tuple[int, int]] = []
    assert list(counted(iter("abc"), 3, lambda d, t: calls.append((d, t)))) == ["a", "b", "c"]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
def test_build_reports_its_documents(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    build(
        PROJECT.data,
        tmp_path / "store",
        PROJECT.ontology,
        progress=lambda d, t: calls.append((d, t)),
    )
    documents = len(list((PROJECT.data / "sources").glob("*.txt")))
    assert calls[0] == (0, documents) and calls[-1] == (documents, documents)


def test_off_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with progress.bar("Building") as report:
        assert report is None
    with progress.spinner("Exporting") as status:
        status("anything")  # a no-op
    assert progress.enabled() is False


def test_on_for_a_terminal_unless_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", Terminal())
    assert progress.enabled() is True and progress.enabled(quiet=True) is False
    with progress.bar("Building") as report:
        assert report is not None
        report(1, 2)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(progress, "bar", recorder.bar)
    monkeypatch.setattr(progress, "spinner", recorder.spinner)
    return recorder


@pytest.mark.slow
def test_each_long_command_shows_its_progress(
    recorder: Recorder, built, seed_build: BuildResult, tmp_path: Path, capsys
) -> None:
    data_dir, store = built
    assert main(["build", "--data", str(data_dir), "--store", str(tmp_path / "b"), "--full"]) == 0
    assert main(["validate", "--store", str(seed_build.store), "--jobs", "1"]) == 0
    assert main(["analyse", "--store", str(seed_build.store), "--out", str(tmp_path / "a")]) == 0
    export = ["--store", str(seed_build.store), "--out", str(tmp_path / "out"), "--no-validate"]
    assert main(["export", *export]) == 0
    source = shutil.copy(FIXTURES / "ah-tk-20232024-877.xml", tmp_path)
    assert main(["add", str(source), "--data", str(data_dir), "--store", str(store)]) == 0
    assert [d.split(":")[0] for d in recorder.shown] == [
        "Building", "Validating", "Analysing", "Exporting", "Adding",
    ]  # fmt: skip
    assert (1, 1) in recorder.reports  # the bars were given counts, not only drawn
    capsys.readouterr()


@pytest.mark.slow
def test_a_terminal_sees_the_bar_and_a_pipe_does_not(
    seed_build: BuildResult, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["validate", "--store", str(seed_build.store), "--jobs", "1"]) == 0
    assert "Validating" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    assert main(["validate", "--store", str(seed_build.store), "--jobs", "1"]) == 0
    assert piped.getvalue() == ""
    capsys.readouterr()
