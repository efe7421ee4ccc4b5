"""What every answer passes through: the request size limits, CORS, the headers every answer
carries, and the last guard that turns any unexpected exception into a one-line 500."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from kg.server import negotiation
from kg.server.responses import text_error
from kg.server.settings import Settings


def add_middleware(app: FastAPI, settings: Settings) -> None:
    limit = settings.max_request_bytes
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Result-Truncated", "X-Cache", "Content-Type"],
        max_age=86400,
    )

    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return text_error(413, f"the request is larger than {limit} bytes")
        if len(request.url.query) > limit:
            return text_error(414, f"the URL is longer than {limit} bytes")
        try:
            response = await call_next(request)
        except Exception:  # the last guard: a message, never a traceback
            return text_error(500, "internal error")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.exception_handler(negotiation.NotAcceptable)
    async def not_acceptable(request: Request, exc: negotiation.NotAcceptable) -> Response:
        return text_error(406, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        return text_error(500, "internal error")
