"""The embedded store's versions: readers only ever open a finished checkpoint."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.store.versions import new_store, open_store

GRAPH = ox.NamedNode("https://example.org/graph")


def quad(n: int) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"https://example.org/s{n}"),
        ox.NamedNode("https://example.org/p"),
        ox.Literal(str(n)),
        GRAPH,
    )


def test_a_writer_kept_open_cannot_change_the_published_version(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    with new_store(store_path) as store:
        store.add(quad(1))
        writer = store  # a caller that keeps the writer: its compactions must not reach readers
    with contextlib.suppress(OSError):  # its folder may already be gone: that is fine too
        writer.add(quad(2))
        writer.flush()
    assert list(open_store(store_path).quads_for_pattern(None, None, None)) == [quad(1)]


def test_a_new_version_from_the_current_one_leaves_only_the_published_folder(
    tmp_path: Path,
) -> None:
    store_path = tmp_path / "store"
    with new_store(store_path) as store:
        store.add(quad(1))
    with new_store(store_path, from_current=True) as store:
        store.add(quad(2))
    versions = sorted(p.name for p in store_path.with_name("store.d").iterdir())
    assert versions == [store_path.resolve().name]
    assert len(open_store(store_path)) == 2


def test_a_failed_version_leaves_the_current_one_and_no_scratch(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    with new_store(store_path) as store:
        store.add(quad(1))
    published = store_path.resolve()
    with (
        pytest.raises(RuntimeError, match="half-way"),
        new_store(store_path, from_current=True) as store,
    ):
        store.add(quad(2))
        raise RuntimeError("half-way")
    assert store_path.resolve() == published
    assert [p for p in store_path.with_name("store.d").iterdir()] == [published]
    assert len(open_store(store_path)) == 1


def test_a_folder_that_is_not_a_store_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    refused = "exists and is not a store written by 'kg build'"
    with pytest.raises(StoreError, match=refused), new_store(tmp_path / "store"):
        pass
