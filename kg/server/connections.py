"""Connection limits uvicorn lacks: a client must send each request (head and body) within
``request_timeout`` seconds of connecting or of its previous answer, else the connection is
closed. uvicorn's own keep-alive timer starts only after an answer and is reset by every byte,
so a connection that never sends a request, or sends one byte now and then, was never closed.

An answer must be read too: when a connection's write buffer stays above its high-water mark
for ``send_timeout`` seconds (the client reads nothing), the connection is aborted, which drops
what it buffered and releases the answer it was sending (see ``kg.server.sending``).

A request the HTTP parser refuses gets the same one-line error as every other, with CORS and
nosniff. And at most ``max_connections`` open connections, ``client_connections`` of them from
one address (proxies in ``trusted`` excepted): on one more, its requests get 503 and it is
closed, so that one client's idle sockets cannot lock the others out. (uvicorn's own
``limit_concurrency`` answers 503 too, but bypasses the application, so without the CORS and
nosniff headers every other error has.)
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable

import h11
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.server.responses import ERROR_HEADERS, text_error

WAITING_FOR_REQUEST = (h11.IDLE, h11.SEND_BODY)
REFUSED_SECONDS = 1.0  # a connection past a limit: time to send the request it gets 503 for
# A request's header section (names, values, separators) beyond which it is refused while it
# arrives, before h11 parses it: a 259 KB Accept cost about 15 ms of the event loop to parse.
# The request line is apart: a GET carries its query there, up to --max-request-bytes.
MAX_HEADER_BYTES = 16 * 1024
HEADER_SLACK = 4 * 1024  # ": " and line ends of up to 64 headers
LINGER_SECONDS = 2.0


def _refusal(message: str):
    async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
        """The application a connection past a limit gets instead of the server's."""
        if scope["type"] != "http":
            return
        answer = text_error(503, message, {"Retry-After": "1", "Connection": "close"})
        await answer(scope, receive, send)

    return refuse


too_many_connections = _refusal("the server has too many open connections; try again shortly")
too_many_from_client = _refusal(
    "too many open connections from your address; close some and try again"
)


class Proxies:
    """Addresses and networks of trusted proxies ("*" for any)."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = [e.strip() for e in entries if e.strip()]
        self.any = "*" in entries
        self.networks = [ipaddress.ip_network(e, strict=False) for e in entries if e != "*"]

    def __contains__(self, host: str) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


class TimedH11Protocol(H11Protocol):
    request_timeout: float = 20.0
    send_timeout: float = 20.0
    max_connections: int | None = None
    client_connections: int | None = None
    trusted: Proxies = Proxies(())
    # Connections let in, in all and per client address; one dict and set per protocol class
    # (see timed_protocol). A refused connection is in neither: it is answered 503 if it sends
    # a request within REFUSED_SECONDS and closed, so it cannot hold a place meanwhile.
    open_by_client: dict[str, int] = {}  # noqa: RUF012
    admitted: set = set()  # noqa: RUF012

    # The transport as uvicorn's H11Protocol, which this extends, annotates it (asyncio.Transport,
    # for reading and writing); asyncio's BaseProtocol names the wider BaseTransport.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._request_timer: asyncio.TimerHandle | None = None
        self._send_timer: asyncio.TimerHandle | None = None
        self._head = bytearray()  # the request head so far, up to the limits
        self._discarding = False  # a refused head: what else arrives is dropped
        self._peer = self.client[0] if self.client else ""
        refusal = self._refusal()
        if refusal is None:
            self.admitted.add(self)
            self.open_by_client[self._peer] = self.open_by_client.get(self._peer, 0) + 1
            self._arm_request_timer()
        else:
            self.app = refusal  # for this connection only
            self._arm_request_timer(REFUSED_SECONDS)

    def _refusal(self):
        if self.max_connections is not None and len(self.admitted) >= self.max_connections:
            return too_many_connections
        if (
            self.client_connections is not None
            and self.open_by_client.get(self._peer, 0) >= self.client_connections
            and self._peer not in self.trusted
        ):
            return too_many_from_client
        return None

    def send_400_response(self, msg: str) -> None:
        """A request the HTTP parser refuses: the one-line error with the headers of every
        other error (uvicorn's own answer has neither CORS nor nosniff)."""
        self._send_error(400, b"Bad Request", msg)

    def _send_error(self, status: int, reason: bytes, msg: str) -> None:
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"connection", b"close"),
            *((name.lower().encode(), value.encode()) for name, value in ERROR_HEADERS.items()),
        ]
        body = (" ".join(msg.split()) + "\n").encode("ascii", "replace")
        for event in (
            h11.Response(status_code=status, headers=headers, reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._discarding:
            return
        if self.conn.their_state is h11.IDLE:  # a request head is arriving
            room = MAX_HEADER_BYTES + HEADER_SLACK + self._line_allowance() + 1 - len(self._head)
            self._head.extend(data[: max(0, room)])
            if self._head_too_large():
                self._refuse_head()
                return
        else:
            self._head.clear()
        super().data_received(data)

    def _refuse_head(self) -> None:
        """431 while the head is still arriving. The rest of it is read and dropped for a
        moment (a lingering close): closing at once would reset the connection under a
        client still sending, and it would lose the answer."""
        self._head.clear()
        self._discarding = True
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        headers += [(k.lower().encode(), v.encode()) for k, v in ERROR_HEADERS.items()]
        body = f"the request headers are more than {MAX_HEADER_BYTES} bytes\n".encode()
        headers.append((b"content-length", str(len(body)).encode()))
        status = b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(status + head + b"\r\n" + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def _line_allowance(self) -> int:
        end = self._head.find(b"\r\n")
        return end if end >= 0 else len(self._head)

    def _head_too_large(self) -> bool:
        end = self._head.find(b"\r\n")
        if end < 0 or self._head.find(b"\r\n\r\n", end) >= 0:
            return False  # still in the request line (h11 bounds it), or the head is complete
        return len(self._head) - end > MAX_HEADER_BYTES + HEADER_SLACK

    def _arm_request_timer(self, seconds: float | None = None) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
        self._request_timer = self.loop.call_later(
            self.request_timeout if seconds is None else seconds, self._request_too_slow
        )

    def _request_too_slow(self) -> None:
        self._request_timer = None
        if self.conn.their_state in WAITING_FOR_REQUEST and not self.transport.is_closing():
            self.transport.close()

    def pause_writing(self) -> None:
        """The client stopped reading: it has ``send_timeout`` seconds to start again."""
        super().pause_writing()
        if self._send_timer is None:
            self._send_timer = self.loop.call_later(self.send_timeout, self._not_reading)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _not_reading(self) -> None:
        self._send_timer = None
        if not self.transport.is_closing():
            self.transport.abort()  # drops the buffer at once, unlike close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_request_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._request_timer, self._send_timer):
            if timer is not None:
                timer.cancel()
        self._request_timer = self._send_timer = None
        if self in self.admitted:
            self.admitted.discard(self)
            left = self.open_by_client.get(self._peer, 1) - 1
            if left > 0:
                self.open_by_client[self._peer] = left
            else:
                self.open_by_client.pop(self._peer, None)
        super().connection_lost(exc)


def timed_protocol(
    request_timeout: float,
    max_connections: int | None = None,
    *,
    send_timeout: float = 20.0,
    client_connections: int | None = None,
    trusted: Iterable[str] = (),
) -> type[TimedH11Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with these limits."""
    limits: dict[str, object] = {  # class attributes of the new protocol class
        "request_timeout": request_timeout,
        "max_connections": max_connections,
        "send_timeout": send_timeout,
        "client_connections": client_connections,
        "trusted": Proxies(trusted),
        "open_by_client": {},
        "admitted": set(),
    }
    return type("TimedH11Protocol", (TimedH11Protocol,), limits)
