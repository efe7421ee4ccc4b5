"""What the endpoint must know about a query before it runs: its form, whether it names its own
dataset (FROM / FROM NAMED), whether it is an update, and whether it calls out with SERVICE.

Everything is read with the one SPARQL lexer of :mod:`kg.rdf.sparql`, which tokenises the way
the engine does (a comment ends at a carriage return too), in time linear in the query's length.
SERVICE anywhere outside comments, strings and IRIs is refused, whatever the nesting, and so
is nesting or repetition the engine cannot evaluate without running out of stack. The checks
run in the query worker, under its time limit, never on the server's event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.rdf import sparql

# Beyond these, Oxigraph 0.5 overflows its stack (measured: 3,000 nested groups, 5,000 UNION
# branches, 1,000 path steps crash it); well below, so a worker is never lost to a query.
MAX_DEPTH = 200
MAX_COUNTS = {"UNION": 1000, "/": 400, "|": 400, "+": 2000, "-": 2000, "*": 2000, "&": 2000}
READ_ONLY = "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, ...) is refused"
NO_SERVICE = (
    "SERVICE (federated query) is not allowed: this endpoint never fetches from other servers"
)


class RefusedQuery(Exception):
    """The query is not run; ``str(err)`` says why, for the 4xx answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None when it could not be told
    has_dataset_clause: bool  # FROM or FROM NAMED in the query itself


def inspect_query(text: str) -> QueryInfo:
    """Check a query before it runs; raise :class:`RefusedQuery` for an update or SERVICE."""
    words = sparql.keywords(text)
    if sparql.is_update(text):
        raise RefusedQuery(403, READ_ONLY)
    if sparql.uses_service(text):
        raise RefusedQuery(400, NO_SERVICE)
    check_shape(text)
    form = next((w for w in words if w in sparql.QUERY_FORMS), None)
    return QueryInfo(form=form, has_dataset_clause="FROM" in words)


def check_shape(text: str) -> None:
    """Refuse (400) what the engine would recurse on too deeply."""
    depth, counts = sparql.shape(text)
    if depth > MAX_DEPTH:
        raise RefusedQuery(400, f"the query nests brackets {depth} deep; at most {MAX_DEPTH}")
    for key, most in MAX_COUNTS.items():
        if counts.get(key, 0) > most:
            raise RefusedQuery(
                400, f"the query has {counts[key]} times {key!r}; at most {most} are accepted"
            )
