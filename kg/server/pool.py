"""Jobs (queries, VoID, analysis) run in a small pool of worker processes, each with the store
open read-only. The pool knows nothing of what a job does: it runs a function on the store.

A Python thread cannot be stopped, and Oxigraph holds its thread while it evaluates, so a
query that runs past the time limit is stopped the only sure way: its worker process is killed
and a fresh one takes its place. The other workers keep answering meanwhile. Each job
serialises its result itself, so only bytes cross the pipe.

Workers reopen the store when the store's symbolic link points at a new build, and try to leave
the network namespace at start (Linux, when permitted), so that even a SERVICE call that got
past the check could not reach any host.

Memory is bounded twice: each worker by its own limit (``max_memory``, set in the worker), and
the server with its workers together by ``max_total_memory``: several heavy queries at once,
each under its own limit, could together still exhaust the machine. A watch samples the
resident memory of the server and its workers (Linux, through /proc) and, past the total, kills
the busy worker holding the most; its query gets 503 and the worker is replaced.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.server.worker import MIB, Job, Outcome, WorkerOptions, worker_main

WORKER_START_SECONDS = 60.0
MEMORY_SAMPLE_SECONDS = 0.05
BUSY = "the server is busy: every query worker is in use; try again shortly"


def resident_bytes(pid: int) -> int:
    """Resident memory of process ``pid``; 0 when it cannot be read (gone, or no /proc)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class QueryTimeout(Exception):
    pass


class WorkerFailed(Exception):
    pass


class WorkerDied(WorkerFailed):
    """The worker process ended during a job; ``signal`` is the signal that ended it, if any."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__("the query worker ended unexpectedly")
        self.signal = -exitcode if exitcode is not None and exitcode < 0 else None


class Worker:
    def __init__(self, context, options: WorkerOptions) -> None:
        parent, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(options, child), daemon=True)
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
            self.process.join(timeout=2)
            raise WorkerDied(self.process.exitcode) from None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; ``run`` waits for a free one at most ``timeout`` seconds and
    then gives the query ``timeout`` seconds before the worker is killed and replaced."""

    def __init__(
        self,
        store_path: Path,
        size: int,
        timeout: float,
        *,
        isolate_network: bool = True,
        max_memory: int | None = None,
        max_total_memory: int | None = None,
    ) -> None:
        self.options = WorkerOptions(str(store_path), isolate_network, max_memory)
        self.size = size
        self.timeout = timeout
        self.max_total_memory = max_total_memory  # bytes: server and workers together
        self._busy: set[Worker] = set()
        self._killed_for_memory: set[int] = set()  # pids
        self._context = multiprocessing.get_context("spawn")
        self._executor = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="kg-query")
        self._idle: asyncio.Queue[Worker] | None = None
        self._workers: set[Worker] = set()
        self.network_isolated = False
        self.replaced = 0
        self._tasks: set[asyncio.Task] = set()

    def _spawn(self) -> Worker:
        worker = Worker(self._context, self.options)
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
        if self.max_total_memory and resident_bytes(os.getpid()):  # /proc can be read
            self._tasks.add(loop.create_task(self._watch_memory()))

    async def _watch_memory(self) -> None:
        while True:
            await asyncio.sleep(MEMORY_SAMPLE_SECONDS)
            self.enforce_total_memory()

    def resident_total(self) -> int:
        """Resident memory of the server's process and its workers together, in bytes."""
        workers = sum(resident_bytes(worker.process.pid or 0) for worker in self._workers)
        return resident_bytes(os.getpid()) + workers

    def enforce_total_memory(self) -> None:
        """Past the total, kill the busy worker that holds the most (its call then fails)."""
        if not self._busy or self.max_total_memory is None:
            return
        if self.resident_total() <= self.max_total_memory:
            return
        sizes = {worker: resident_bytes(worker.process.pid or 0) for worker in self._busy}
        biggest = max(sizes, key=lambda worker: sizes[worker])
        if biggest.process.pid not in self._killed_for_memory:
            self._killed_for_memory.add(biggest.process.pid or 0)
            biggest.process.kill()

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
        self,
        function: Callable[..., Outcome],
        *args: object,
        timeout: float | None = None,
        on_finish: Callable[[], None] | None = None,
        wait: float | None = None,
    ) -> Outcome:
        """``function(store, *args)`` in a free worker, within ``timeout`` seconds, after
        waiting at most ``wait`` seconds (default: ``timeout``) for a worker to be free.

        ``on_finish`` is called once the job no longer holds a worker (or never got one), even
        when the request that asked for it is gone."""
        assert self._idle is not None, "WorkerPool.start() was not awaited"
        finish = on_finish or (lambda: None)
        limit = self.timeout if timeout is None else timeout
        try:
            worker = await asyncio.wait_for(
                self._idle.get(), timeout=limit if wait is None else wait
            )
        except TimeoutError:
            finish()
            return Outcome(503, message=BUSY)
        except asyncio.CancelledError:
            finish()
            raise
        loop = asyncio.get_running_loop()
        self._busy.add(worker)
        future = loop.run_in_executor(self._executor, worker.call, Job(function, args), limit)

        # Whatever happens to this request (even a client that hangs up), the worker goes
        # back to the pool or is replaced once its call is over.
        def done(f: asyncio.Future) -> None:
            self._release(worker, f)
            finish()

        future.add_done_callback(done)
        try:
            return await asyncio.shield(future)
        except QueryTimeout:
            return Outcome(
                503, message=f"the query ran longer than the limit of {limit:g} s and was stopped"
            )
        except WorkerDied as err:
            return self._death(err, worker.process.pid)
        except WorkerFailed as err:
            return Outcome(500, message=str(err))

    def _death(self, err: WorkerDied, pid: int | None) -> Outcome:
        """What a worker's death during a job tells the client."""
        if pid in self._killed_for_memory:
            self._killed_for_memory.discard(pid)
            limit = (self.max_total_memory or 0) // MIB
            return Outcome(
                503,
                message=f"the server's queries together needed more memory than {limit} MiB; "
                "this one, the largest, was stopped",
            )
        if err.signal == signal.SIGABRT and self.options.max_memory:
            # Oxigraph (Rust) aborts when an allocation fails under the memory limit.
            limit = self.options.max_memory // MIB
            return Outcome(
                503, message=f"the query needed more memory than {limit} MiB and was stopped"
            )
        if err.signal == signal.SIGSEGV:  # the engine's recursion ran out of stack
            return Outcome(
                400, message="the query is nested too deeply or too long to evaluate; simplify it"
            )
        return Outcome(500, message=str(err))

    @property
    def idle(self) -> int:
        """Workers free right now."""
        return self._idle.qsize() if self._idle is not None else 0

    def _release(self, worker: Worker, future: asyncio.Future) -> None:
        self._busy.discard(worker)
        if future.cancelled() or future.exception() is not None:
            self._tasks.add(task := asyncio.get_running_loop().create_task(self._replace(worker)))
            task.add_done_callback(self._tasks.discard)
        else:
            assert self._idle is not None
            self._idle.put_nowait(worker)

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
