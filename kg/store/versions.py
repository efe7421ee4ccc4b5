"""The persistent embedded store (Oxigraph), written atomically.

Layout: ``STORE`` is a symbolic link to ``STORE.d/<build id>``, a complete Oxigraph database.
A build writes a new database beside the current one and then swaps the link with one
``rename`` (atomic on POSIX), so readers see either the old dataset or the new one, and a build
that fails leaves the previous store as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError


def _versions_dir(path: Path) -> Path:
    return path.with_name(path.name + ".d")


@contextmanager
def new_store(
    path: Path, from_current: bool = False, files: dict[str, bytes] | None = None
) -> Iterator[ox.Store]:
    """Yield an empty store beside ``path``; on success make it the current store at ``path``.

    With ``from_current`` the new store starts as a checkpoint of the current one (RocksDB
    hard links: milliseconds, whatever its size), for an incremental build to change.
    ``files`` (name -> content), as the caller has filled it when the block ends, are written
    into the new version's folder before it becomes current: what is derived from the data
    (a search index) then appears and disappears with the data, in the same swap.
    On any error the new database is deleted and ``path`` is left as it was.
    """
    path = Path(path)
    if path.exists() and not path.is_symlink():
        raise StoreError(
            f"{path}: exists and is not a store written by 'kg build'; "
            "remove it or choose another --store"
        )
    versions = _versions_dir(path)
    try:
        versions.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"{versions}: cannot create the store folder: {err.strerror}") from None
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = versions / build_id
    scratch = versions / f".writing-{build_id}"
    try:
        if from_current:
            open_store(path).backup(str(scratch))
        store = ox.Store(str(scratch))
    except OSError as err:
        _remove_tree(scratch)
        raise StoreError(f"{scratch}: cannot create a store: {err}") from None
    try:
        yield store
        store.flush()
        if not from_current:  # a full compaction costs more than a small delta gains from it
            store.optimize()
        # Readers get a checkpoint no process writes to: the writer's background compaction
        # would otherwise delete files that a reader opening the new version still needs.
        store.backup(str(target))
        for name, content in (files or {}).items():
            _write_file(target, name, content)
        _swap_link(path, target)
    except BaseException:
        del store
        _remove_tree(scratch)
        _remove_tree(target)
        raise
    del store  # closes the writer (unless the caller still holds it) before its folder goes
    _remove_old_versions(versions, keep=target)


def _write_file(folder: Path, name: str, content: bytes) -> None:
    """A file of our own beside the database: a plain name that is none of RocksDB's."""
    path = folder / name
    if not name or "/" in name or name.startswith(".") or path.exists():
        raise StoreError(f"{path}: not a name a build may add to a store version")
    path.write_bytes(content)
    os.chmod(path, 0o644)


def version_file(path: Path, name: str) -> Path:
    """Where a file written with the current version of the store at ``path`` is."""
    return Path(os.path.realpath(path)) / name


def _remove_tree(folder: Path, attempts: int = 40) -> None:
    """Delete a database folder that may still be open: RocksDB's background threads can add
    a file while it is being removed, so try again (briefly) until the folder is gone."""
    for _ in range(attempts):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.05)


def _swap_link(path: Path, target: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, path.parent), tmp)
    os.replace(tmp, path)


def _remove_old_versions(versions: Path, keep: Path) -> None:
    for old in versions.iterdir():
        if old != keep:
            _remove_tree(old)


def open_store(path: Path) -> ox.Store:
    """Open a built store read-only; a clear error if there is none."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no store found; run 'kg build' first")
    try:
        return ox.Store.read_only(str(path.resolve()))
    except (OSError, RuntimeError) as err:  # RuntimeError: Oxigraph finds a corrupt database
        raise StoreError(f"{path}: cannot open the store: {err}") from None
