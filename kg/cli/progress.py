"""Progress on the terminal for long commands (build, add, validate, export, analyse), drawn
with rich on standard error. Off when standard error is not a terminal (pipes, CI, tests) or
when asked to be quiet, so output that other programs read never changes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Report = Callable[[int, int], None]  # (done, total)


def enabled(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def bar(description: str, quiet: bool = False) -> Iterator[Report | None]:
    """A progress bar; yields the callback to report (done, total) to, or None when off."""
    if not enabled(quiet):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total or None)

        yield report


@contextmanager
def spinner(description: str, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A spinner with a changing status line, for work without a count; yields a function
    that sets the status (a no-op when off)."""
    if not enabled(quiet):
        yield lambda _status: None
        return
    from rich.console import Console

    with Console(stderr=True).status(description) as status:
        yield lambda text: status.update(f"{description}: {text}")
