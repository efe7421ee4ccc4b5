"""A query's answer as an HTML page (a browser that opened a ``/sparql?query=`` link), made
entirely in a query worker: the query, the labels of its IRIs and the rendering of the table.

Rendered on the event loop, 1,600 rows of 101 columns stalled every other client for 1.3 s per
request. In a worker the page counts against the query's time limit and the client's limits
like any query, and the loop only sends bytes. The table shows at most ``MAX_CELLS`` cells
(rows times columns); the downloads linked above it have every row.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.server import formats
from kg.server.labels import cell, labels_from, labels_query, uris_in_rows
from kg.server.query_job import QueryJob, run_query
from kg.server.rendering import render
from kg.server.worker import Outcome

MAX_CELLS = 20_000  # a table of 200 rows of 100 columns, or 2,000 of 10


def results_page_job(store: ox.Store, job: QueryJob, page: dict) -> Outcome:
    """The page for ``job`` (a query with JSON results) in the language of ``page``, the
    template context of ``kg.server.i18n.page_context``."""
    outcome = run_query(store, job)
    if outcome.status != 200:
        return outcome
    variables: list[str] = []
    rows: list = []
    boolean, rdf, shown = None, "", None
    if outcome.kind == formats.GRAPH:
        rdf = outcome.body.decode("utf-8")
    else:
        result = json.loads(outcome.body)
        boolean = result.get("boolean")
        variables = result.get("head", {}).get("vars", [])
        bindings = result.get("results", {}).get("bindings", [])
        most = max(1, MAX_CELLS // max(1, len(variables)))
        if len(bindings) > most:
            bindings, shown = bindings[:most], most
        label_of = _labels(store, uris_in_rows(bindings), page["lang"])
        rows = [[cell(b.get(v), label_of) for v in variables] for b in bindings]
    html = render(
        "results.html", title=page["t"]["results"], query=job.query, variables=variables,
        rows=rows, boolean=boolean, rdf=rdf, truncated=outcome.truncated, shown=shown, **page,
    )  # fmt: skip
    return Outcome(200, html.encode("utf-8"), format="html")


def _labels(store: ox.Store, iris: list[str], lang: str) -> dict[str, str]:
    query = labels_query(iris)
    if query is None:
        return {}
    found = run_query(store, QueryJob(query, {formats.TABULAR: "json"}, max_rows=10**6))
    if found.status != 200:
        return {}  # the table is still readable by its IRIs
    return labels_from(json.loads(found.body)["results"]["bindings"], lang)
