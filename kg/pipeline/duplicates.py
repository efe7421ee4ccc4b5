"""The one check that no two source files hold the same document: which file holds each
identifier, and the refusal, naming both files, of a second one.

``kg add`` asks it once per file it is given, against the identifiers of every source already
in ``data/sources/`` (from the store's manifest, ``kg.pipeline.corpus.known_identifiers``);
``kg build`` asks it once per document it converts, against the documents it keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kg.errors import SourceError, printable


class Holders:
    """The file holding each document identifier: those already in the sources (``existing``),
    and those claimed since, by files given to ``kg add`` or by converted sources."""

    def __init__(self, existing: Mapping[str, Path | str]) -> None:
        self._files: dict[str, Path | str] = dict(existing)
        self._given: set[str] = set()  # identifiers claimed by files given to kg add

    def claim(
        self, identifier: str, path: Path, *, given: bool = False, batch: bool = False
    ) -> None:
        """Record that ``path`` holds ``identifier``, or refuse it when another file does.
        ``given``: ``path`` is a file given to ``kg add`` (not yet in the sources); ``batch``:
        one of several, where a refused file is left out and the others are added."""
        self.check(identifier, path, given=given, batch=batch)
        self._files[identifier] = path
        if given:
            self._given.add(identifier)

    def check(
        self, identifier: str, path: Path, *, given: bool = False, batch: bool = False
    ) -> None:
        """Refuse ``path`` when another file holds ``identifier`` (see ``claim``)."""
        other = self._files.get(identifier)
        if other is not None:
            raise SourceError(path, self._refusal(identifier, other, given, batch))

    def _refusal(self, identifier: str, other: Path | str, given: bool, batch: bool) -> str:
        if not given:  # a build: two source files in data/sources
            return f"document {identifier} is also in {other}"
        if identifier in self._given:
            outcome = "only that one is added" if batch else "give only one of them"
            return (
                f"document {identifier} is also {printable(Path(other).name)}, given before it "
                f"(the same publication in another form?); {outcome}"
            )
        return (
            f"document {identifier} is already in {printable(other)}; "
            f"remove it first with 'kg remove {identifier}'"
        )
