"""Graph: the value → norm → parameter picture, laid out in three columns.

The layout is computed here and drawn by a template as inline SVG, so the built site needs no
script and no outside host to show it, and the same handbook always gives the same picture.
Each node sits at the average height of the nodes it links to in the next column (a one-pass
barycentre layout), which keeps most edges short and uncrossed without a layout library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW = 22
"""Vertical room for one node, in pixels."""
TOP = 34
NODE_HEIGHT = 16
COLUMN_WIDTHS = (180, 80, 80)
GAP = 110


@dataclass(frozen=True)
class NodeSpec:
    """What the caller knows of a node: its id, the label to show, its tooltip and link."""

    id: str
    label: str
    tooltip: str
    href: str


@dataclass(frozen=True)
class Node:
    spec: NodeSpec
    column: int
    x: float
    y: float
    width: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def middle(self) -> float:
        return self.y + NODE_HEIGHT / 2


@dataclass(frozen=True)
class Edge:
    source: Node
    target: Node

    @property
    def path(self) -> str:
        """A horizontal S-curve from the source's right side to the target's left side."""
        x1, y1 = self.source.right, self.source.middle
        x2, y2 = self.target.x, self.target.middle
        bend = (x2 - x1) / 2
        points = (x1, y1, x1 + bend, y1, x2 - bend, y2, x2, y2)
        return "M{:.1f} {:.1f} C{:.1f} {:.1f} {:.1f} {:.1f} {:.1f} {:.1f}".format(*points)


@dataclass(frozen=True)
class Graph:
    width: float
    height: float
    headings: tuple[tuple[str, float], ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def layered(
    headings: Sequence[str],
    columns: Sequence[Sequence[NodeSpec]],
    edges: Sequence[tuple[str, str]],
) -> Graph:
    """Lay out columns of nodes (left to right) and the edges between neighbouring columns."""
    xs = []
    x = 10.0
    for index in range(len(columns)):
        xs.append(x)
        x += COLUMN_WIDTHS[min(index, len(COLUMN_WIDTHS) - 1)] + GAP
    width = x - GAP + 10
    rows = max((len(column) for column in columns), default=0)
    height = TOP + rows * ROW + 10

    children: dict[str, list[str]] = {}
    for source, target in edges:
        children.setdefault(source, []).append(target)

    positions: dict[str, float] = {}
    # The fullest column is spread evenly; others sit at the mean of their children.
    for index in reversed(range(len(columns))):
        column = columns[index]
        wanted = []
        for order, spec in enumerate(column):
            linked = [positions[c] for c in children.get(spec.id, []) if c in positions]
            even = TOP + order * ROW * rows / max(len(column), 1)
            wanted.append(sum(linked) / len(linked) if linked else even)
        for spec, y in zip(column, _spread(wanted, rows), strict=True):
            positions[spec.id] = y

    nodes: dict[str, Node] = {}
    for index, column in enumerate(columns):
        for spec in column:
            nodes[spec.id] = Node(
                spec,
                index,
                xs[index],
                positions[spec.id],
                COLUMN_WIDTHS[min(index, len(COLUMN_WIDTHS) - 1)],
            )
    drawn = tuple(
        Edge(nodes[s], nodes[t])
        for s, t in edges
        if s in nodes and t in nodes and nodes[t].column == nodes[s].column + 1
    )
    return Graph(
        width=width,
        height=height,
        headings=tuple((heading, xs[i]) for i, heading in enumerate(headings)),
        nodes=tuple(nodes.values()),
        edges=drawn,
    )


def _spread(wanted: list[float], rows: int) -> list[float]:
    """Keep the wanted heights in their order, at least one row apart, inside the picture."""
    placed: list[float] = []
    floor = float(TOP)
    for y in wanted:
        y = max(y, floor)
        placed.append(y)
        floor = y + ROW
    overflow = (placed[-1] if placed else 0) - (TOP + (rows - 1) * ROW)
    if overflow > 0:
        ceiling = float(TOP + (rows - 1) * ROW)
        for index in reversed(range(len(placed))):
            placed[index] = min(placed[index], ceiling)
            ceiling = placed[index] - ROW
    return placed
