"""The SPARQL 1.1 Protocol's query operation (https://www.w3.org/TR/sparql11-protocol/):
turn an HTTP request into a query and its protocol dataset, or a 4xx that says what is wrong.

Accepted: GET with ``query`` in the URL; POST with an ``application/x-www-form-urlencoded``
body; POST with an ``application/sparql-query`` body (UTF-8). ``default-graph-uri`` and
``named-graph-uri`` may be repeated, in the URL or the form. Updates are refused (403): the
endpoint is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SparqlRequest:
    query: str | None  # None: no query, answer with the service description
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    @property
    def has_protocol_dataset(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    fields = [f.strip() for f in content_type.split(";")]
    charset = None
    for param in fields[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return fields[0].lower(), charset


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError(400, f"{what} is not valid UTF-8 (byte {err.start})") from None


def _form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the form is not valid UTF-8 once percent-decoded") from None
    except ValueError as err:
        raise ProtocolError(400, f"the form could not be read: {err}") from None


def parse_request(
    method: str, url_params: list[tuple[str, str]], content_type: str | None, body: bytes
) -> SparqlRequest:
    method = method.upper()
    params = list(url_params)
    direct_query: str | None = None
    if method == "POST":
        media_type, charset = _media_type(content_type)
        if media_type == "application/x-www-form-urlencoded":
            if charset not in (None, "utf-8", "utf8"):
                raise ProtocolError(415, f"charset {charset} is not supported; send UTF-8")
            params += _form(_decode(body, "the form body"))
        elif media_type == "application/sparql-query":
            if charset not in (None, "utf-8", "utf8"):
                raise ProtocolError(415, f"charset {charset} is not supported; send UTF-8")
            direct_query = _decode(body, "the query")
        elif media_type == "application/sparql-update":
            raise ProtocolError(403, READ_ONLY)
        elif not media_type:
            raise ProtocolError(
                415,
                "a POST needs a Content-Type: application/x-www-form-urlencoded "
                "(query=...) or application/sparql-query (the query as the body)",
            )
        else:
            raise ProtocolError(
                415,
                f"Content-Type {media_type} is not supported; use "
                "application/x-www-form-urlencoded or application/sparql-query",
            )
    elif method not in ("GET", "HEAD"):
        raise ProtocolError(405, f"method {method} is not allowed; use GET or POST")

    names = [name for name, _ in params]
    if any(name in UPDATE_PARAMS for name in names):
        raise ProtocolError(403, READ_ONLY)
    queries = [value for name, value in params if name == "query"]
    if direct_query is not None:
        if queries:
            raise ProtocolError(400, "give the query either as the body or as 'query', not both")
        queries = [direct_query]
    if len(queries) > 1:
        raise ProtocolError(400, f"one query per request; this request has {len(queries)}")
    default_graphs = tuple(v for n, v in params if n == "default-graph-uri")
    named_graphs = tuple(v for n, v in params if n == "named-graph-uri")
    has_dataset = bool(default_graphs or named_graphs)
    if not queries:
        if has_dataset or method == "POST":
            raise ProtocolError(400, "no query: send it as 'query' or as the request body")
        return SparqlRequest(None)
    for iri in default_graphs + named_graphs:
        if not iri or any(c in iri for c in ' <>"{}|^`\\') or ":" not in iri:
            raise ProtocolError(400, f"not an absolute IRI: {iri!r}")
    return SparqlRequest(
        queries[0],
        default_graphs if has_dataset else None,
        named_graphs if has_dataset else None,
    )
