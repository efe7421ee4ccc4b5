"""Queries run in a small pool of worker processes, each with the store open read-only.

A Python thread cannot be stopped, and Oxigraph holds its thread while it evaluates, so a
query that runs past the time limit is stopped the only sure way: its worker process is killed
and a fresh one takes its place. The other workers keep answering meanwhile. Each worker
serialises its result itself, so only bytes cross the pipe.

Workers reopen the store when the store's symbolic link points at a new build, and try to leave
the network namespace at start (Linux, when permitted), so that even a SERVICE call that got
past the check could not reach any host.
"""

from __future__ import annotations

import asyncio
import ctypes
import dataclasses
import itertools
import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg.server import formats

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
WORKER_START_SECONDS = 60.0


@dataclass(frozen=True)
class QueryJob:
    query: str
    formats: dict[str, str]  # result kind -> format key; a kind not here is not acceptable
    default_graph: tuple[str, ...] | None = None  # protocol dataset (default-graph-uri)
    named_graphs: tuple[str, ...] | None = None  # protocol dataset (named-graph-uri)
    union_default_graph: bool = True
    max_rows: int = 10_000
    base_iri: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle output only
    iri_bindings: dict[str, str] = field(default_factory=dict)  # ?var -> IRI, bound as terms


@dataclass(frozen=True)
class VoidJob:
    sparql_endpoint: str
    format: str


@dataclass(frozen=True)
class AnalysisJob:
    """Network analysis in a worker: ``picture`` (the entity network as SVG) or ``path``
    (how ``source`` and ``target`` are connected, as JSON)."""

    action: str
    source: str = ""
    target: str = ""


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


def _query_kwargs(job: QueryJob) -> dict:
    import pyoxigraph as ox

    if job.default_graph is not None or job.named_graphs is not None:
        # The protocol's dataset replaces the query's own FROM / FROM NAMED (SPARQL 1.1
        # Protocol 2.1.4); graphs that are not in the store select nothing.
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graph or ()],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
        }
    return {"use_default_graph_as_union": job.union_default_graph}


def execute(store, job: QueryJob) -> Outcome:
    import pyoxigraph as ox

    from kg.rdf import bindings

    try:
        substitutions = {ox.Variable(k): ox.NamedNode(v) for k, v in job.iri_bindings.items()}
        results = bindings.query(
            store, job.query, substitutions, base_iri=job.base_iri, **_query_kwargs(job)
        )
    except SyntaxError as err:
        return Outcome(400, message=f"query syntax error: {err}")
    except ValueError as err:
        return Outcome(400, message=str(err))
    if isinstance(results, ox.QueryBoolean):
        kind = formats.BOOLEAN
    elif isinstance(results, ox.QuerySolutions):
        kind = formats.TABULAR
    else:
        kind = formats.GRAPH
    fmt = job.formats.get(kind)
    if fmt is None:
        return Outcome(406, kind=kind)
    if kind == formats.BOOLEAN:
        return Outcome(200, formats.serialize_boolean(bool(results), fmt), kind, fmt, count=1)
    if kind == formats.TABULAR:
        variables = [v.value for v in results.variables]
        width = range(len(variables))
        rows = [[s[i] for i in width] for s in itertools.islice(results, job.max_rows + 1)]
        truncated = len(rows) > job.max_rows
        rows = rows[: job.max_rows]
        body = formats.serialize_solutions(variables, rows, fmt)
        return Outcome(200, body, kind, fmt, truncated, len(rows))
    triples = list(itertools.islice(results, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    triples = triples[: job.max_rows]
    body = formats.serialize_triples(triples, fmt, job.prefixes)
    return Outcome(200, body, kind, fmt, truncated, len(triples))


def _void(store, job: VoidJob) -> Outcome:
    from kg.describe.void import describe

    graph = describe(store, sparql_endpoint=job.sparql_endpoint)
    rdflib_format = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}
    body = graph.serialize(format=rdflib_format.get(job.format, "turtle"), encoding="utf-8")
    return Outcome(200, body, formats.GRAPH, job.format, count=len(graph))


def _analysis(store, job: AnalysisJob) -> Outcome:
    import json
    import tempfile

    from kg.analysis import (
        PathNotInNetwork,
        draw_entity_network,
        explain_path,
        format_path,
        load_networks,
        resolve_entity,
    )
    from kg.errors import AnalysisError
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(store)  # the worker holds an Oxigraph store; analysis reads GraphStores

    if job.action == "picture":
        networks = load_networks(store)
        with tempfile.TemporaryDirectory() as folder:
            stem = Path(folder) / "entity-network"
            draw_entity_network(networks.entity_network, stem)
            body = stem.with_suffix(".svg").read_bytes()
        return Outcome(200, body, format="svg")
    try:
        source, target = resolve_entity(store, job.source), resolve_entity(store, job.target)
        networks = load_networks(store)
        steps = explain_path(networks, source, target)
    except AnalysisError as err:
        return Outcome(400, message=str(err))
    except PathNotInNetwork as err:
        return Outcome(404, message=str(err))
    if steps is None:
        return Outcome(404, message=f"{job.source} and {job.target} are not connected")
    payload = {
        "source": source,
        "target": target,
        "text": format_path(steps, job.source, job.target),
        "steps": [
            {
                "source": step.source,
                "target": step.target,
                "sourceLabel": step.source_label,
                "targetLabel": step.target_label,
                "relation": step.relation,
                "passages": [
                    {"document": p.document, "answer": p.answer, "line": p.line, "text": p.text}
                    for p in step.passages
                ],
            }
            for step in steps
        ],
    }
    return Outcome(200, json.dumps(payload, ensure_ascii=False).encode("utf-8"), format="json")


def worker_main(store_path: str, conn, isolate_network: bool) -> None:
    import pyoxigraph as ox

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
            if isinstance(job, VoidJob):
                outcome = _void(store, job)
            elif isinstance(job, AnalysisJob):
                outcome = _analysis(store, job)
            else:
                outcome = execute(store, job)
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


class QueryPool:
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
        self, job: QueryJob | VoidJob | AnalysisJob, timeout: float | None = None
    ) -> Outcome:
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
