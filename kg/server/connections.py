"""Connection limits uvicorn lacks: a client must send each request (head and body) within
``request_timeout`` seconds of connecting or of its previous answer, else the connection is
closed. uvicorn's own keep-alive timer starts only after an answer and is reset by every byte,
so a connection that never sends a request, or sends one byte now and then, was never closed.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

WAITING_FOR_REQUEST = (h11.IDLE, h11.SEND_BODY)


class TimedH11Protocol(H11Protocol):
    request_timeout: float = 20.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._request_timer: asyncio.TimerHandle | None = None
        self._arm_request_timer()

    def _arm_request_timer(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
        self._request_timer = self.loop.call_later(self.request_timeout, self._request_too_slow)

    def _request_too_slow(self) -> None:
        self._request_timer = None
        if self.conn.their_state in WAITING_FOR_REQUEST and not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_request_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None
        super().connection_lost(exc)


def timed_protocol(request_timeout: float) -> type[TimedH11Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with this timeout."""
    return type("TimedH11Protocol", (TimedH11Protocol,), {"request_timeout": request_timeout})
