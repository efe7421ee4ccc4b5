"""What the query workers run besides SPARQL queries (:mod:`kg.server.query_job`): the VoID
description, pictures of the network and path explanations. Each is a module-level function
``job(store, *args) -> Outcome``. This module imports no web framework: a worker imports it
to run a job, and nothing more than the job needs.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS

from kg.analysis import PathNotInNetwork, explain_path, format_path, load_networks, resolve_entity
from kg.analysis.drawing import TITLES, draw_network
from kg.describe.void import built_at, describe
from kg.errors import AnalysisError
from kg.rdf.namespaces import DATASET
from kg.server import formats
from kg.server.resource_page import local_href
from kg.server.worker import Outcome
from kg.store import graph_store


def void_job(
    store: ox.Store, sparql_endpoint: str, fmt: str, exported: str | None = None
) -> Outcome:
    """The VoID description of the store (in a worker): the export's ``void.ttl`` when it
    describes the build being served (the same ``dct:modified``), so that the live description
    and the published one are one, with the export's configured endpoint and dumps; else made
    from the store, with this server's endpoint."""
    graph = exported_void(store, Path(exported)) if exported else None
    if graph is None:
        graph = describe(store, sparql_endpoint=sparql_endpoint)
    body = graph.serialize(format=formats.RDFLIB_FORMATS.get(fmt, "turtle"), encoding="utf-8")
    return Outcome(200, body, formats.GRAPH, fmt, count=len(graph))


def exported_void(store: ox.Store, path: Path) -> Graph | None:
    """The VoID graph of an export, if it is there and of the store's current build."""
    if not path.is_file():
        return None
    try:
        graph = Graph().parse(path, format="turtle")
    except Exception:  # an export being replaced, or not one: describe the store instead
        return None
    modified = graph.value(DATASET, DCTERMS.modified)
    return graph if modified is not None and str(modified) == built_at(store) else None


# The networks a worker last read, with the store they came from: reading them costs about 2 s
# on a 300-document store, drawing one picture 1-5 s more, so every picture of a build after
# the first in a worker costs only its drawing. A new build is a new store object.
_last_networks: list[tuple[ox.Store, object]] = []


def _networks(store: ox.Store):
    if _last_networks and _last_networks[0][0] is store:
        return _last_networks[0][1]
    networks = load_networks(graph_store(store))
    _last_networks[:] = [(store, networks)]
    return networks


def picture_job(
    store: ox.Store, projection: str, limit: int, kinds: tuple[str, ...] = ()
) -> Outcome:
    """One projection of the network as SVG (in a worker), its nodes linked to their pages;
    given ``kinds``, only nodes of those kinds (instrument, eu, organisation, answer)."""
    graph = _networks(store).projections()[projection]
    if kinds:  # a copy, not a subgraph view: a view's node order follows the hash seed
        graph = graph.copy()
        graph.remove_nodes_from(
            [n for n, d in graph.nodes(data=True) if d.get("kind") not in kinds]
        )
    with tempfile.TemporaryDirectory() as folder:
        stem = Path(folder) / projection
        draw_network(graph, stem, TITLES[projection], link=local_href, limit=limit)
        body = stem.with_suffix(".svg").read_bytes()
    return Outcome(200, body, format="svg")


def path_job(store: ox.Store, source_name: str, target_name: str) -> Outcome:
    """How two entities are connected, as JSON (in a worker)."""
    networks = _networks(store)
    graphs = graph_store(store)
    try:
        source, target = resolve_entity(graphs, source_name), resolve_entity(graphs, target_name)
        steps = explain_path(networks, source, target)
    except AnalysisError as err:
        return Outcome(400, message=str(err))
    except ValueError as err:  # an IRI Oxigraph does not accept
        return Outcome(
            400, message=f"not a valid IRI in from={source_name!r} or to={target_name!r}: {err}"
        )
    except PathNotInNetwork as err:
        return Outcome(404, message=str(err))
    if steps is None:
        return Outcome(404, message=f"{source_name} and {target_name} are not connected")
    payload = {
        "source": source,
        "target": target,
        "text": format_path(steps, source_name, target_name),
        "steps": [
            {
                "source": step.source,
                "target": step.target,
                "sourceLabel": step.source_label,
                "targetLabel": step.target_label,
                "relation": step.relation,
                "passages": [
                    {"document": p.document, "answer": p.answer, "line": p.line, "text": p.text}
                    for p in step.passages
                ],
            }
            for step in steps
        ],
    }
    return Outcome(200, json.dumps(payload, ensure_ascii=False).encode("utf-8"), format="json")
