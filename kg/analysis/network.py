"""Network analysis of the built graph with networkx: projections, centrality, communities,
path explanations, and files for other tools (GraphML, GEXF, CSV) and for people (PNG, SVG).

Three projections, all read from the store with SPARQL:

- ``answer-instrument``: bipartite, answers and the instruments/EU initiatives they name
  (edge weight: how often the answer names it);
- ``instrument-comention``: instruments and EU initiatives, linked when named in the same
  answer (weight: number of such answers);
- ``entity-network``: instruments, EU initiatives and organisations, linked when named in the
  same paragraph of an answer (weight: number of paragraphs) or related in the reference data
  (part of, developed within, responsible organisation, sub-organisation of).

The cabinet and the House are left out of the co-mentions: they are speaker and addressee of
nearly every answer, so they would link everything to everything.

networkx and matplotlib are imported inside the functions that need them.
"""

from __future__ import annotations

import csv
import itertools
import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import AnalysisError
from kg.rdf.namespaces import KABINET, PREFIXES, TWEEDE_KAMER, sparql_prefixes

if TYPE_CHECKING:
    import networkx as nx

KINDS = ("instrument", "eu", "organisation")  # first match wins for entities of two classes
KIND_LABELS = {
    "instrument": "nationaal instrument",
    "eu": "EU-initiatief",
    "organisation": "organisatie",
    "answer": "antwoord",
}
KIND_COLOURS = {
    "instrument": "#4C78A8",
    "eu": "#F2B701",
    "organisation": "#54A24B",
    "answer": "#BAB0AC",
}
CONTEXT_ENTITIES = {str(KABINET), str(TWEEDE_KAMER)}
REFERENCE_RELATIONS = {
    "partOf": "aip:partOf",
    "developedWithin": "aip:developedWithin",
    "responsibleOrganisation": "aip:responsibleOrganisation",
    "subOrganizationOf": "org:subOrganizationOf",
}
PROJECTIONS = ("answer-instrument", "instrument-comention", "entity-network")


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    name: str  # Dutch preferred label
    short: str  # what a picture shows: the abbreviation if there is one, else the name


@dataclass(frozen=True)
class Mention:
    entity: str
    document: str  # identifier, e.g. 2026D32673
    answer: int
    start: int
    end: int
    line: int
    exact: str


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
    entities: dict[str, Entity]
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


# -- reading the store ------------------------------------------------------------------------

ENTITY_QUERY = """
SELECT ?entity ?kind ?name ?alt WHERE {
  VALUES (?class ?kind) {
    (aip:NationalInstrument "instrument") (aip:EUInitiative "eu")
    (org:FormalOrganization "organisation") (org:Organization "organisation")
  }
  ?entity a ?class .
  FILTER NOT EXISTS { ?entity a aip:PoliticalParty }
  OPTIONAL { ?entity skos:prefLabel ?name FILTER (lang(?name) = "nl") }
  OPTIONAL { ?entity skos:altLabel ?alt }
}"""

MENTION_QUERY = """
SELECT ?entity ?docid ?answer ?start ?end ?line ?exact WHERE {
  ?m a aip:Mention ; oa:hasBody ?entity ; aip:inSection ?a ; oa:hasTarget ?span .
  ?a a aip:Answer ; aip:number ?answer ; dcterms:isPartOf/dcterms:identifier ?docid .
  ?span aip:startLine ?line ; oa:hasSelector ?p, ?q .
  ?p oa:start ?start ; oa:end ?end .
  ?q oa:exact ?exact .
}"""

TEXT_QUERY = """
SELECT ?docid ?text WHERE { ?d a aip:SourceDocument ; dcterms:identifier ?docid ;
                                aip:hasText/rdf:value ?text }"""

RELATION_QUERY = """
SELECT ?s ?relation ?o WHERE {
  VALUES (?p ?relation) { %s }
  ?s ?p ?o .
}"""


def _select(store: ox.Store, query: str, bindings: dict | None = None) -> list[ox.QuerySolution]:
    from kg.rdf.bindings import query as bound_query

    return list(
        bound_query(store, sparql_prefixes() + query, bindings, use_default_graph_as_union=True)
    )


def _is_abbreviation(label: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9+&]{1,7}", label))


def read_entities(store: ox.Store) -> dict[str, Entity]:
    found: dict[str, dict[str, Any]] = {}
    for row in _select(store, ENTITY_QUERY):
        iri = row["entity"].value
        entry = found.setdefault(iri, {"kinds": set(), "name": None, "abbr": set()})
        entry["kinds"].add(row["kind"].value)
        if row["name"] is not None:
            entry["name"] = row["name"].value
        if row["alt"] is not None and _is_abbreviation(row["alt"].value):
            entry["abbr"].add(row["alt"].value)
    entities = {}
    for iri, entry in found.items():
        kind = next(k for k in KINDS if k in entry["kinds"])
        name = entry["name"] or iri.rsplit("/", 1)[-1]
        short = min(entry["abbr"], key=len) if entry["abbr"] else name
        entities[iri] = Entity(iri, kind, name, short)
    return entities


def read_mentions(store: ox.Store, entities: dict[str, Entity]) -> list[Mention]:
    return sorted(
        (
            Mention(
                row["entity"].value,
                row["docid"].value,
                int(row["answer"].value),
                int(row["start"].value),
                int(row["end"].value),
                int(row["line"].value),
                row["exact"].value,
            )
            for row in _select(store, MENTION_QUERY)
            if row["entity"].value in entities
        ),
        key=lambda m: (m.document, m.start),
    )


def read_relations(store: ox.Store) -> list[tuple[str, str, str]]:
    values = " ".join(f'({curie} "{name}")' for name, curie in REFERENCE_RELATIONS.items())
    rows = _select(store, RELATION_QUERY % values)
    return [(r["s"].value, r["relation"].value, r["o"].value) for r in rows]


# -- projections ------------------------------------------------------------------------------


def load_networks(store: ox.Store) -> Networks:
    import networkx as nx

    entities = read_entities(store)
    mentions = read_mentions(store, entities)
    texts = {r["docid"].value: r["text"].value for r in _select(store, TEXT_QUERY)}
    networks = Networks(entities, nx.Graph(), nx.Graph(), nx.Graph())
    _answer_instrument(networks, mentions)
    _instrument_comention(networks, mentions)
    _entity_network(networks, mentions, texts, read_relations(store))
    return networks


def _add_entity(graph: nx.Graph, entity: Entity) -> None:
    graph.add_node(
        entity.iri, label=entity.short, name=entity.name, kind=entity.kind, iri=entity.iri
    )


def _is_instrument(entity: Entity) -> bool:
    return entity.kind in ("instrument", "eu")


def _answer_instrument(networks: Networks, mentions: list[Mention]) -> None:
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


def _instrument_comention(networks: Networks, mentions: list[Mention]) -> None:
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
    mentions: list[Mention],
    texts: dict[str, str],
    relations: list[tuple[str, str, str]],
) -> None:
    graph = networks.entity_network
    by_paragraph: dict[tuple[str, int, int, int], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.entity in CONTEXT_ENTITIES:
            continue
        text = texts[m.document]
        start = text.rfind("\n", 0, m.start) + 1
        end = text.find("\n", m.end)
        by_paragraph[(m.document, m.answer, start, end if end >= 0 else len(text))].append(m)
        if m.entity not in graph:
            _add_entity(graph, networks.entities[m.entity])
    for (document, answer, start, end), named in sorted(by_paragraph.items()):
        for a, b in _pairs({m.entity for m in named}):
            _link(graph, a, b, "named in the same paragraph", f"{document}/{answer}")
            passage = _passage(texts[document], document, answer, start, end, named, a, b)
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


def _passage(
    text: str,
    document: str,
    answer: int,
    start: int,
    end: int,
    named: list[Mention],
    a: str,
    b: str,
) -> Passage:
    from kg.extract.mentions import sentences

    of_a = [m for m in named if m.entity == a]
    of_b = [m for m in named if m.entity == b]
    spans = list(sentences(text, start, end))
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
    excerpt = " … ".join(" ".join(text[s.start : s.end].split()) for s in chosen)
    excerpt = re.sub(r"\[footnoteRef:\d+\]", "", excerpt)
    line = text.count("\n", 0, chosen[0].start) + 1
    return Passage(document, answer, line, excerpt, (of_a[0].exact, of_b[0].exact))


# -- centrality and communities ---------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    node: str
    label: str
    name: str
    kind: str
    degree: int
    weighted_degree: int
    degree_centrality: float
    betweenness: float
    closeness: float
    eigenvector: float
    community: int


def communities(graph: nx.Graph) -> list[list[str]]:
    """Greedy modularity communities (deterministic), largest first."""
    import networkx as nx

    if graph.number_of_edges() == 0:
        return [[n] for n in sorted(graph)]
    found = nx.community.greedy_modularity_communities(graph, weight="weight")
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))


def rankings(graph: nx.Graph) -> list[Ranking]:
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return []
    community_of = {n: i + 1 for i, c in enumerate(communities(graph)) for n in c}
    degree = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(graph)
    closeness = nx.closeness_centrality(graph)
    eigenvector = _eigenvector(graph)
    ranked = [
        Ranking(
            node=n,
            label=data.get("label", n),
            name=data.get("name", n),
            kind=data.get("kind", ""),
            degree=graph.degree(n),
            weighted_degree=int(graph.degree(n, weight="weight")),
            degree_centrality=round(degree[n], 6),
            betweenness=round(betweenness[n], 6),
            closeness=round(closeness[n], 6),
            eigenvector=round(eigenvector[n], 6),
            community=community_of[n],
        )
        for n, data in graph.nodes(data=True)
    ]
    return sorted(ranked, key=lambda r: (-r.betweenness, -r.weighted_degree, r.name))


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Weighted eigenvector centrality (pure Python; PageRank in networkx needs scipy)."""
    import networkx as nx

    try:
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=2000, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        return dict.fromkeys(graph, 0.0)


# -- path explanation -------------------------------------------------------------------------

RESOLVE_QUERY = """
SELECT DISTINCT ?entity ?name WHERE {
  ?entity skos:prefLabel|skos:altLabel|skos:hiddenLabel|rdfs:label ?label .
  FILTER (LCASE(STR(?label)) = LCASE(STR(?name)))
}"""


def resolve_entity(store: ox.Store, name: str) -> str:
    """An IRI (<...> or http...), a CURIE (id:instrument/nadi) or a label ("NADI") as an IRI."""
    text = name.strip()
    iri: str | None = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif re.match(r"https?://", text):
        iri = text
    else:
        prefix, sep, local = text.partition(":")
        if sep and prefix in PREFIXES and " " not in text:
            iri = f"{PREFIXES[prefix]}{local}"
    if iri is not None:
        if not any(store.quads_for_pattern(ox.NamedNode(iri), None, None)):
            raise AnalysisError(f"unknown entity {name!r}: no resource <{iri}> in the graph")
        return iri
    rows = _select(store, RESOLVE_QUERY, {ox.Variable("name"): ox.Literal(text)})
    found = sorted({r["entity"].value for r in rows})
    if not found:
        raise AnalysisError(f"unknown entity {name!r}: no entity has that label")
    if len(found) > 1:
        raise AnalysisError(f"entity name {name!r} is ambiguous: {', '.join(found)}")
    return found[0]


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
    for node, asked in ((source, source), (target, target)):
        if node not in graph:
            raise PathNotInNetwork(f"{_name(networks, asked)} is not in the entity network")
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


class PathNotInNetwork(Exception):
    """A known entity that is not a node of the entity network (a finding, not an input error)."""


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


# -- writing files ----------------------------------------------------------------------------


@dataclass
class AnalysisResult:
    out: Path
    files: list[Path]
    counts: dict[str, tuple[int, int]]  # projection -> (nodes, edges)
    top: list[Ranking]


def write_analysis(networks: Networks, out: Path) -> AnalysisResult:
    import networkx as nx

    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    counts = {}
    community_rows = []
    for name, graph in networks.projections().items():
        counts[name] = (graph.number_of_nodes(), graph.number_of_edges())
        ranked = rankings(graph)
        for r in ranked:
            graph.nodes[r.node]["community"] = r.community
            graph.nodes[r.node]["betweenness"] = r.betweenness
        nx.write_graphml(graph, out / f"{name}.graphml")
        nx.write_gexf(graph, out / f"{name}.gexf")
        _write_rankings(out / f"{name}-centrality.csv", ranked)
        files += [out / f"{name}.graphml", out / f"{name}.gexf", out / f"{name}-centrality.csv"]
        for i, members in enumerate(communities(graph), start=1):
            labels = [graph.nodes[n].get("label", n) for n in members]
            community_rows.append([name, i, len(members), " | ".join(labels)])
    with (out / "communities.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["projection", "community", "size", "members"])
        writer.writerows(community_rows)
    files.append(out / "communities.csv")
    files += draw_entity_network(networks.entity_network, out / "entity-network")
    return AnalysisResult(out, files, counts, rankings(networks.entity_network)[:10])


def _write_rankings(path: Path, ranked: list[Ranking]) -> None:
    fields = list(Ranking.__dataclass_fields__)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(fields)
        for r in ranked:
            writer.writerow([getattr(r, name) for name in fields])


# -- the picture ------------------------------------------------------------------------------


FONT_SIZE = 10
CHAR_WIDTH = 0.6 * FONT_SIZE / 72  # inches, an average glyph of a sans-serif font
LINE_HEIGHT = 1.25 * FONT_SIZE / 72
LABEL_WIDTH = 22  # characters before a label wraps


def _wrapped(label: str) -> str:
    return "\n".join(
        textwrap.wrap(label, LABEL_WIDTH, break_long_words=False, break_on_hyphens=False)
    )


def _node_size(strength: float) -> float:
    return 160 + 70 * strength  # points squared, as matplotlib's scatter takes it


def draw_entity_network(graph: nx.Graph, stem: Path) -> list[Path]:
    """PNG and SVG of the instrument / EU initiative / organisation network. The layout is in
    inches and label boxes are pushed apart until none overlap, so every label can be read."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    strength = dict(graph.degree(weight="weight"))
    sizes = {n: _node_size(strength[n]) for n in graph}
    labels = {n: _wrapped(graph.nodes[n]["label"]) for n in graph}
    positions = _layout(graph, sizes, labels)
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    width = max(xs) - min(xs) + 3.0
    height = max(ys) - min(ys) + 2.6
    fig = plt.figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(min(xs) - 1.5, max(xs) + 1.5)
    ax.set_ylim(min(ys) - 1.2, max(ys) + 1.4)
    try:
        structural = [
            (u, v) for u, v, d in graph.edges(data=True) if not d["relation"].startswith("named in")
        ]
        nx.draw_networkx_edges(
            graph, positions, ax=ax, edge_color="#a0a0a0", alpha=0.5,
            width=[0.5 + 0.8 * d["weight"] for _, _, d in graph.edges(data=True)],
        )  # fmt: skip
        nx.draw_networkx_edges(
            graph, positions, edgelist=structural, ax=ax, width=2.0, edge_color="#333333",
            style="dashed",
        )  # fmt: skip
        nx.draw_networkx_nodes(
            graph, positions, ax=ax, node_size=[sizes[n] for n in graph], linewidths=0.8,
            node_color=[KIND_COLOURS.get(graph.nodes[n]["kind"], "#888888") for n in graph],
            edgecolors="#333333",
        )  # fmt: skip
        for node, (x, y) in positions.items():
            ax.annotate(
                labels[node], (x, y), xytext=(0, sizes[node] ** 0.5 / 2 + 2),
                textcoords="offset points", ha="center", va="bottom", fontsize=FONT_SIZE,
                linespacing=1.0,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )  # fmt: skip
        legend = [
            Line2D([], [], marker="o", ls="", ms=11, mfc=KIND_COLOURS[k], mec="#333333",
                   label=KIND_LABELS[k])
            for k in KINDS
        ] + [
            Line2D([], [], color="#a0a0a0", lw=2, label="samen genoemd in een alinea"),
            Line2D([], [], color="#333333", lw=2, ls="--", label="relatie in referentiegegevens"),
        ]  # fmt: skip
        ax.legend(handles=legend, loc="lower right", fontsize=FONT_SIZE + 1, frameon=True)
        ax.text(
            0.5, 0.985,
            "Instrumenten, EU-initiatieven en organisaties in de antwoorden: "
            "samen genoemd of verbonden",
            transform=ax.transAxes, ha="center", va="top", fontsize=FONT_SIZE + 5,
        )  # fmt: skip
        ax.set_axis_off()
        png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
        fig.savefig(png, dpi=100)
        fig.savefig(svg)
    finally:
        plt.close(fig)
    return [png, svg]


def _layout(
    graph: nx.Graph, sizes: dict[str, float], labels: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """Positions in inches: a spring layout per connected component, the largest on the left
    and the others stacked to its right; then label boxes are pushed apart."""
    import networkx as nx

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    positions: dict[str, tuple[float, float]] = {}
    x_offset, column_y, column_x = 0.0, 0.0, None
    for index, component in enumerate(components):
        sub = graph.subgraph(component)
        span = 1.9 * len(component) ** 0.5  # inches: room grows with the number of labels
        if len(component) == 1:
            layout = {next(iter(component)): (0.0, 0.0)}
        else:
            layout = nx.spring_layout(
                sub, k=1.8 / len(component) ** 0.5, seed=7, iterations=500, weight=None
            )
        placed = _fit(layout, span)
        if index == 0:
            positions.update(placed)
            x_offset = max(x for x, _ in placed.values()) + 2.5
            column_y = max(y for _, y in placed.values())
            continue
        # smaller components go in a column right of the largest, top to bottom
        column_x = x_offset if column_x is None else column_x
        top = max(y for _, y in placed.values())
        for node, (x, y) in placed.items():
            positions[node] = (x + column_x, y - top + column_y)
        column_y -= (top - min(y for _, y in placed.values())) + 1.6
    return _separate_labels(positions, sizes, labels)


def _fit(layout: dict, span: float) -> dict[str, tuple[float, float]]:
    xs = [float(p[0]) for p in layout.values()]
    ys = [float(p[1]) for p in layout.values()]
    scale = span / max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    return {
        n: ((float(p[0]) - min(xs)) * scale, (float(p[1]) - min(ys)) * scale)
        for n, p in layout.items()
    }


def _box(node: str, x: float, y: float, sizes: dict[str, float], labels: dict[str, str]):
    """The node with its label above it, in inches: (left, bottom, right, top)."""
    radius = sizes[node] ** 0.5 / 2 / 72
    lines = labels[node].split("\n")
    half = max(max(len(line) for line in lines) * CHAR_WIDTH / 2 + 0.06, radius)
    top = y + radius + 2 / 72 + len(lines) * LINE_HEIGHT + 0.06
    return (x - half, y - radius, x + half, top)


def _separate_labels(
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    labels: dict[str, str],
    rounds: int = 400,
) -> dict[str, tuple[float, float]]:
    """Push overlapping node-and-label boxes apart along the axis where they overlap least."""
    pos = {n: list(p) for n, p in positions.items()}
    nodes = sorted(pos)
    for _ in range(rounds):
        moved = False
        boxes = {n: _box(n, *pos[n], sizes, labels) for n in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                la, ba, ra, ta = boxes[a]
                lb, bb, rb, tb = boxes[b]
                dx = min(ra, rb) - max(la, lb)
                dy = min(ta, tb) - max(ba, bb)
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                if dx < dy:
                    shift = (dx / 2 + 0.02) * (1 if pos[a][0] >= pos[b][0] else -1)
                    pos[a][0] += shift
                    pos[b][0] -= shift
                else:
                    shift = (dy / 2 + 0.02) * (1 if pos[a][1] >= pos[b][1] else -1)
                    pos[a][1] += shift
                    pos[b][1] -= shift
        if not moved:
            break
    return {n: (p[0], p[1]) for n, p in pos.items()}
