"""The three networks (projections) built from what ``kg.analysis.read`` reads:

- ``answer-instrument``: bipartite, answers and the instruments/EU initiatives they name
  (edge weight: how often the answer names it);
- ``instrument-comention``: instruments and EU initiatives, linked when named in the same
  answer (weight: number of such answers);
- ``entity-network``: instruments, EU initiatives and organisations, linked when named in the
  same paragraph of an answer (weight: number of paragraphs) or related in the reference data
  (part of, developed within, responsible organisation, sub-organisation of).

The cabinet and the House are left out of the co-mentions: they are speaker and addressee of
nearly every answer, so they would link everything to everything.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.paragraphs import paragraph
from kg.analysis.read import (
    AnswerMention,
    NetworkNode,
    read_entities,
    read_mentions,
    read_relations,
    read_texts,
)
from kg.rdf.namespaces import KABINET, PREFIXES, TWEEDE_KAMER
from kg.sources.text import one_line
from kg.store import GraphStore

if TYPE_CHECKING:
    import networkx as nx

CONTEXT_ENTITIES = {str(KABINET), str(TWEEDE_KAMER)}
PROJECTIONS = ("answer-instrument", "instrument-comention", "entity-network")


@dataclass(frozen=True)
class Passage:
    """Where two entities are named together: one paragraph of one answer."""

    document: str
    answer: int
    line: int
    text: str  # the sentence(s) naming them, or the paragraph
    quotes: tuple[str, ...]


@dataclass
class Networks:
    entities: dict[str, NetworkNode]
    answer_instrument: nx.Graph
    instrument_comention: nx.Graph
    entity_network: nx.Graph
    passages: dict[frozenset[str], list[Passage]] = field(default_factory=dict)

    def projections(self) -> dict[str, nx.Graph]:
        return dict(
            zip(
                PROJECTIONS,
                (self.answer_instrument, self.instrument_comention, self.entity_network),
                strict=True,
            )
        )


def load_networks(store: GraphStore) -> Networks:
    import networkx as nx

    entities = read_entities(store)
    mentions = read_mentions(store, entities)
    texts = read_texts(store)
    networks = Networks(entities, nx.Graph(), nx.Graph(), nx.Graph())
    _answer_instrument(networks, mentions)
    _instrument_comention(networks, mentions)
    _entity_network(networks, mentions, texts, read_relations(store))
    return networks


def _add_entity(graph: nx.Graph, entity: NetworkNode) -> None:
    graph.add_node(
        entity.iri, label=entity.short, name=entity.name, kind=entity.kind, iri=entity.iri
    )


def _is_instrument(entity: NetworkNode) -> bool:
    return entity.kind in ("instrument", "eu")


def _answer_instrument(networks: Networks, mentions: list[AnswerMention]) -> None:
    graph = networks.answer_instrument
    for m in mentions:
        entity = networks.entities[m.entity]
        if not _is_instrument(entity):
            continue
        answer = f"answer:{m.document}/{m.answer}"
        if answer not in graph:
            graph.add_node(
                answer,
                label=f"antwoord {m.answer}",
                name=f"{m.document} antwoord {m.answer}",
                kind="answer",
                iri=f"{PREFIXES['id']}document/{m.document}/answer/{m.answer}",
                bipartite=0,
            )
        if entity.iri not in graph:
            _add_entity(graph, entity)
            graph.nodes[entity.iri]["bipartite"] = 1
        if graph.has_edge(answer, entity.iri):
            graph[answer][entity.iri]["weight"] += 1
        else:
            graph.add_edge(answer, entity.iri, weight=1, relation="mentions")


def _instrument_comention(networks: Networks, mentions: list[AnswerMention]) -> None:
    graph = networks.instrument_comention
    by_answer: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in mentions:
        if _is_instrument(networks.entities[m.entity]):
            by_answer[(m.document, m.answer)].add(m.entity)
            if m.entity not in graph:
                _add_entity(graph, networks.entities[m.entity])
    for (document, answer), named in sorted(by_answer.items()):
        for a, b in _pairs(named):
            _link(graph, a, b, "named in the same answer", f"{document}/{answer}")


def _entity_network(
    networks: Networks,
    mentions: list[AnswerMention],
    texts: dict[str, str],
    relations: list[tuple[str, str, str]],
) -> None:
    graph = networks.entity_network
    by_paragraph: dict[tuple[str, int, int, int], list[AnswerMention]] = defaultdict(list)
    for m in mentions:
        if m.entity in CONTEXT_ENTITIES:
            continue
        # A paragraph, not a line: PDF text wraps its lines (kg.analysis.paragraphs).
        start, end = paragraph(texts[m.document], m.start, m.end)
        by_paragraph[(m.document, m.answer, start, end)].append(m)
        if m.entity not in graph:
            _add_entity(graph, networks.entities[m.entity])
    for (document, answer, start, end), named in sorted(by_paragraph.items()):
        for a, b in _pairs({m.entity for m in named}):
            _link(graph, a, b, "named in the same paragraph", f"{document}/{answer}")
            passage = _co_mention(texts[document], document, answer, (start, end), named, (a, b))
            networks.passages.setdefault(frozenset((a, b)), []).append(passage)
    for s, relation, o in relations:
        if s in graph and o in graph and s != o:
            _link(graph, s, o, relation, None)


def _pairs(named: Iterable[str]) -> Iterable[tuple[str, str]]:
    ordered = sorted(named)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def _link(graph: nx.Graph, a: str, b: str, relation: str, answer: str | None) -> None:
    if graph.has_edge(a, b):
        data = graph[a][b]
        data["weight"] += 1
        if relation not in data["relation"].split("; "):
            data["relation"] += f"; {relation}"
    else:
        graph.add_edge(a, b, weight=1, relation=relation, answers="")
        data = graph[a][b]
    if answer:
        answers = [x for x in data["answers"].split(", ") if x]
        if answer not in answers:
            data["answers"] = ", ".join([*answers, answer])


def _co_mention(
    text: str,
    document: str,
    answer: int,
    paragraph: tuple[int, int],
    named: list[AnswerMention],
    pair: tuple[str, str],
) -> Passage:
    """The first sentence of the paragraph naming both entities of ``pair``, or else the first
    sentence naming each."""
    from kg.extract.mentions import sentences

    of_a = [m for m in named if m.entity == pair[0]]
    of_b = [m for m in named if m.entity == pair[1]]
    spans = list(sentences(text, *paragraph))
    both = [
        s
        for s in spans
        if any(s.start <= m.start < s.end for m in of_a)
        and any(s.start <= m.start < s.end for m in of_b)
    ]
    if both:
        chosen = both[:1]
    else:  # named in different sentences of the paragraph: the first sentence naming each
        chosen = sorted(
            {next(s for s in spans if s.start <= g[0].start < s.end) for g in (of_a, of_b)},
            key=lambda s: s.start,
        )
    excerpt = " … ".join(one_line(text[s.start : s.end]) for s in chosen)
    excerpt = re.sub(r"\[footnoteRef:\d+\]", "", excerpt)
    line = text.count("\n", 0, chosen[0].start) + 1
    return Passage(document, answer, line, excerpt, (of_a[0].exact, of_b[0].exact))
