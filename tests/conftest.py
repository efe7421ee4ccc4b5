"""Shared fixtures: the seed built once per session (also in a private Virtuoso), and a private
copy of data/ to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.pipeline.build import BuildResult, build
from kg.store.remote import RemoteStore
from tests.support import CHECKED, LONGEST_FIRST, PROJECT, copy_project, marked_project, markers
from tests.support.live_server import free_port
from tests.support.virtuoso import Virtuoso


@pytest.hookimpl(tryfirst=True)  # before -m deselects: it reads these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    markers.mark(items)  # server, browser, virtuoso and slow, by the fixtures each test uses
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures start anything
def pytest_runtest_setup(item: pytest.Item) -> None:
    markers.current = frozenset(mark.name for mark in item.iter_markers())


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("seed")
    return build(PROJECT.data, out / "store", PROJECT.ontology, out / "dataset.trig")


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(Path(seed_build.store).resolve()))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of data/ (reference data and the seed) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT.data, target)
    return target


@pytest.fixture(scope="session")
def checked_seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed built with the project's shapes check, in a folder marked as a kg project: the
    manifest names its sources relative to that folder, so a copy builds incrementally on it."""
    root = marked_project(tmp_path_factory.mktemp("seed-project") / "project")
    shutil.copytree(PROJECT.data, root / "data")
    build(root / "data", root / "store", PROJECT.ontology, **CHECKED)
    return root


@pytest.fixture
def built(checked_seed_project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the checked seed project: its data folder and its store."""
    return copy_project(checked_seed_project, tmp_path)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.fail("Virtuoso is not installed: python3 tasks.py test installs virtuoso-opensource")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seed_in_virtuoso(virtuoso: Virtuoso) -> RemoteStore:
    code = main(["build", "--quiet", "--store", virtuoso.sparql, "--full"])
    assert code == 0
    return RemoteStore(virtuoso.sparql)
