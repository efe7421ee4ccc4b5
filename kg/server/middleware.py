"""What every answer passes through: the request limits (size, UTF-8), the headers every answer
carries (nosniff, frame protection, and a Content-Security-Policy on pages), CORS, and the
handlers that make every error, wherever it arises, a one-line plain-text answer."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.describe.ontology_html import STYLE as ONTOLOGY_STYLE
from kg.server import negotiation
from kg.server.connections import MAX_HEADER_BYTES  # also checked as the head arrives
from kg.server.fairness import TooManyRequests
from kg.server.responses import text_error
from kg.server.sending import CHUNK, SendBudget, send_in_chunks
from kg.server.settings import Settings

# Pages use only the server's own scripts, styles and images (no inline script at all); the
# inline styles allowed are named by their hashes: the ontology page's, and the one fixed
# stylesheet YASGUI's column resizer adds to the page (".grip-resizable{table-layout:fixed;}
# ...", in @zazuko/yasgui 4.6.2 as tasks.py pins it; tests/test_research_page_browser.py fails
# on any policy violation, so a new YASGUI with another text is noticed). No page may be framed.
YASGUI_RESIZER_STYLE = "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk="
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' '{style_hash}' "
    f"'{YASGUI_RESIZER_STYLE}'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# A drawing opened on its own: its inline styles, nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def page_policy() -> str:
    digest = hashlib.sha256(ONTOLOGY_STYLE.encode("utf-8")).digest()
    return PAGE_POLICY.format(style_hash="sha256-" + base64.b64encode(digest).decode("ascii"))


def _is_utf8(raw: bytes, plus_is_space: bool) -> bool:
    if plus_is_space:
        raw = raw.replace(b"+", b" ")
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Bounds on what is read of a request's head before any route works on it. A browser sends
# an Accept of about 100 bytes with 5 ranges and some 15 headers of 2 KB together; a 259 KB
# Accept cost 163 ms of the event loop to negotiate.
MAX_HEADERS = 64
MAX_ACCEPT_BYTES = 1024  # Accept, Accept-Language
MAX_ACCEPT_RANGES = 32
NEGOTIATED = (b"accept", b"accept-language")


def head_refusal(headers: list[tuple[bytes, bytes]]) -> Response | None:
    """A request head past the bounds, refused before it is parsed further."""
    for name, value in headers:
        if name in NEGOTIATED:
            label = name.decode("latin-1").title()
            if len(value) > MAX_ACCEPT_BYTES:
                return text_error(
                    400, f"the {label} header is {len(value)} bytes; at most {MAX_ACCEPT_BYTES}"
                )
            if value.count(b",") >= MAX_ACCEPT_RANGES:
                return text_error(
                    400, f"the {label} header lists more than {MAX_ACCEPT_RANGES} ranges"
                )
    if len(headers) > MAX_HEADERS:
        return text_error(431, f"the request has {len(headers)} headers; at most {MAX_HEADERS}")
    size = sum(len(name) + len(value) for name, value in headers)
    if size > MAX_HEADER_BYTES:
        return text_error(431, f"the request headers are {size} bytes; at most {MAX_HEADER_BYTES}")
    names = {name for name, _ in headers}
    if b"transfer-encoding" in names and b"content-length" in names:
        # RFC 9112 6.3: such a message may be an attempt at request smuggling; answer and close,
        # so that nothing after it on the connection is read as a request.
        return text_error(
            400,
            "a request may have Content-Length or Transfer-Encoding, not both",
            {"Connection": "close"},
        )
    return None


class Guard:
    """ASGI middleware: refuses what no route should see, adds the common headers, and sends
    every answer in chunks within the server's send budget (``kg.server.sending``)."""

    def __init__(self, app: ASGIApp, settings: Settings, budget: SendBudget) -> None:
        self.app = app
        self.limit = settings.max_request_bytes
        self.page_policy = page_policy()
        self.budget = budget

    def refusal(self, scope: Scope) -> Response | None:
        raw_headers = list(scope.get("headers") or [])
        refused = head_refusal(raw_headers)
        if refused is not None:
            return refused
        headers = dict(raw_headers)
        length = headers.get(b"content-length", b"0").decode("latin-1")
        if not length.isdigit() or int(length) > self.limit:
            return text_error(413, f"the request is larger than {self.limit} bytes")
        query = scope.get("query_string", b"")
        if len(query) > self.limit:
            return text_error(414, f"the URL is longer than {self.limit} bytes")
        if not _is_utf8(scope.get("raw_path") or b"", False):
            return text_error(400, "the path is not valid UTF-8 once percent-decoded")
        if not _is_utf8(query, True):
            return text_error(400, "the query string is not valid UTF-8 once percent-decoded")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is not None:
            await refused(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        held: list[bytes] = []  # the body counted in the budget, while it is sent
        start: Message | None = None  # the answer's head, sent once its body is known
        replaced = False  # the answer did not fit the budget: an error was sent instead

        async def send_within_budget(message: Message) -> None:
            nonlocal start, replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                self._add_headers(message)
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send_in_chunks(send, message)
                return
            head, start = start, None
            body = message.get("body", b"")
            if scope.get("method") == "HEAD":  # uvicorn sends no body: nothing to hold
                await send(head)
                await send(message)
                return
            if len(body) > CHUNK:
                over = self.budget.reserve(client, body)
                if over is not None:
                    replaced = True
                    status, why = over
                    await text_error(status, why, {"Retry-After": "5"})(scope, receive, send)
                    return
                held.append(body)
            await send(head)
            await send_in_chunks(send, message)

        try:
            await self.app(scope, self.limited(receive), send_within_budget)
        finally:
            for body in held:
                self.budget.release(client, body)

    def _add_headers(self, message: Message) -> None:
        headers = MutableHeaders(scope=message)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        content_type = headers.get("content-type", "")
        if content_type.startswith(("text/html", "application/xhtml+xml")):
            headers.setdefault("Content-Security-Policy", self.page_policy)
            headers.setdefault("Referrer-Policy", "same-origin")
        elif content_type.startswith("image/svg+xml"):
            headers.setdefault("Content-Security-Policy", SVG_POLICY)

    def limited(self, receive: Receive) -> Receive:
        """``receive`` that stops a body sent without Content-Length (chunked) at the limit,
        however the route reads it: a route that reads the whole body never holds more."""
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, f"the request is larger than {self.limit} bytes")
            return message

        return limited_receive


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"no such page: {request.url.path}"
    elif exc.status_code == 405:
        message = f"method {request.method} is not allowed here"
    else:
        message = str(exc.detail)
    return text_error(exc.status_code, message, dict(exc.headers or {}))


async def invalid_parameter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "query")
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return text_error(400, "bad parameter " + "; ".join(problems))


async def too_many(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooManyRequests)
    return text_error(429, str(exc), {"Retry-After": str(exc.retry_after)})


async def not_acceptable(request: Request, exc: Exception) -> Response:
    return text_error(406, str(exc))


async def unexpected(request: Request, exc: Exception) -> Response:
    return text_error(500, "internal error")  # a message, never a traceback


def add_middleware(app: FastAPI, settings: Settings, budget: SendBudget) -> None:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Result-Truncated", "Content-Type", "Retry-After"],
        max_age=86400,
    )
    app.add_middleware(Guard, settings=settings, budget=budget)  # added last: the outermost
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_parameter)
    app.add_exception_handler(TooManyRequests, too_many)
    app.add_exception_handler(negotiation.NotAcceptable, not_acceptable)
    app.add_exception_handler(Exception, unexpected)
