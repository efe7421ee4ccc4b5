"""Comparing a rendered query result with its golden file, and saying where they differ: the
line of the golden file, the row and the column by name, the expected and the actual value.

pytest's own diff of two long strings says "Skipping 6503 identical leading characters" and
shows a character tail; a golden file is a table, so its differences are cells:

    tests/golden/commitments.tsv differs from the result (1 row changed, 1 row missing):
      line 3 (row 2), column 4 'timing': expected "Na de zomer", got "Voor de zomer"
      line 6 (row 5): missing from the result: document=id:document/2026D32673 | number=...

A long value shows a window around its first differing character.
"""

from __future__ import annotations

import difflib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_REPORTED = 20  # differences listed; the rest are counted
WINDOW = 40  # characters of a long value shown on each side of its first difference
LONG = 2 * WINDOW + 20


def table_difference(expected: str, actual: str, name: str = "the golden file") -> str | None:
    """None when the two tables are the same; else a message naming each differing cell (line
    in ``expected``, row, column), each missing row and each unexpected one."""
    if expected == actual:
        return None
    if expected.rstrip("\n") == actual.rstrip("\n"):
        return f"{name} differs from the result only in the line breaks at its end"
    old, new = expected.rstrip("\n").split("\n"), actual.rstrip("\n").split("\n")
    if old[0] != new[0]:
        return (
            f"{name} differs from the result in its header (line 1): expected columns "
            f"{_columns(old[0])}, got {_columns(new[0])}"
        )
    columns = old[0].split("\t")
    changed, missing, extra, lines = 0, 0, 0, []
    matcher = difflib.SequenceMatcher(None, old[1:], new[1:], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            changed += 1
            lines += _cells(columns, i1 + k, old[1 + i1 + k], new[1 + j1 + k])
        for i in range(i1 + paired, i2):
            missing += 1
            lines.append(f"{_where(i)}: missing from the result: {_row(columns, old[1 + i])}")
        for j in range(j1 + paired, j2):
            extra += 1
            lines.append(
                f"after line {i1 + paired + 1}: not in {name}: {_row(columns, new[1 + j])}"
            )
    counts = [
        f"{n} row{'s' * (n != 1)} {what}"
        for n, what in ((changed, "changed"), (missing, "missing"), (extra, "not expected"))
        if n
    ]
    shown = lines[:MAX_REPORTED]
    if len(lines) > MAX_REPORTED:
        shown.append(f"... and {len(lines) - MAX_REPORTED} more")
    return f"{name} differs from the result ({', '.join(counts)}):\n  " + "\n  ".join(shown)


def assert_matches_golden(actual: str, golden: Path, regenerate: str) -> None:
    """Fail with :func:`table_difference`'s message when ``actual`` is not ``golden``'s text;
    ``regenerate`` is the command that rewrites it, named in the message."""
    difference = table_difference(golden.read_text(encoding="utf-8"), actual, _shown(golden))
    if difference is not None:
        raise AssertionError(f"{difference}\n(if the change is intended: {regenerate})")


def _shown(path: Path) -> str:
    """The path from the repository's root, as a reviewer finds it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _columns(header: str) -> str:
    return ", ".join(header.split("\t")) if header else "(none)"


def _where(index: int) -> str:
    """Line and row of the ``index``-th row: the header is line 1."""
    return f"line {index + 2} (row {index + 1})"


def _row(columns: list[str], line: str) -> str:
    cells = line.split("\t")
    return " | ".join(f"{c}={v}" for c, v in zip(columns, cells, strict=False)) or repr(line)


def _cells(columns: list[str], index: int, old: str, new: str) -> list[str]:
    a, b = old.split("\t"), new.split("\t")
    if len(a) != len(b):
        return [f"{_where(index)}: expected {len(a)} cells, got {len(b)}: {new!r}"]
    return [
        f"{_where(index)}, column {k + 1} '{columns[k] if k < len(columns) else '?'}': "
        + value_difference(x, y)
        for k, (x, y) in enumerate(zip(a, b, strict=True))
        if x != y
    ]


def value_difference(expected: str, actual: str) -> str:
    """'expected X, got Y'; for long values a window around the first differing character."""
    if len(expected) <= LONG and len(actual) <= LONG:
        return f"expected {expected}, got {actual}"
    at = next(
        (i for i, (x, y) in enumerate(zip(expected, actual, strict=False)) if x != y),
        min(len(expected), len(actual)),
    )
    return f"from character {at + 1}: expected {_window(expected, at)}, got {_window(actual, at)}"


def _window(value: str, at: int) -> str:
    start, end = max(0, at - WINDOW), at + WINDOW
    return ("…" if start else "") + value[start:end] + ("…" if end < len(value) else "")
