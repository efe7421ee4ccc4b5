"""Where the picture puts each node, in inches, so that no two labels overlap: a spring layout
per connected component, then node-and-label boxes pushed apart. A plain pairwise solver:
the entity network has a few dozen nodes."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

FONT_SIZE = 10
CHAR_WIDTH = 0.6 * FONT_SIZE / 72  # inches, an average glyph of a sans-serif font
LINE_HEIGHT = 1.25 * FONT_SIZE / 72
LABEL_WIDTH = 22  # characters before a label wraps

Box = tuple[float, float, float, float]  # left, bottom, right, top in inches


def wrapped(label: str) -> str:
    return "\n".join(
        textwrap.wrap(label, LABEL_WIDTH, break_long_words=False, break_on_hyphens=False)
    )


def node_size(strength: float) -> float:
    return 160 + 70 * strength  # points squared, as matplotlib's scatter takes it


def layout(
    graph: nx.Graph, sizes: dict[str, float], labels: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """Positions in inches: a spring layout per connected component, the largest on the left
    and the others stacked to its right; then label boxes are pushed apart."""
    import networkx as nx

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    positions: dict[str, tuple[float, float]] = {}
    x_offset, column_y, column_x = 0.0, 0.0, None
    for index, component in enumerate(components):
        placed = _place_component(graph, component)
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
    return separate_labels(positions, sizes, labels)


def _place_component(graph: nx.Graph, component: set[str]) -> dict[str, tuple[float, float]]:
    import networkx as nx

    span = 1.9 * len(component) ** 0.5  # inches: room grows with the number of labels
    if len(component) == 1:
        return _fit({next(iter(component)): (0.0, 0.0)}, span)
    # A copy, not graph.subgraph(component): a subgraph view of a small component lists its
    # nodes in set order, which changes with the string hash seed, and so would the layout.
    sub = graph.copy()
    sub.remove_nodes_from([n for n in graph if n not in component])
    spring = nx.spring_layout(
        sub, k=1.8 / len(component) ** 0.5, seed=7, iterations=500, weight=None
    )
    return _fit(spring, span)


def _fit(positions: dict, span: float) -> dict[str, tuple[float, float]]:
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    scale = span / max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    return {
        n: ((float(p[0]) - min(xs)) * scale, (float(p[1]) - min(ys)) * scale)
        for n, p in positions.items()
    }


def box(node: str, x: float, y: float, sizes: dict[str, float], labels: dict[str, str]) -> Box:
    """The node with its label above it, in inches: (left, bottom, right, top)."""
    radius = sizes[node] ** 0.5 / 2 / 72
    lines = labels[node].split("\n")
    half = max(max(len(line) for line in lines) * CHAR_WIDTH / 2 + 0.06, radius)
    top = y + radius + 2 / 72 + len(lines) * LINE_HEIGHT + 0.06
    return (x - half, y - radius, x + half, top)


def separate_labels(
    positions: dict[str, tuple[float, float]],
    sizes: dict[str, float],
    labels: dict[str, str],
    rounds: int = 400,
) -> dict[str, tuple[float, float]]:
    """Push overlapping node-and-label boxes apart along the axis where they overlap least."""
    pos = {n: list(p) for n, p in positions.items()}
    nodes = sorted(pos)
    for _ in range(rounds):
        boxes = {n: box(n, pos[n][0], pos[n][1], sizes, labels) for n in nodes}
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                moved = _push_apart(pos[a], pos[b], boxes[a], boxes[b]) or moved
        if not moved:
            break
    return {n: (p[0], p[1]) for n, p in pos.items()}


def _push_apart(a: list[float], b: list[float], box_a: Box, box_b: Box) -> bool:
    """Move the positions ``a`` and ``b`` (in place) apart if their boxes overlap."""
    la, ba, ra, ta = box_a
    lb, bb, rb, tb = box_b
    dx = min(ra, rb) - max(la, lb)
    dy = min(ta, tb) - max(ba, bb)
    if dx <= 0 or dy <= 0:
        return False
    axis, overlap = (0, dx) if dx < dy else (1, dy)
    shift = (overlap / 2 + 0.02) * (1 if a[axis] >= b[axis] else -1)
    a[axis] += shift
    b[axis] -= shift
    return True
