"""Shared fixtures: the seed built once per session, and a private copy of data/ to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.pipeline.build import BuildResult, build
from tests.support import PROJECT


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("seed")
    return build(PROJECT.data, out / "store", PROJECT.ontology, out / "dataset.trig")


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(seed_build.store.resolve()))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of data/ (reference data and the seed) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT.data, target)
    return target
