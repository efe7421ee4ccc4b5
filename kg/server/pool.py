"""Jobs (queries, VoID, analysis) run in a small pool of worker processes, each with the store
open read-only. The pool knows nothing of what a job does: it runs a function on the store.

A Python thread cannot be stopped, and Oxigraph holds its thread while it evaluates, so a
query that runs past the time limit is stopped the only sure way: its worker process is killed
and a fresh one takes its place. The other workers keep answering meanwhile. Each job
serialises its result itself, so only bytes cross the pipe.

Workers reopen the store when the store's symbolic link points at a new build, and try to leave
the network namespace at start (Linux, when permitted), so that even a SERVICE call that got
past the check could not reach any host.
"""

from __future__ import annotations

import asyncio
import ctypes
import dataclasses
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
WORKER_START_SECONDS = 60.0


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


class QueryTimeout(Exception):
    pass


class WorkerFailed(Exception):
    pass


# ---------------------------------------------------------------- inside the worker process


def _leave_network() -> bool:
    """Move this process into a new, empty network namespace; True if that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def worker_main(store_path: str, conn, isolate_network: bool) -> None:
    isolated = _leave_network() if isolate_network else False
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
        try:
            outcome = job.function(store, *job.args)
        except OSError as err:
            outcome = Outcome(500, message=f"the store could not be read: {err.strerror or err}")
        except Exception as err:  # never let one query end the worker; no traceback leaves it
            outcome = Outcome(500, message=f"the query failed: {type(err).__name__}")
        conn.send(dataclasses.replace(outcome, build=opened))


# ---------------------------------------------------------------- in the server process


class Worker:
    def __init__(self, context, store_path: str, isolate_network: bool) -> None:
        parent, child = context.Pipe()
        self.process = context.Process(
            target=worker_main, args=(store_path, child, isolate_network), daemon=True
        )
        self.process.start()
        child.close()
        self.conn = parent
        if not parent.poll(WORKER_START_SECONDS):
            self.kill()
            raise WorkerFailed("a query worker did not start in time")
        try:
            message = parent.recv()
        except EOFError:
            self.kill()
            raise WorkerFailed("a query worker ended while starting") from None
        if message[0] != "ready":
            self.kill()
            raise WorkerFailed(message[1])
        self.network_isolated = bool(message[1])

    def call(self, job, timeout: float) -> Outcome:
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                raise QueryTimeout
            return self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            raise WorkerFailed("the query worker ended unexpectedly") from None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; ``run`` waits for a free one at most ``timeout`` seconds and
    then gives the query ``timeout`` seconds before the worker is killed and replaced."""

    def __init__(
        self, store_path: Path, size: int, timeout: float, *, isolate_network: bool = True
    ) -> None:
        self.store_path = str(store_path)
        self.size = size
        self.timeout = timeout
        self.isolate_network = isolate_network
        self._context = multiprocessing.get_context("spawn")
        self._executor = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="kg-query")
        self._idle: asyncio.Queue[Worker] | None = None
        self._workers: set[Worker] = set()
        self.network_isolated = False
        self.replaced = 0
        self._tasks: set[asyncio.Task] = set()

    def _spawn(self) -> Worker:
        worker = Worker(self._context, self.store_path, self.isolate_network)
        self._workers.add(worker)
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._executor, self._spawn) for _ in range(self.size))
        )
        self.network_isolated = all(w.network_isolated for w in workers)
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _replace(self, worker: Worker) -> None:
        loop = asyncio.get_running_loop()
        self._workers.discard(worker)
        await loop.run_in_executor(self._executor, worker.kill)
        self.replaced += 1
        while True:
            try:
                fresh = await loop.run_in_executor(self._executor, self._spawn)
                break
            except WorkerFailed:
                await asyncio.sleep(1.0)
        assert self._idle is not None
        self._idle.put_nowait(fresh)

    async def run(
        self, function: Callable[..., Outcome], *args: object, timeout: float | None = None
    ) -> Outcome:
        """``function(store, *args)`` in a free worker, within ``timeout`` seconds."""
        job = Job(function, args)
        assert self._idle is not None, "QueryPool.start() was not awaited"
        limit = self.timeout if timeout is None else timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=limit)
        except TimeoutError:
            return Outcome(
                503, message="the server is busy: every query worker is in use; try again shortly"
            )
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, worker.call, job, limit)
        # Whatever happens to this request (even a client that hangs up), the worker goes
        # back to the pool or is replaced once its call is over.
        future.add_done_callback(lambda f: self._release(worker, f))
        try:
            return await asyncio.shield(future)
        except QueryTimeout:
            return Outcome(
                503, message=f"the query ran longer than the limit of {limit:g} s and was stopped"
            )
        except WorkerFailed as err:
            return Outcome(500, message=str(err))

    def _release(self, worker: Worker, future: asyncio.Future) -> None:
        if future.cancelled() or future.exception() is not None:
            self._tasks.add(task := asyncio.get_running_loop().create_task(self._replace(worker)))
            task.add_done_callback(self._tasks.discard)
        else:
            assert self._idle is not None
            self._idle.put_nowait(worker)

    def close(self) -> None:
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
