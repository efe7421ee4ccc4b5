"""Sending answers without holding memory for clients that do not read them.

An answer handed to uvicorn in one piece is copied into the connection's write buffer whole:
110 connections that asked for a cached 16 MB answer and read nothing made the server process
hold 1.5 GB, beyond the total memory cap, and glibc kept it after the sockets closed. So:

- **Chunks with back-pressure.** Every answer body goes to the socket in slices of ``CHUNK``
  bytes (views of the one body, never copies); uvicorn waits before each slice until the
  connection's buffer has drained below its low-water mark, so a connection buffers at most
  about two slices whatever the answer's size.
- **A budget of bodies being sent.** A body larger than a slice is counted while a connection
  sends it: each distinct body once in the server's total (a cached answer sent to a hundred
  connections is one body in memory), and per client address for every connection. Past the
  total the answer is 503, past the client's share 429, both before anything is sent.
- **Clients that do not read are dropped** (``kg.server.connections``: ``send_timeout``), and
  their bodies released.
- **Memory goes back.** Large allocations are mapped on their own and unmapped when freed,
  and the heap is trimmed when the last large body is released (``give_back_memory``):
  otherwise glibc keeps freed answers for the next ones, and the process stays large.
"""

from __future__ import annotations

import ctypes
import functools
import time
from dataclasses import dataclass

from starlette.types import Message, Send

CHUNK = 64 * 1024  # uvicorn's high-water mark: a connection holds at most about two of these
M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
MMAP_THRESHOLD = 1024 * 1024
TRIM_INTERVAL = 1.0  # seconds between two heap trims at most


@dataclass
class _Held:
    size: int
    users: int = 0


class SendBudget:
    """Bytes of answer bodies held for sending: in total (distinct bodies) and per client."""

    def __init__(self, total: int, per_client: int) -> None:
        self.total = total
        self.per_client = per_client
        self.bytes = 0
        self.refused = 0
        self._bodies: dict[int, _Held] = {}  # id(body) -> size and connections sending it
        self._clients: dict[str, int] = {}
        self._last_trim = 0.0

    def reserve(self, client: str, body: bytes) -> tuple[int, str] | None:
        """Count ``body`` as being sent to ``client``; or, when it does not fit, the status
        and message to answer instead (nothing counted)."""
        size = len(body)
        held = self._bodies.get(id(body))
        extra = 0 if held is not None else size
        if self.bytes + extra > self.total:
            self.refused += 1
            return 503, (
                f"the server is sending {self.bytes // 2**20} MiB to clients that read slowly, "
                f"its limit; try again in a few seconds"
            )
        if self._clients.get(client, 0) + size > self.per_client:
            self.refused += 1
            return 429, (
                f"your earlier answers ({self._clients.get(client, 0) // 2**20} MiB) are still "
                f"being sent; read them first (at most {self.per_client // 2**20} MiB at once)"
            )
        if held is None:
            held = self._bodies[id(body)] = _Held(size)
            self.bytes += size
        held.users += 1
        self._clients[client] = self._clients.get(client, 0) + size
        return None

    def release(self, client: str, body: bytes) -> None:
        held = self._bodies[id(body)]
        held.users -= 1
        if held.users == 0:
            del self._bodies[id(body)]
            self.bytes -= held.size
        left = self._clients[client] - held.size
        if left:
            self._clients[client] = left
        else:
            del self._clients[client]
        if not self._bodies and time.monotonic() - self._last_trim > TRIM_INTERVAL:
            self._last_trim = time.monotonic()
            give_back_memory()

    def stats(self) -> dict[str, int]:
        return {
            "max_bytes": self.total,
            "bytes": self.bytes,
            "bodies": len(self._bodies),
            "clients": len(self._clients),
            "refused": self.refused,
        }


async def send_in_chunks(send: Send, message: Message) -> None:
    """A body message as slices of at most ``CHUNK`` bytes (views, not copies)."""
    body = message.get("body", b"")
    more = message.get("more_body", False)
    if len(body) <= CHUNK:
        await send(message)
        return
    view = memoryview(body)
    last = len(view) - CHUNK
    for start in range(0, len(view), CHUNK):
        await send(
            {"type": "http.response.body", "body": view[start : start + CHUNK],
             "more_body": more or start < last}
        )  # fmt: skip


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc only: both must exist
    except (OSError, AttributeError):
        return None
    return libc


def map_large_allocations() -> bool:
    """Allocations of ``MMAP_THRESHOLD`` bytes or more get their own mapping, returned to the
    system when freed. glibc otherwise raises the threshold after the first large free (up to
    32 MiB), and later answers come from a heap it does not shrink. True where it took effect."""
    libc = _libc()
    return bool(libc and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def give_back_memory() -> None:
    """Return the free pages at the heap's end and in its arenas to the system (glibc)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
