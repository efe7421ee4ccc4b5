"""Centrality rankings and communities of a network (networkx, imported when used)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


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
    """Every node with its centralities and community, most between first."""
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
