"""The marks tests get without anyone remembering them (tests/support/markers.py): by the
fixtures they use, ``slow`` for every server, browser and Virtuoso test, and a refusal to start
a server, Chromium or Virtuoso for a test that is not marked for it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support import PROJECT, markers
from tests.support.browser import chromium_path
from tests.support.live_server import running_server
from tests.support.virtuoso import Virtuoso


@dataclass
class FakeItem:
    """What ``markers.mark`` reads and writes of a pytest item."""

    fixturenames: list[str]
    own: list[str] = field(default_factory=list)

    def iter_markers(self):
        return [SimpleNamespace(name=name) for name in self.own]

    def add_marker(self, name: str) -> None:
        self.own.append(name)


@pytest.mark.parametrize(
    ("fixtures", "own", "added"),
    [
        (["seed_build", "tmp_path"], [], []),
        (["server", "seed_build"], [], ["server", "slow"]),
        (["page", "browser", "server"], [], ["browser", "server", "slow"]),
        (["seed_in_virtuoso", "virtuoso"], [], ["slow", "virtuoso"]),
        (["built", "checked_seed_project", "tmp_path"], [], ["slow"]),
        (["seed_build"], ["server"], ["slow"]),  # marked by hand: slow all the same
        (["server"], ["server", "slow"], []),  # nothing twice
    ],
)
def test_marks_come_from_the_fixtures(fixtures: list[str], own: list[str], added: list[str]):
    item = FakeItem(fixtures, list(own))
    markers.mark([item])
    assert item.own == [*own, *added]


def test_every_mark_given_is_registered_with_a_description() -> None:
    config = tomllib.loads((PROJECT.root / "pyproject.toml").read_text(encoding="utf-8"))
    registered = {
        line.split(":")[0]: line.split(":", 1)[1].strip()
        for line in config["tool"]["pytest"]["ini_options"]["markers"]
    }
    given = {*markers.FIXTURE_MARKERS.values(), *markers.SLOW_BY_NATURE, "slow"}
    assert given <= set(registered)
    assert all(len(registered[name]) > 40 for name in given), registered


@pytest.fixture
def unmarked(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the running test had no marks (this one has none)."""
    monkeypatch.setattr(markers, "current", frozenset())


def test_a_server_is_refused_to_a_test_not_marked_server(unmarked, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError) as caught, running_server(tmp_path / "store"):
        pass
    assert str(caught.value) == (
        "this test starts kg serve but is not marked 'server', so -m 'not server' and "
        "-m 'not slow' would run it: take it from a fixture named 'server' or mark the test "
        "@pytest.mark.server"
    )
    assert list(tmp_path.iterdir()) == []  # refused before its log was opened


def test_chromium_and_virtuoso_are_refused_the_same_way(unmarked, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="starts Chromium but is not marked 'browser'"):
        chromium_path()
    with pytest.raises(RuntimeError, match="starts Virtuoso but is not marked 'virtuoso'"):
        Virtuoso(tmp_path, 1, 2).start()
    assert list(tmp_path.iterdir()) == []  # refused before anything was written


def test_outside_pytest_nothing_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markers, "current", None)
    markers.require("server", "kg serve")  # a script may start what it likes


def test_this_test_runs_with_its_marks_known() -> None:
    assert markers.current == frozenset()  # no marks: the fast layer's kind of test
