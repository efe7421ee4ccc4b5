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
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.server.worker import MIB, Job, Outcome, WorkerOptions, worker_main

WORKER_START_SECONDS = 60.0
BUSY = "the server is busy: every query worker is in use; try again shortly"


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
    ) -> None:
        self.options = WorkerOptions(str(store_path), isolate_network, max_memory)
        self.size = size
        self.timeout = timeout
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
        future = loop.run_in_executor(self._executor, worker.call, Job(function, args), limit)
        # Whatever happens to this request (even a client that hangs up), the worker goes
        # back to the pool or is replaced once its call is over.
        future.add_done_callback(lambda f: (self._release(worker, f), finish()))
        try:
            return await asyncio.shield(future)
        except QueryTimeout:
            return Outcome(
                503, message=f"the query ran longer than the limit of {limit:g} s and was stopped"
            )
        except WorkerDied as err:
            return self._death(err)
        except WorkerFailed as err:
            return Outcome(500, message=str(err))

    def _death(self, err: WorkerDied) -> Outcome:
        """What a worker's death during a job tells the client."""
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
