"""The picture of the entity network (PNG and SVG) with matplotlib, imported when drawing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.analysis.layout import FONT_SIZE, layout, node_size, wrapped
from kg.analysis.read import KINDS

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

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
TITLE = "Instrumenten, EU-initiatieven en organisaties in de antwoorden: samen genoemd of verbonden"


def draw_entity_network(graph: nx.Graph, stem: Path) -> list[Path]:
    """PNG and SVG of the instrument / EU initiative / organisation network. The layout is in
    inches and label boxes are pushed apart until none overlap, so every label can be read."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    strength = dict(graph.degree(weight="weight"))
    sizes = {n: node_size(strength[n]) for n in graph}
    labels = {n: wrapped(graph.nodes[n]["label"]) for n in graph}
    positions = layout(graph, sizes, labels)
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    fig = plt.figure(figsize=(max(xs) - min(xs) + 3.0, max(ys) - min(ys) + 2.6), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(min(xs) - 1.5, max(xs) + 1.5)
    ax.set_ylim(min(ys) - 1.2, max(ys) + 1.4)
    try:
        _draw_network(ax, graph, positions, sizes)
        for node, (x, y) in positions.items():
            ax.annotate(
                labels[node], (x, y), xytext=(0, sizes[node] ** 0.5 / 2 + 2),
                textcoords="offset points", ha="center", va="bottom", fontsize=FONT_SIZE,
                linespacing=1.0,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )  # fmt: skip
        _legend_and_title(ax)
        ax.set_axis_off()
        png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
        fig.savefig(png, dpi=100)
        fig.savefig(svg)
    finally:
        plt.close(fig)
    return [png, svg]


def _draw_network(
    ax: Axes, graph: nx.Graph, positions: dict[str, tuple[float, float]], sizes: dict[str, float]
) -> None:
    """Co-mentions as grey lines by weight, reference relations dashed over them, then nodes."""
    import networkx as nx

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


def _legend_and_title(ax: Axes) -> None:
    from matplotlib.lines import Line2D

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
        0.5, 0.985, TITLE, transform=ax.transAxes, ha="center", va="top", fontsize=FONT_SIZE + 5
    )  # fmt: skip
