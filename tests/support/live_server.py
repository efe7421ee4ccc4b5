"""A real ``kg serve`` (uvicorn) on 127.0.0.1 and a free port, for tests that talk HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support import loopback, markers

REPO_ROOT = Path(__file__).resolve().parents[2]
# What the server tests ask for and send most: SPARQL JSON results, and a query that is cheap.
JSON = {"Accept": "application/sparql-results+json"}
SIMPLE = "SELECT ?q WHERE { ?q a <https://w3id.org/ai-beleid/def/aip#Question> } LIMIT 3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(store: Path, *options: str, start_timeout: float = 60.0) -> Iterator[str]:
    """Start ``kg serve --store STORE OPTIONS`` and yield its base URL; stop it afterwards."""
    with serving(store, *options, start_timeout=start_timeout) as (base, _process):
        yield base


@contextmanager
def serving(
    store: Path, *options: str, start_timeout: float = 60.0
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``running_server``, yielding the server's process too (its memory, its children)."""
    markers.require("server", "kg serve")
    port = free_port()
    log = open(store.parent / f"serve-{port}.log", "w+b")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from kg.cli import main; sys.exit(main())",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            "--log-level",
            "warning",
            *options,
        ],
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"kg serve exited: {log.read().decode(errors='replace')}")
            try:
                if loopback.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("kg serve did not answer /health in time")
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def resident_mib(pid: int) -> float:
    """Resident memory of one process, in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def read_all(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """Everything ``sock`` receives until the server closes it, resets it or is silent for
    ``timeout`` seconds (a raw socket: the probes send what no HTTP client would)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return data


def client_from(address: str, **options) -> httpx.Client:
    """An HTTP client whose connections come from ``address`` (any 127.x.y.z on Linux), so
    that one test can be several clients to the server's per-address limits."""
    return httpx.Client(
        transport=httpx.HTTPTransport(local_address=address, verify=loopback.tls()), **options
    )
