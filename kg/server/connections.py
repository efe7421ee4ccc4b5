"""Connection limits uvicorn lacks: a client must send each request (head and body) within
``request_timeout`` seconds of connecting or of its previous answer, else the connection is
closed. uvicorn's own keep-alive timer starts only after an answer and is reset by every byte,
so a connection that never sends a request, or sends one byte now and then, was never closed.

A request the HTTP parser refuses gets the same one-line error as every other, with CORS and
nosniff. And at most ``max_connections`` open connections: on one more, its requests get 503 and it is
closed. (uvicorn's own ``limit_concurrency`` answers 503 too, but bypasses the application, so
without the CORS and nosniff headers every other error has.)
"""

from __future__ import annotations

import asyncio

import h11
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.server.responses import ERROR_HEADERS, text_error

WAITING_FOR_REQUEST = (h11.IDLE, h11.SEND_BODY)


async def too_many_connections(scope: Scope, receive: Receive, send: Send) -> None:
    """The application a connection past the limit gets instead of the server's."""
    if scope["type"] != "http":
        return
    refusal = text_error(
        503, "the server has too many open connections; try again shortly",
        {"Retry-After": "1", "Connection": "close"},
    )  # fmt: skip
    await refusal(scope, receive, send)


class TimedH11Protocol(H11Protocol):
    request_timeout: float = 20.0
    max_connections: int | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._request_timer: asyncio.TimerHandle | None = None
        self._arm_request_timer()
        if self.max_connections is not None and len(self.connections) > self.max_connections:
            self.app = too_many_connections  # for this connection only

    def send_400_response(self, msg: str) -> None:
        """A request the HTTP parser refuses: the one-line error with the headers of every
        other error (uvicorn's own answer has neither CORS nor nosniff)."""
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"connection", b"close"),
            *((name.lower().encode(), value.encode()) for name, value in ERROR_HEADERS.items()),
        ]
        body = (" ".join(msg.split()) + "\n").encode("ascii", "replace")
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()

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


def timed_protocol(
    request_timeout: float, max_connections: int | None = None
) -> type[TimedH11Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with these limits."""
    limits = {"request_timeout": request_timeout, "max_connections": max_connections}
    return type("TimedH11Protocol", (TimedH11Protocol,), limits)
