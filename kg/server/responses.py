"""HTTP answers shared by the routes: one-line text errors, a job's outcome as a response,
cached answers, the public base URL and the formats negotiated from ``Accept``."""

from __future__ import annotations

import functools

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

from kg.server import formats, negotiation
from kg.server.cache import CachedAnswer
from kg.server.settings import Settings
from kg.server.worker import Outcome

READ_METHODS = ["GET", "HEAD"]  # every route that answers GET answers HEAD too
# Every error carries these itself, so that answers made before the middleware (413, 414)
# or outside a route (404, 405) have them too.
ERROR_HEADERS = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}


def public_base(settings: Settings, request: Request) -> str:
    """The base of the server's public URLs: ``--base-url`` when given, else the Host the
    request names when it is one of ``allowed_hosts``, else the loopback address and port.
    So a forged Host header never shapes an answer (nor, through the caches, later ones)."""
    if settings.base_url:
        return settings.base_url.rstrip("/")
    host = request.url.hostname or ""
    if host in settings.allowed_hosts or f"[{host}]" in settings.allowed_hosts:
        return str(request.base_url).rstrip("/")
    return f"http://127.0.0.1:{settings.port}"


def one_line(message: str, limit: int = 500) -> str:
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A one-line plain-text error with CORS and nosniff."""
    return PlainTextResponse(
        f"{one_line(message)}\n", status_code=status, headers={**ERROR_HEADERS, **(headers or {})}
    )


def not_acceptable(kind: str) -> Response:
    accepted = ", ".join(dict.fromkeys(formats.OFFERS[kind]))
    return text_error(
        406, f"none of the accepted media types fits this result; offered: {accepted}"
    )


def outcome_response(outcome: Outcome) -> Response:
    """The HTTP answer for a finished job: the body with its media type, or the error."""
    if outcome.status == 406:
        return not_acceptable(outcome.kind or formats.TABULAR)
    if outcome.status != 200:
        return text_error(outcome.status, outcome.message)
    answer = cached_answer(outcome)
    return Response(answer.body, media_type=answer.media_type, headers=dict(answer.headers))


def cached_answer(outcome: Outcome) -> CachedAnswer:
    """What a successful query outcome's HTTP answer consists of, as the cache keeps it."""
    if outcome.kind is None:  # run_query names the kind of every result it answers with
        raise ValueError("an outcome without a kind of result is not a query's answer")
    media_type = next(
        answer for key, answer in formats.OFFERS[outcome.kind].values() if key == outcome.format
    )
    headers = [("Vary", "Accept")]
    if outcome.truncated:
        headers.append(
            ("X-Result-Truncated", f"only the first {outcome.count} results were returned")
        )
    return CachedAnswer(outcome.body, media_type, tuple(headers))


def cached_response(answer: CachedAnswer) -> Response:
    """A kept answer as sent the first time: no header says it was kept, since that would tell
    a client what other clients asked (``/health`` counts hits and misses instead)."""
    return Response(answer.body, media_type=answer.media_type, headers=dict(answer.headers))


def choose_formats(accept: str | None) -> dict[str, str]:
    """For each kind of result, the format the client prefers (kinds with none are left out)."""
    chosen = {}
    for kind, offers in formats.OFFERS.items():
        media_type = negotiation.choose(accept, list(offers))
        if media_type is not None:
            chosen[kind] = offers[media_type][0]
    return chosen


@functools.lru_cache(maxsize=256)
def negotiated_formats(accept: str | None) -> tuple[tuple[str, str], ...]:
    """``choose_formats`` as a hashable key, remembered per Accept header (cheap cache hits)."""
    return tuple(sorted(choose_formats(accept).items()))
