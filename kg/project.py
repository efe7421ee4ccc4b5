"""Default locations, relative to the project folder (the folder holding pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SHAPES_DIR = PROJECT_ROOT / "shapes"
QUERIES_DIR = PROJECT_ROOT / "queries"
BUILD_DIR = PROJECT_ROOT / "build"
STORE_PATH = BUILD_DIR / "store"
EXPORT_DIR = PROJECT_ROOT / "out"  # kg export writes here; kg serve publishes it


def sources_dir(data_dir: Path) -> Path:
    return data_dir / "sources"


def reference_dir(data_dir: Path) -> Path:
    return data_dir / "reference"
