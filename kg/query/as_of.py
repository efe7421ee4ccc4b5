"""The date a commitment's status is asked "as of": given (``--as-of``, ``?as-of=``), else the
date of the build the store holds, so that a status read from one store is the same every day.
The golden results and the research page's examples bind the date their query declares."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox

from kg.errors import QueryError
from kg.rdf.namespaces import BUILD_GRAPH
from kg.store import GraphStore, graph_store

AS_OF = ox.Variable("asOf")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
BUILD_ENDED = f"""PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT (MAX(STR(?ended)) AS ?day) WHERE {{
  GRAPH <{BUILD_GRAPH}> {{ ?build a prov:Activity ; prov:endedAtTime ?ended }}
}}"""


def build_day(store: GraphStore | ox.Store) -> date | None:
    """The (UTC) day the store's current build ended; None when it records no build."""
    for row in graph_store(store).query(BUILD_ENDED):
        if row["day"] is not None:
            return date.fromisoformat(row["day"].value[:10])
    return None


def parse_day(text: str, what: str = "--as-of") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise QueryError(
            f"{what} {text}: not a date; give it as YYYY-MM-DD, e.g. 2027-01-01"
        ) from None


def as_of_term(day: date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=XSD_DATE)


def as_of_binding(store: GraphStore | ox.Store, given: str | None) -> dict[ox.Variable, ox.Literal]:
    """``{?asOf: the date}``: the given one, else the build's; empty when neither is known."""
    day = parse_day(given) if given else build_day(store)
    return {AS_OF: as_of_term(day)} if day else {}
