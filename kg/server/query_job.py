"""The SPARQL query job: what a worker runs for ``/sparql``, the linked-data pages and
``/health``. Everything that reads the query text happens here, in the worker, under its time
and memory limits: the checks (no update, no SERVICE, no nesting the engine cannot take), the
form (406 before anything runs when the client accepts no format for it), the evaluation, and
the serialisation, cut at ``max_rows`` rows and ``max_bytes`` bytes. Only bytes cross the pipe.

SELECT and ASK answers are written by the engine's own result writers
(:mod:`kg.server.result_writer`: counted as they are written, stopped and cut at the limits);
CONSTRUCT and DESCRIBE answers are cut at ``max_rows`` triples, then serialised with only the
prefixes they use, within ``max_bytes``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.rdf import bindings
from kg.server import formats, result_writer
from kg.server.query_check import RefusedQuery, inspect_query
from kg.server.query_help import has_select_star, readable_syntax_error, star_as_variables
from kg.server.worker import Outcome

# The kind of result each query form gives.
FORM_KINDS = {
    "SELECT": formats.TABULAR,
    "ASK": formats.BOOLEAN,
    "CONSTRUCT": formats.GRAPH,
    "DESCRIBE": formats.GRAPH,
}
TERM_OVERHEAD = 64  # bytes a serialised triple's term takes besides its text, roughly


@dataclass(frozen=True)
class QueryJob:
    query: str
    formats: dict[str, str]  # result kind -> format key; a kind not here is not acceptable
    default_graph: tuple[str, ...] | None = None  # protocol dataset (default-graph-uri)
    named_graphs: tuple[str, ...] | None = None  # protocol dataset (named-graph-uri)
    max_rows: int = 10_000
    max_bytes: int = 16 * 2**20
    base_iri: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle output only
    iri_bindings: dict[str, str] = field(default_factory=dict)  # ?var -> IRI, bound as terms


def _dataset_options(job: QueryJob, has_dataset_clause: bool) -> dict:
    if job.default_graph is not None or job.named_graphs is not None:
        # The protocol's dataset replaces the query's own FROM / FROM NAMED (SPARQL 1.1
        # Protocol 2.1.4); graphs that are not in the store select nothing.
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graph or ()],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
        }
    # FROM / FROM NAMED in the query pick stored graphs; otherwise the union.
    return {"use_default_graph_as_union": not has_dataset_clause}


def _term_size(term: object) -> int:
    if term is None:
        return 0
    if isinstance(term, ox.Literal):
        return len(term.value) + len(term.datatype.value) + TERM_OVERHEAD
    return len(str(term)) + TERM_OVERHEAD


def _triple_size(triple: ox.Triple) -> int:
    return sum(_term_size(term) for term in (triple.subject, triple.predicate, triple.object))


def _fit(
    triples: list[ox.Triple], serialise: Callable[[list[ox.Triple]], bytes], limit: int
) -> tuple[bytes, int] | None:
    """The serialisation of the longest prefix of ``triples`` within ``limit`` bytes, and its
    length; None when not even the first triple fits. Sizes are estimated before serialising,
    so a huge result is never serialised whole."""
    total, count = 0, 0
    for triple in triples:
        total += _triple_size(triple)
        if total > limit:
            break
        count += 1
    while True:
        body = serialise(triples[:count])
        if len(body) <= limit:
            return (body, count) if count or not triples else None
        if count == 0:
            return None
        count //= 2


def _too_large(job: QueryJob) -> Outcome:
    return Outcome(400, message=f"one result alone is larger than {job.max_bytes} bytes")


def _in_column_order(query: str, base_iri: str | None) -> str:
    """For ``SELECT *``: the query with the variables in scope named in the order the query
    first names them, so that the engine's writer puts the columns in that order (it sorts a
    ``*`` by name). Which variables are in scope is the engine's to say: it is asked on an
    empty store, where evaluating costs nothing."""
    if not has_select_star(query):
        return query
    results = ox.Store().query(query, base_iri=base_iri)
    if not isinstance(results, ox.QuerySolutions):
        return query
    return star_as_variables(query, [v.value for v in results.variables]) or query


def run_query(store: ox.Store, job: QueryJob) -> Outcome:
    """Check and run ``job`` on ``store`` (in a worker); the result in the chosen format."""
    try:
        info = inspect_query(job.query, job.base_iri)
    except RefusedQuery as err:
        return Outcome(err.status, message=str(err))
    kind = FORM_KINDS.get(info.form or "")
    if kind is not None and kind not in job.formats:  # 406 before running anything
        return Outcome(406, kind=kind)
    try:
        substitutions = {ox.Variable(k): ox.NamedNode(v) for k, v in job.iri_bindings.items()}
        options = _dataset_options(job, info.has_dataset_clause)
        text = _in_column_order(job.query, job.base_iri) if info.form == "SELECT" else job.query
        results = bindings.query(store, text, substitutions, base_iri=job.base_iri, **options)
    except SyntaxError as err:
        return Outcome(400, message=readable_syntax_error(job.query, str(err)))
    except ValueError as err:
        return Outcome(400, message=str(err))
    return _serialise(results, job)


def _serialise(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, job: QueryJob
) -> Outcome:
    if isinstance(results, ox.QueryBoolean):
        kind = formats.BOOLEAN
    elif isinstance(results, ox.QuerySolutions):
        kind = formats.TABULAR
    else:
        kind = formats.GRAPH
    fmt = job.formats.get(kind)
    if fmt is None:
        return Outcome(406, kind=kind)
    if isinstance(results, ox.QueryBoolean):
        body = results.serialize(format=result_writer.RESULTS_FORMATS[fmt])
        assert body is not None  # given no file, serialize returns the bytes
        return Outcome(200, body, kind, fmt, count=1)
    if isinstance(results, ox.QuerySolutions):
        written = result_writer.write_solutions(results, fmt, job.max_rows, job.max_bytes)
        if written.rows == 0:
            return _too_large(job)
        return Outcome(200, written.body, kind, fmt, written.cut, written.rows or 0)
    triples = list(itertools.islice(results, job.max_rows + 1))
    more = len(triples) > job.max_rows
    triples = triples[: job.max_rows]
    fitted = _fit(triples, lambda t: formats.serialize_triples(t, fmt, job.prefixes), job.max_bytes)
    if fitted is None:
        return _too_large(job)
    body, count = fitted
    return Outcome(200, body, kind, fmt, more or count < len(triples), count)
