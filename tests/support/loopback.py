"""httpx for the servers the tests start on loopback, with one TLS context for all requests.

httpx builds a TLS context from the whole CA bundle for every client it makes (about 40 ms of
CPU), even when the URL is plain http; ``httpx.get`` and its siblings make a client per call.
The suite sends well over a thousand requests, so these helpers pass httpx one context, built
on first use: the same settings, loaded once."""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def tls() -> ssl.SSLContext:
    """httpx's default TLS context (verification on), made once per process."""
    return httpx.create_ssl_context()


def client(**options) -> httpx.Client:
    return httpx.Client(verify=tls(), **options)


def request(method: str, url: str, **options) -> httpx.Response:
    return httpx.request(method, url, verify=tls(), **options)


def get(url: str, **options) -> httpx.Response:
    return request("GET", url, **options)


def post(url: str, **options) -> httpx.Response:
    return request("POST", url, **options)
