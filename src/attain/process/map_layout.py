"""Where each activity of a process map is drawn: a small layered (Sugiyama-style) layout in
plain Python, so the map needs no Graphviz binary and no layout library.

The main flow runs top to bottom: start activities in the first layer, each other activity one
layer below the activity its busiest transition comes from. Process maps loop (a
deal falls back a stage, a ticket is re-opened); the edges that close a loop are found by a walk
from the start activities that follows the busiest transitions first, and are left out of the
layering: they are drawn as curves on the side. Within a layer, activities are ordered by the
barycentre of their neighbours (a few sweeps down and up), which keeps crossings few for the
tens of activities a map has. Positions are the size of the drawing's own units (pixels).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LAYER_GAP = 96
"""Vertical distance between the tops of two layers."""
NODE_GAP = 36
"""Horizontal space between two activities of one layer."""
NODE_HEIGHT = 44
CHAR_WIDTH = 7.2
"""Width of one character of a 12 px sans-serif label, near enough to size a box."""
MIN_WIDTH = 96
MAX_WIDTH = 260
SWEEPS = 8


@dataclass(frozen=True)
class Box:
    """An activity's place: its centre `x`, its top `y`, and its size."""

    name: str
    layer: int
    x: float
    y: float
    width: float
    height: float = NODE_HEIGHT

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Layout:
    """Every activity's box, which transitions are drawn on the side (loops, and the few that
    do not go down a layer), and the drawing's size."""

    boxes: dict[str, Box]
    back_edges: frozenset[tuple[str, str]]
    """Drawn on the side: loops, and the few transitions that do not go down a layer."""
    loops: frozenset[tuple[str, str]]
    """Transitions back to an activity already on the main flow's path (and self-loops)."""
    width: float
    height: float
    layers: int


def box_width(label: str) -> float:
    """A box wide enough for its label, within bounds (longer names are cut when drawn)."""
    return max(MIN_WIDTH, min(MAX_WIDTH, len(label) * CHAR_WIDTH + 24))


def back_edges(
    nodes: Iterable[str], weights: Mapping[tuple[str, str], int], starts: Mapping[str, int]
) -> frozenset[tuple[str, str]]:
    """The transitions that close a loop: an edge to an activity still on the walk's path.

    The walk begins at the start activities (most cases first), then at any activity it did
    not reach, and follows the busiest transitions first, so the main flow stays forward and
    the rarer way round is the one called a loop. Self-loops are loops too.
    """
    out: dict[str, list[tuple[int, str]]] = {n: [] for n in nodes}
    for (s, t), w in weights.items():
        out.setdefault(s, []).append((-w, t))
        out.setdefault(t, [])
    for s in out:
        out[s].sort()
    seen: set[str] = set()
    on_path: set[str] = set()
    found: set[tuple[str, str]] = set()
    order = sorted(out, key=lambda n: (-starts.get(n, 0), n))
    roots = [n for n in order if starts.get(n, 0) > 0] + order
    for root in roots:
        if root in seen:
            continue
        # iterative depth-first walk: (node, index of the next successor to look at)
        stack: list[tuple[str, int]] = [(root, 0)]
        seen.add(root)
        on_path.add(root)
        while stack:
            node, i = stack[-1]
            if i >= len(out[node]):
                stack.pop()
                on_path.discard(node)
                continue
            stack[-1] = (node, i + 1)
            target = out[node][i][1]
            if target in on_path:
                found.add((node, target))
            elif target not in seen:
                seen.add(target)
                on_path.add(target)
                stack.append((target, 0))
    return frozenset(found)


def _layers(nodes: list[str], forward: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """Each activity one layer below its busiest way in (the forward edges form no cycle, so
    they are taken in topological order); activities with no way in are the first layer.

    Following the busiest way in, not the longest path, keeps the main flow a straight line:
    a rare detour through an extra activity does not push the main flow down a layer. An
    activity nothing follows (won, lost, closed) goes below everything that leads to it, so the
    ends are at the bottom.
    """
    indegree = dict.fromkeys(nodes, 0)
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    main_in: dict[str, tuple[int, str]] = {}
    for (s, t), w in forward.items():
        succs[s].append(t)
        indegree[t] += 1
        if t not in main_in or (w, s) > main_in[t]:
            main_in[t] = (w, s)
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in forward:
        preds[t].append(s)
    layer = dict.fromkeys(nodes, 0)
    ready = sorted((n for n in nodes if indegree[n] == 0), reverse=True)
    while ready:
        n = ready.pop()
        if n in main_in and not succs[n]:  # where cases end (won, lost): below all that leads in
            layer[n] = max(layer[p] for p in preds[n]) + 1
        elif n in main_in:
            layer[n] = layer[main_in[n][1]] + 1
        for t in sorted(succs[n]):
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return layer


def _ordered(
    rows: list[list[str]], weights: Mapping[tuple[str, str], int], sweeps: int = SWEEPS
) -> list[list[str]]:
    """Each layer ordered by the weighted mean position of its neighbours in the layer above
    (sweeping down) or below (sweeping up)."""
    near: dict[str, dict[str, int]] = {}
    for (s, t), w in weights.items():
        if s != t:
            near.setdefault(s, {})[t] = near.setdefault(s, {}).get(t, 0) + w
            near.setdefault(t, {})[s] = near.setdefault(t, {}).get(s, 0) + w
    rows = [list(r) for r in rows]
    for sweep in range(sweeps):
        down = sweep % 2 == 0
        indices = range(1, len(rows)) if down else range(len(rows) - 2, -1, -1)
        for i in indices:
            fixed = rows[i - 1] if down else rows[i + 1]
            where = {n: k for k, n in enumerate(fixed)}

            def centre(n: str, here: list[str] = rows[i], where: dict[str, int] = where) -> float:
                links = [(where[m], w) for m, w in near.get(n, {}).items() if m in where]
                total = sum(w for _, w in links)
                if not total:
                    return float(here.index(n))
                return sum(k * w for k, w in links) / total

            rows[i] = sorted(rows[i], key=lambda n: (centre(n), rows[i].index(n)))
    return rows


def layered_layout(
    nodes: Iterable[str],
    weights: Mapping[tuple[str, str], int],
    starts: Mapping[str, int],
    *,
    top: float = 0.0,
    margin: float = 24.0,
) -> Layout:
    """Lay out a directly-follows graph: `weights` are the transitions' counts, `starts` the
    number of cases each activity starts. Deterministic: the same map is drawn the same way.

    >>> lay = layered_layout(["a", "b", "c"], {("a", "b"): 5, ("b", "c"): 5, ("c", "b"): 1}, {"a": 5})
    >>> [lay.boxes[n].layer for n in "abc"], sorted(lay.back_edges)
    ([0, 1, 2], [('c', 'b')])
    """
    names = sorted(set(nodes) | {n for e in weights for n in e})
    loops = back_edges(names, weights, starts)
    forward = {e: w for e, w in weights.items() if e not in loops and e[0] != e[1]}
    layer = _layers(names, forward)
    side = frozenset(e for e in weights if layer[e[1]] <= layer[e[0]])
    depth = max(layer.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    busiest = {n: 0 for n in names}
    for (s, t), w in weights.items():
        busiest[s] += w
        busiest[t] += w
    for n in sorted(names, key=lambda n: (-starts.get(n, 0), -busiest[n], n)):
        rows[layer[n]].append(n)
    rows = _ordered(rows, weights)
    widths = {n: box_width(n) for n in names}
    row_widths = [sum(widths[n] for n in r) + NODE_GAP * max(len(r) - 1, 0) for r in rows]
    inner = max(row_widths, default=0.0)
    boxes: dict[str, Box] = {}
    for i, row in enumerate(rows):
        x = margin + (inner - row_widths[i]) / 2
        for n in row:
            boxes[n] = Box(n, i, x + widths[n] / 2, top + i * LAYER_GAP, widths[n])
            x += widths[n] + NODE_GAP
    height = top + max(depth - 1, 0) * LAYER_GAP + NODE_HEIGHT
    return Layout(boxes, side, loops, inner + 2 * margin, height, depth)
