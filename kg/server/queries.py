"""The SPARQL query job: what a worker runs for ``/sparql``, the linked-data pages and
``/health``. The worker serialises the result itself, so only bytes cross the pipe."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.rdf import bindings
from kg.server import formats
from kg.server.pool import Outcome
from kg.server.query_help import readable_syntax_error, star_variable_order

# The kind of result each query form gives.
FORM_KINDS = {
    "SELECT": formats.TABULAR,
    "ASK": formats.BOOLEAN,
    "CONSTRUCT": formats.GRAPH,
    "DESCRIBE": formats.GRAPH,
}


@dataclass(frozen=True)
class QueryJob:
    query: str
    formats: dict[str, str]  # result kind -> format key; a kind not here is not acceptable
    default_graph: tuple[str, ...] | None = None  # protocol dataset (default-graph-uri)
    named_graphs: tuple[str, ...] | None = None  # protocol dataset (named-graph-uri)
    union_default_graph: bool = True
    max_rows: int = 10_000
    base_iri: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle output only
    iri_bindings: dict[str, str] = field(default_factory=dict)  # ?var -> IRI, bound as terms


def _dataset_options(job: QueryJob) -> dict:
    if job.default_graph is not None or job.named_graphs is not None:
        # The protocol's dataset replaces the query's own FROM / FROM NAMED (SPARQL 1.1
        # Protocol 2.1.4); graphs that are not in the store select nothing.
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graph or ()],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
        }
    return {"use_default_graph_as_union": job.union_default_graph}


def run_query(store: ox.Store, job: QueryJob) -> Outcome:
    """Run ``job`` on ``store`` (in a worker) and serialise its result in the chosen format."""
    try:
        substitutions = {ox.Variable(k): ox.NamedNode(v) for k, v in job.iri_bindings.items()}
        results = bindings.query(
            store, job.query, substitutions, base_iri=job.base_iri, **_dataset_options(job)
        )
    except SyntaxError as err:
        return Outcome(400, message=readable_syntax_error(job.query, str(err)))
    except ValueError as err:
        return Outcome(400, message=str(err))
    if isinstance(results, ox.QueryBoolean):
        kind = formats.BOOLEAN
    elif isinstance(results, ox.QuerySolutions):
        kind = formats.TABULAR
    else:
        kind = formats.GRAPH
    fmt = job.formats.get(kind)
    if fmt is None:
        return Outcome(406, kind=kind)
    if kind == formats.BOOLEAN:
        return Outcome(200, formats.serialize_boolean(bool(results), fmt), kind, fmt, count=1)
    if kind == formats.TABULAR:
        variables = star_variable_order(job.query, [v.value for v in results.variables])
        rows = [[s[v] for v in variables] for s in itertools.islice(results, job.max_rows + 1)]
        truncated = len(rows) > job.max_rows
        rows = rows[: job.max_rows]
        body = formats.serialize_solutions(variables, rows, fmt)
        return Outcome(200, body, kind, fmt, truncated, len(rows))
    triples = list(itertools.islice(results, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    triples = triples[: job.max_rows]
    body = formats.serialize_triples(triples, fmt, job.prefixes)
    return Outcome(200, body, kind, fmt, truncated, len(triples))
