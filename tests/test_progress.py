"""Progress for long commands: the pipeline reports (done, total) to a callback; the bar is off
when standard error is not a terminal, so piped output never changes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.cli import progress
from kg.pipeline.build import build, counted
from tests.support import PROJECT


def test_counted_reports_each_item() -> None:
    calls: list[tuple[int, int]] = []
    assert list(counted(iter("abc"), 3, lambda d, t: calls.append((d, t)))) == ["a", "b", "c"]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


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
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Terminal())
    assert progress.enabled() is True and progress.enabled(quiet=True) is False
    with progress.bar("Building") as report:
        assert report is not None
        report(1, 2)
