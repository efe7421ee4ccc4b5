"""Shared fixtures: the seed built once per session, and helpers to make broken inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import project as paths
from kg.pipeline.build import BuildResult, build

SEED_ID = "2026D32673"
SEED_PATH = paths.DATA_DIR / "sources" / f"{SEED_ID}.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate-golden",
        action="store_true",
        help="write the golden query results in tests/golden/ from the current graph",
    )


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("seed")
    return build(paths.DATA_DIR, out / "store", paths.ONTOLOGY_DIR, out / "dataset.trig")


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(seed_build.store.resolve()))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of data/ (reference data and the seed) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def write_source(data_dir: Path, name: str, content: str | bytes) -> Path:
    path = data_dir / "sources" / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def seed_and_generated(tmp_path: Path, documents: int, seed: int) -> Path:
    """A data folder with the seed letter and ``documents`` generated ones (kg bench generate)."""
    from kg.bench.generate import generate

    data = tmp_path / "data"
    generate(data, documents, seed=seed, reference=paths.DATA_DIR / "reference")
    shutil.copy(paths.DATA_DIR / "sources" / "2026D32673.txt", data / "sources")
    return data
