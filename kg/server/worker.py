"""The worker process of the query pool: it opens the store read-only, leaves the network
and caps its memory, then runs the jobs it is sent (``function(store, *args)``) one at a time
and sends back each ``Outcome``. Kept apart from the pool, which lives in the server's event
loop: a worker imports only this module and the modules of the jobs it runs.
"""

from __future__ import annotations

import ctypes
import os
import resource
from collections.abc import Callable
from dataclasses import dataclass, replace

import pyoxigraph as ox

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
MIB = 2**20


@dataclass(frozen=True)
class WorkerOptions:
    store_path: str
    isolate_network: bool = True
    max_memory: int | None = None  # bytes of data segment a worker may hold; None: no limit


@dataclass(frozen=True)
class Job:
    """A call to run in a worker: ``function(store, *args)``, which returns an ``Outcome``.
    ``function`` must be a module-level function (the worker imports it by name)."""

    function: Callable[..., Outcome]
    args: tuple = ()


@dataclass(frozen=True)
class Outcome:
    status: int
    body: bytes = b""
    kind: str | None = None
    format: str | None = None
    truncated: bool = False
    count: int = 0
    message: str = ""
    build: str = ""  # the build (resolved store path) the worker answered from


class OutOfMemory(Exception):
    """Raised by a job (or the worker) when it needs more than the worker's memory limit."""


def _leave_network() -> bool:
    """Move this process into a new, empty network namespace; True if that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def _limit_memory(max_bytes: int | None) -> None:
    """Cap this process's data segment (heap and private mappings, RLIMIT_DATA): an allocation
    past it fails, and the job ends with MemoryError or the process with SIGABRT (Rust)."""
    if max_bytes is not None:
        resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))


def _run_job(store: ox.Store, job: Job, max_memory: int | None) -> Outcome:
    limit = f"{max_memory // MIB} MiB" if max_memory else "the limit"
    try:
        return job.function(store, *job.args)
    except (MemoryError, OutOfMemory):
        return Outcome(503, message=f"the query needed more memory than {limit} and was stopped")
    except OSError:  # no detail: an error text could echo what a query tried to reach
        return Outcome(500, message="the store could not be read")
    except Exception as err:  # never let one query end the worker; no traceback leaves it
        return Outcome(500, message=f"the query failed: {type(err).__name__}")


def worker_main(options: WorkerOptions, conn) -> None:
    store_path = options.store_path
    isolated = _leave_network() if options.isolate_network else False
    _limit_memory(options.max_memory)
    opened = ""
    store = None
    try:
        opened = os.path.realpath(store_path)
        store = ox.Store.read_only(opened)
    except OSError as err:
        conn.send(("error", f"{store_path}: cannot open the store: {err}"))
        return
    conn.send(("ready", isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        current = os.path.realpath(store_path)
        if current != opened:  # a new build was swapped in: answer from it
            try:
                store = ox.Store.read_only(current)
                opened = current
            except OSError:
                pass  # keep answering from the build we have
        outcome = _run_job(store, job, options.max_memory)
        try:
            conn.send(replace(outcome, build=opened))
        except MemoryError:
            conn.send(Outcome(503, message="the answer needed more memory than the limit"))
