"""Everything ``kg serve`` can be told, with its defaults: the one place they are written.

``kg serve`` takes its option defaults from here; the application reads only a ``Settings``.
Importing this module is cheap (no web framework), so the command line can use it to build its
parser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.project import LOCATIONS
from kg.rdf.namespaces import PREFIXES

MIB = 2**20


@dataclass(frozen=True)
class Settings:
    # Paths default to the project's locations, relative to its root; kg serve passes them resolved.
    store_path: Path = Path(LOCATIONS["store"])
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 10.0  # seconds a query may run before its worker is replaced
    max_rows: int = 10_000
    max_request_bytes: int = 256 * 1024
    base_url: str | None = None  # the public base; None: the base the request was sent to
    workers: int | None = None  # query worker processes; None: 3 or 4, by the cores
    queries_dir: Path = Path(LOCATIONS["queries"])
    analysis_dir: Path = Path(LOCATIONS["build"]) / "analysis"
    export_dir: Path = Path(LOCATIONS["out"])
    isolate_network: bool = True
    cache_bytes: int = 64 * MIB  # SPARQL answers kept per build; 0 turns the cache off
    page_cache_bytes: int = 16 * MIB  # pages derived from the data (ontology, VoID, picture)
    # Memory a query worker may hold (RLIMIT_DATA); an idle worker holds about 110 MiB. One
    # worker at this limit and the others idle keep the server's processes under 1.5 GB.
    max_memory_mib: int | None = 1024
    # The server and its workers together (resident): past it, the largest running query is
    # stopped. Below 1.5 GB with room for the 50 ms between two looks.
    max_total_memory_mib: int | None = 1280
    max_result_bytes: int = 16 * MIB  # a serialised answer larger than this is cut or refused
    client_queries: int = 1  # jobs one client address may have in the workers at once
    client_queue: int = 8  # further requests of one client that may wait; beyond: 429
    max_connections: int = 256  # open connections; beyond, requests get 503
    # Open connections from one client address: an eighth of the total, so that one client
    # cannot hold them all (proxies named in forwarded_allow_ips are not limited by this).
    client_connections: int = 32
    request_timeout: float = 20.0  # seconds to send a request's head and body
    # Seconds an answer may wait for a client that reads none of it; then the connection is
    # dropped and what was waiting to be sent is released.
    send_timeout: float = 20.0
    # Answers being sent, in the server process, in MiB: every distinct body held for a
    # connection (a cached answer sent to many connections counts once). Beyond, 503.
    max_send_memory_mib: int = 128
    # Answers being sent to one client address, in MiB (each connection counts its own):
    # beyond, 429. Four answers of the largest size.
    client_send_mib: int = 64
    keep_alive: float = 5.0  # seconds an idle kept-alive connection stays open
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks);
    # none by default, so a client cannot name another address to escape its limits.
    forwarded_allow_ips: tuple[str, ...] = ()
    # Host header values trusted for the public base when --base-url is not given; other
    # values are ignored (the base is then http://127.0.0.1:PORT).
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")

    @property
    def worker_count(self) -> int:
        # One worker more than two heavy clients can hold (one job per client at a time).
        return self.workers or max(3, min(4, os.cpu_count() or 3))

    @property
    def prefixes(self) -> dict[str, str]:
        """Vocabulary prefixes for Turtle output; not id:, whose local names need escaping."""
        return {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "celex")}

    def build(self) -> str:
        """The build the store's link points at now (a path, not an open store: cheap)."""
        return os.path.realpath(self.store_path)
