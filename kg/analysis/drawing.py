"""The picture of the entity network (PNG and SVG) with matplotlib, imported when drawing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.analysis.layout import FONT_SIZE, layout, node_size, wrapped

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.collections import PathCollection

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


TITLES = {
    "answer-instrument": "Antwoorden en de instrumenten en EU-initiatieven die ze noemen",
    "instrument-comention": "Instrumenten en EU-initiatieven: samen genoemd in een antwoord",
    "entity-network": TITLE,
}
DEFAULT_LIMIT = 80  # nodes; a larger network is drawn as its best-connected part, with a note


def draw_entity_network(
    graph: nx.Graph,
    stem: Path,
    link: Callable[[str], str] | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[Path]:
    """PNG and SVG of the instrument / EU initiative / organisation network."""
    return draw_network(graph, stem, TITLE, link=link, limit=limit)


def top_nodes(graph: nx.Graph, limit: int | None) -> tuple[nx.Graph, int]:
    """The ``limit`` nodes with the highest weighted degree (ties by name), and how many nodes
    were left out; the graph itself when it is small enough."""
    if limit is None or graph.number_of_nodes() <= limit:
        return graph, 0
    strength = dict(graph.degree(weight="weight"))
    kept = sorted(graph, key=lambda n: (-strength[n], str(n)))[:limit]
    sub = graph.copy()
    sub.remove_nodes_from([n for n in graph if n not in set(kept)])
    return sub, graph.number_of_nodes() - limit


def draw_network(
    graph: nx.Graph,
    stem: Path,
    title: str,
    link: Callable[[str], str] | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[Path]:
    """PNG and SVG of a network. The layout is in inches and label boxes are pushed apart until
    none overlap, so every label can be read. The SVG keeps its labels as text (searchable,
    selectable) and, given ``link`` (IRI -> URL), links every node and label to its page."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    shown, left_out = top_nodes(graph, limit)
    strength = dict(shown.degree(weight="weight"))
    sizes = {n: node_size(strength[n]) for n in shown}
    labels = {n: wrapped(shown.nodes[n]["label"]) for n in shown}
    positions = layout(shown, sizes, labels)
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kg"}):
        fig = plt.figure(figsize=(max(xs) - min(xs) + 3.0, max(ys) - min(ys) + 2.6), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(min(xs) - 1.5, max(xs) + 1.5)
        ax.set_ylim(min(ys) - 1.2, max(ys) + 1.4)
        try:
            nodes = _draw_network(ax, shown, positions, sizes)
            urls = [link(shown.nodes[n].get("iri", n)) if link else None for n in shown]
            if link:
                nodes.set_urls(urls)
            for node, url in zip(shown, urls, strict=True):
                x, y = positions[node]
                text = ax.annotate(
                    labels[node], (x, y), xytext=(0, sizes[node] ** 0.5 / 2 + 2),
                    textcoords="offset points", ha="center", va="bottom", fontsize=FONT_SIZE,
                    linespacing=1.0,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                )  # fmt: skip
                text.set_url(url)
            kinds = [
                k for k in KIND_LABELS if any(d.get("kind") == k for _, d in shown.nodes(data=True))
            ]
            _legend_and_title(ax, title, _left_out_note(graph, left_out), kinds)
            ax.set_axis_off()
            png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
            fig.savefig(png, dpi=100)
            fig.savefig(svg, metadata={"Date": None})
        finally:
            plt.close(fig)
    return [png, svg]


def _left_out_note(graph: nx.Graph, left_out: int) -> str:
    if not left_out:
        return ""
    shown = graph.number_of_nodes() - left_out
    return (
        f"De {shown} best verbonden van {graph.number_of_nodes()} knopen; {left_out} weggelaten "
        f"(the {shown} best-connected of {graph.number_of_nodes()} nodes; {left_out} left out)"
    )


def _draw_network(
    ax: Axes, graph: nx.Graph, positions: dict[str, tuple[float, float]], sizes: dict[str, float]
) -> PathCollection:
    """Co-mentions as grey lines by weight, reference relations dashed over them, then nodes."""
    import networkx as nx

    structural = [
        (u, v)
        for u, v, d in graph.edges(data=True)
        if not d.get("relation", "named in").startswith("named in")
    ]
    nx.draw_networkx_edges(
        graph, positions, ax=ax, edge_color="#a0a0a0", alpha=0.5,
        width=[0.5 + 0.8 * d.get("weight", 1) for _, _, d in graph.edges(data=True)],
    )  # fmt: skip
    nx.draw_networkx_edges(
        graph, positions, edgelist=structural, ax=ax, width=2.0, edge_color="#333333",
        style="dashed",
    )  # fmt: skip
    return nx.draw_networkx_nodes(
        graph, positions, ax=ax, node_size=[sizes[n] for n in graph], linewidths=0.8,
        node_color=[KIND_COLOURS.get(graph.nodes[n]["kind"], "#888888") for n in graph],
        edgecolors="#333333",
    )  # fmt: skip


def _legend_and_title(ax: Axes, title: str, note: str, kinds: list[str]) -> None:
    from matplotlib.lines import Line2D

    legend = [
        Line2D([], [], marker="o", ls="", ms=11, mfc=KIND_COLOURS[k], mec="#333333",
               label=KIND_LABELS[k])
        for k in kinds
    ] + [
        Line2D([], [], color="#a0a0a0", lw=2, label="samen genoemd in een alinea"),
        Line2D([], [], color="#333333", lw=2, ls="--", label="relatie in referentiegegevens"),
    ]  # fmt: skip
    ax.legend(handles=legend, loc="lower right", fontsize=FONT_SIZE + 1, frameon=True)
    ax.text(
        0.5, 0.985, title, transform=ax.transAxes, ha="center", va="top", fontsize=FONT_SIZE + 5
    )  # fmt: skip
    if note:
        ax.text(0.5, 0.955, note, transform=ax.transAxes, ha="center", va="top",
                fontsize=FONT_SIZE, color="#555555")  # fmt: skip
