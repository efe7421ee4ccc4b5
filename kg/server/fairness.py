"""Per-client limits, so that clients sending heavy queries cannot starve the others.

Each client (by address) may have ``per_client`` jobs in the worker pool at once; further
requests wait in that client's own queue, at most ``queue`` of them and at most ``wait``
seconds, and beyond that are answered 429 with ``Retry-After``. Since a client's waiting
requests never reach the pool, the pool's own queue holds at most ``per_client`` requests per
client and serves clients in turn: with W workers, W - 1 clients looping heavy queries still
leave a worker to everyone else.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass


class TooManyRequests(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class _Client:
    slots: asyncio.Semaphore
    waiting: int = 0
    users: int = 0  # requests holding or waiting for a slot; the entry is dropped at 0


class ClientLimiter:
    def __init__(self, per_client: int, queue: int, wait: float) -> None:
        if per_client < 1 or queue < 0 or wait <= 0:
            raise ValueError("per_client must be 1 or more, queue 0 or more, wait positive")
        self.per_client = per_client
        self.queue = queue
        self.wait = wait
        self.refused = 0
        self._clients: dict[str, _Client] = {}

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.wait))

    def _refuse(self, message: str) -> TooManyRequests:
        self.refused += 1
        return TooManyRequests(message, self.retry_after)

    async def acquire(self, client: str) -> None:
        """Wait for one of ``client``'s slots; TooManyRequests when its queue is full or the
        wait is too long. Every successful acquire needs a ``release``."""
        state = self._clients.get(client)
        if state is None:
            state = self._clients[client] = _Client(asyncio.Semaphore(self.per_client))
        if state.slots.locked() and state.waiting >= self.queue:
            raise self._refuse(
                f"too many requests from {client} at once: {self.per_client} running and "
                f"{self.queue} waiting; try again in {self.retry_after} s"
            )
        state.users += 1
        state.waiting += 1
        try:
            await asyncio.wait_for(state.slots.acquire(), timeout=self.wait)
        except TimeoutError:
            self._leave(client, state)
            raise self._refuse(
                f"your earlier requests kept the server busy for {self.wait:g} s; "
                f"try again in {self.retry_after} s"
            ) from None
        finally:
            state.waiting -= 1

    def release(self, client: str) -> None:
        state = self._clients[client]
        state.slots.release()
        self._leave(client, state)

    def _leave(self, client: str, state: _Client) -> None:
        state.users -= 1
        if state.users == 0:
            del self._clients[client]
