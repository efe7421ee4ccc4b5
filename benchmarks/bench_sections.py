"""Sections of a Markdown report that one script writes into a file another script also writes.

A section lies between two HTML comments naming its writer (``<!-- begin: NAME -->`` and
``<!-- end: NAME -->``), so that ``benchmarks/validate_engines.py`` can put its tables into
benchmarks/REPORT.md without the 90-minute ``benchmarks/run.py``, and run.py keeps them when it
writes the report again.
"""

from __future__ import annotations

import re
from pathlib import Path


def begin(name: str) -> str:
    return f"<!-- begin: {name} -->"


def end(name: str) -> str:
    return f"<!-- end: {name} -->"


def _pattern(name: str | None = None) -> re.Pattern[str]:
    """A whole section (of ``name``, or of any writer), its trailing line end included."""
    writer = re.escape(name) if name is not None else r"[^>]+?"
    return re.compile(rf"<!-- begin: (?P<name>{writer}) -->\n.*?<!-- end: (?P=name) -->\n?", re.S)


def with_section(text: str, name: str, body: str, before: tuple[str, ...] = ()) -> str:
    """``text`` with the section of ``name`` holding ``body``: in place of the old one, else
    before the first line that starts with one of ``before``, else at the end."""
    section = f"{begin(name)}\n{body.rstrip()}\n{end(name)}\n"
    found = _pattern(name).search(text)
    if found is not None:
        return text[: found.start()] + section + text[found.end() :]
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if before and line.startswith(before):
            return "".join(lines[:i]) + section + "\n" + "".join(lines[i:])
    separator = (
        "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    )
    return text + separator + section


def sections_of(text: str) -> dict[str, str]:
    """Every section in ``text``: its writer and its body."""
    found = {}
    for match in _pattern().finditer(text):
        inner = match.group(0).split("\n", 1)[1]
        found[match.group("name")] = inner[: inner.rindex(end(match.group("name")))]
    return found


def keep_sections(old: Path, new: str, before: tuple[str, ...] = ("## Notes", "![")) -> str:
    """``new`` (a report about to replace the file ``old``) with the sections that ``old``
    holds and ``new`` does not."""
    if not old.exists():
        return new
    for name, body in sections_of(old.read_text(encoding="utf-8")).items():
        if name not in sections_of(new):
            new = with_section(new, name, body, before)
    return new
