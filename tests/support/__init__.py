"""Helpers shared by the tests: the repository's project, the seed letter, broken-input makers.

Fixtures live in tests/conftest.py; plain values and functions live here, imported as
``from tests.support import ...`` (the repository root is on pytest's path, see pyproject).
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import TypedDict

import pyoxigraph as ox

from kg.pipeline.build import Check
from kg.project import MARKER_FILE, Project
from kg.validate import shacl_check

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT = Project.at(REPO_ROOT)
SEED_ID = "2026D32673"
SEED_PATH = PROJECT.data / "sources" / f"{SEED_ID}.txt"
# The modules that take longest, longest first (pytest --durations=0 on two cores), handed to
# the pytest-xdist workers first: a long module started last would keep one worker busy while
# the other has nothing left to do. The rest follow in collection order.
LONGEST_FIRST = (
    "test_research_page_browser.py",
    "test_add.py",
    "test_server_abuse.py",  # slow readers wait out the send timeout, then ten seconds
    "test_validate.py",
    "test_build_validate.py",
    "test_shapes.py",
    "test_benchmarks_smoke.py",
    "test_isolation.py",
    "test_remote_store.py",
    "test_server_hardening.py",
    "test_incremental.py",
)


# What kg build, kg add and kg remove run: the project's shapes (and their digest in the
# manifest, so that the three build incrementally on each other).
class Checked(TypedDict):
    checks: list[Check]
    shapes_dir: Path


CHECKED: Checked = {"checks": [shacl_check(PROJECT.shapes)], "shapes_dir": PROJECT.shapes}


def write_source(data_dir: Path, name: str, content: str | bytes) -> Path:
    path = data_dir / "sources" / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def seed_and_generated(tmp_path: Path, documents: int, seed: int) -> Path:
    """A data folder with the seed letter and ``documents`` generated ones (kg bench generate)."""
    from kg.synthetic.generate import generate

    data = tmp_path / "data"
    generate(data, documents, seed=seed, reference=PROJECT.reference)
    shutil.copy(SEED_PATH, data / "sources")
    return data


def marked_project(root: Path) -> Path:
    """``root``, created as a kg project folder (a kg.toml): the build manifest names sources
    relative to it, so a copy of the project builds incrementally on its copied store."""
    root.mkdir(parents=True)
    (root / MARKER_FILE).write_text("# a test project: data/ and store/ only\n")
    return root


def copy_project(template: Path, into: Path) -> tuple[Path, Path]:
    """A private copy of a built test project in ``into``: its data folder and its store."""
    root = into / "project"
    shutil.copytree(template, root, symlinks=True)
    return root / "data", root / "store"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, after checking that it is one."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR"
    assert data[-8:-4] == b"IEND"
    return struct.unpack(">II", data[16:24])


def solutions(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """A SELECT query's results, as the type of what ``Store.query`` returns does not say."""
    assert isinstance(results, ox.QuerySolutions), f"not a SELECT's results: {results!r}"
    return results


def value_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The IRI, label or lexical form of a term (the stores of the tests hold no triple terms)."""
    assert not isinstance(term, ox.Triple), f"an RDF 1.2 triple term: {term}"
    return term.value
