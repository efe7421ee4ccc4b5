"""The analysis as files: each projection as GraphML and GEXF (with community and betweenness
on the nodes, for Gephi and the like), centrality rankings and communities as CSV, and the
picture of the entity network."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kg.analysis.drawing import TITLES, draw_network
from kg.analysis.metrics import Ranking, communities, rankings
from kg.analysis.projections import Networks


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
    _write_csv(
        out / "communities.csv", ["projection", "community", "size", "members"], community_rows
    )
    files.append(out / "communities.csv")
    for name, graph in networks.projections().items():  # nodes link to their IRIs
        files += draw_network(graph, out / name, TITLES[name], link=str)
    return AnalysisResult(out, files, counts, rankings(networks.entity_network)[:10])


def _write_rankings(path: Path, ranked: list[Ranking]) -> None:
    fields = list(Ranking.__dataclass_fields__)
    _write_csv(path, fields, ([getattr(r, name) for name in fields] for r in ranked))


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
