"""How two entities are connected: names resolved to IRIs, the shortest chain of links in the
entity network, and that chain as text with the answers and passages behind each link."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.analysis.projections import Networks, Passage
from kg.analysis.read import select
from kg.errors import AnalysisError
from kg.rdf.namespaces import PREFIXES
from kg.store import GraphStore

RESOLVE_QUERY = """
SELECT DISTINCT ?entity ?name WHERE {
  ?entity skos:prefLabel|skos:altLabel|skos:hiddenLabel|rdfs:label ?label .
  FILTER (LCASE(STR(?label)) = LCASE(STR(?name)))
}"""

EXISTS_QUERY = "ASK { ?resource ?p ?o }"


class PathNotInNetwork(Exception):
    """A known entity that is not a node of the entity network (a finding, not an input error)."""


def resolve_entity(store: GraphStore, name: str) -> str:
    """An IRI (<...> or http...), a CURIE (id:instrument/nadi) or a label ("NADI") as an IRI."""
    text = name.strip()
    iri = _as_iri(text)
    if iri is not None:
        found = store.query(EXISTS_QUERY, {ox.Variable("resource"): ox.NamedNode(iri)})
        if not bool(found):
            raise AnalysisError(f"unknown entity {name!r}: no resource <{iri}> in the graph")
        return iri
    rows = select(store, RESOLVE_QUERY, {ox.Variable("name"): ox.Literal(text)})
    matches = sorted({r["entity"].value for r in rows})
    if not matches:
        raise AnalysisError(f"unknown entity {name!r}: no entity has that label")
    if len(matches) > 1:
        raise AnalysisError(f"entity name {name!r} is ambiguous: {', '.join(matches)}")
    return matches[0]


def _as_iri(text: str) -> str | None:
    """The IRI that ``text`` writes (<...>, http(s)://..., or a known CURIE), else None."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"https?://", text):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and " " not in text:
        return f"{PREFIXES[prefix]}{local}"
    return None


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    source_label: str
    target_label: str
    relation: str
    answers: str
    passages: tuple[Passage, ...]


def explain_path(networks: Networks, source: str, target: str) -> list[Step] | None:
    """The shortest chain of links from source to target in the entity network, each with the
    answers and passages that make it; None if they are not connected."""
    import networkx as nx

    graph = networks.entity_network
    for node in (source, target):
        if node not in graph:
            raise PathNotInNetwork(f"{_name(networks, node)} is not in the entity network")
    try:
        path = nx.shortest_path(graph, source, target)
    except nx.NetworkXNoPath:
        return None
    steps = []
    for a, b in itertools.pairwise(path):
        data = graph[a][b]
        steps.append(
            Step(
                a,
                b,
                _name(networks, a),
                _name(networks, b),
                data["relation"],
                data["answers"],
                tuple(networks.passages.get(frozenset((a, b)), [])),
            )
        )
    return steps


def _name(networks: Networks, iri: str) -> str:
    entity = networks.entities.get(iri)
    if entity is None:
        return f"<{iri}>"
    return entity.name if entity.short == entity.name else f"{entity.name} ({entity.short})"


def format_path(steps: list[Step], source: str, target: str) -> str:
    lines = [f"{source} → {target}: {len(steps)} step{'s' if len(steps) != 1 else ''}"]
    for i, step in enumerate(steps, start=1):
        lines.append(f"{i}. {step.source_label} — {step.target_label}")
        for relation in step.relation.split("; "):
            if relation.startswith("named in"):
                continue
            lines.append(f"   reference data: {relation}")
        for p in step.passages:
            lines.append(f"   answer {p.answer} ({p.document}, line {p.line}): “{p.text}”")
    return "\n".join(lines) + "\n"
