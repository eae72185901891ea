"""A process map drawn as SVG, from the map's plain figures alone (no database, no browser):
the same drawing for the web page, the CLI's `--svg` and `--html`, and the tests.

What a reader sees: a box per activity with its name and count; an arrow per transition, as
thick as its volume, coloured by its median waiting time (the legend gives the bands in days,
hours or minutes), labelled with its count (frequency) or its median wait (performance); a start
and an end marker joined to the activities cases start and end at. Loops are curves on the side.
Every transition is a link (`<a class="transition" data-source=... data-target=...>`) so a
page can list the cases behind it. Only presentation attributes are used (no inline styles or
scripts), so the drawing passes the app's content security policy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from attain.process.durations import humanised
from attain.process.map_layout import NODE_HEIGHT, Box, Layout, layered_layout

if TYPE_CHECKING:
    from attain.process.discovery import ProcessMap, TransitionStats

MODES = ("frequency", "performance")
PALETTE = ("#4575b4", "#74add1", "#e0c040", "#f46d43", "#d73027")
"""Waiting bands, shortest to longest (blue: flows, red: waits)."""
NODE_FILLS = ("#eef3fa", "#d6e4f5", "#b7d0ee", "#93b8e4")
FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
TOP = 84.0
"""Room above the first layer for the start marker."""
BOTTOM = 150.0
"""Room below the last layer for the end marker and the legend."""
MARGIN = 72.0
"""Room left of the boxes for transitions that bow out around a layer."""
MIN_STROKE = 1.2
MAX_STROKE = 9.0


def _cut(label: str, width: float) -> str:
    most = max(4, int((width - 16) / 7.0))
    return label if len(label) <= most else label[: most - 1] + "…"


def wait_bands(waits: list[float]) -> list[float]:
    """Upper bounds of the first four waiting bands: the 20/40/60/80th percentiles of the
    transitions' median waits, so colour separates this map's transitions whatever its scale
    (minutes for a helpdesk, weeks for deals)."""
    if not waits:
        return []
    ordered = sorted(waits)
    bounds: list[float] = []
    for q in (0.2, 0.4, 0.6, 0.8):
        v = ordered[min(len(ordered) - 1, int(q * len(ordered)))]
        if v > (bounds[-1] if bounds else 0.0):
            bounds.append(v)
    return bounds


def band_of(wait: float, bounds: list[float]) -> int:
    """Which band a wait falls in (0 = shortest): the first bound it is below."""
    for i, b in enumerate(bounds):
        if wait < b:
            return i
    return len(bounds)


def _colour(band: int, bands: int) -> str:
    if bands <= 1:
        return PALETTE[0]
    return PALETTE[round(band * (len(PALETTE) - 1) / (bands - 1))]


def _stroke(events: int, most: int) -> float:
    if most <= 0:
        return MIN_STROKE
    return round(MIN_STROKE + (MAX_STROKE - MIN_STROKE) * math.sqrt(events / most), 2)


def _mid(
    p0: tuple[float, float],
    p1: tuple[float, float],
    p2: tuple[float, float],
    p3: tuple[float, float],
) -> tuple[float, float]:
    """The point of a cubic Bézier at t = 0.5."""
    return (
        (p0[0] + 3 * p1[0] + 3 * p2[0] + p3[0]) / 8,
        (p0[1] + 3 * p1[1] + 3 * p2[1] + p3[1]) / 8,
    )


def _curve(a: Box, b: Box, back: bool, k: int) -> tuple[str, tuple[float, float]]:
    """The path from `a` to `b` and where its label goes. Forward: bottom to top; a loop: out
    of the right side and back into the right side, further out the more loops share it."""
    if a.name == b.name:
        x, y = a.right, a.y + NODE_HEIGHT / 2
        r = 18 + 6 * k
        return (
            f"M{x:.1f},{y - 8:.1f} C{x + r:.1f},{y - r:.1f} {x + r:.1f},{y + r:.1f} "
            f"{x:.1f},{y + 8:.1f}",
            (x + r * 0.8, y),
        )
    if back and a.layer == b.layer:  # beside each other: an arc under both boxes
        p0 = (a.x + 6, a.bottom)
        p3 = (b.x - 6, b.bottom + 4)
        dip = 22 + 10 * k + 0.12 * abs(b.x - a.x)
        p1 = (p0[0], p0[1] + dip)
        p2 = (p3[0], p3[1] + dip)
    elif back:
        p0 = (a.right, a.y + NODE_HEIGHT / 2)
        p3 = (b.right + 6, b.y + NODE_HEIGHT / 2)
        out = 40.0 + 18 * k + 10 * abs(a.layer - b.layer)
        p1 = (max(p0[0], p3[0]) + out, p0[1])
        p2 = (max(p0[0], p3[0]) + out, p3[1])
    else:
        p0 = (a.x, a.bottom)
        p3 = (b.x, b.y - 4)
        bend = max(30.0, (p3[1] - p0[1]) / 2)
        # over more than one layer: bow out sideways, around the boxes in between
        span = b.layer - a.layer
        side = -1.0 if b.x <= a.x else 1.0
        out = 0.0 if span <= 1 else side * min(70.0, 40.0 + 30 * (span - 1) + 8 * k)
        p1 = (p0[0] + out, p0[1] + bend)
        p2 = (p3[0] + out, p3[1] - bend)
    path = (
        f"M{p0[0]:.1f},{p0[1]:.1f} C{p1[0]:.1f},{p1[1]:.1f} {p2[0]:.1f},{p2[1]:.1f} "
        f"{p3[0]:.1f},{p3[1]:.1f}"
    )
    return path, _mid(p0, p1, p2, p3)


def _label(t: TransitionStats, mode: str) -> str:
    return humanised(t.wait_median_s) if mode == "performance" else f"{t.events:,}"


def _title(t: TransitionStats, case_label: str) -> str:
    return (
        f"{t.source} → {t.target}: {t.events:,} times in {t.cases:,} {case_label}s; "
        f"waiting median {humanised(t.wait_median_s)}, mean {humanised(t.wait_mean_s)}, "
        f"p90 {humanised(t.wait_p90_s)}, total {humanised(t.wait_total_s)}"
    )


def drawn_transitions(pm: ProcessMap, paths: int | None) -> list[TransitionStats]:
    """The `paths` busiest transitions, and for every activity left without a way in (or out)
    its busiest one, so no activity floats unconnected (all of them when `paths` is None)."""
    busiest = sorted(pm.transitions, key=lambda t: (-t.events, t.source, t.target))
    if paths is None or paths >= len(busiest):
        return busiest
    kept = busiest[:paths]
    has_in = {t.target for t in kept if t.source != t.target}
    has_out = {t.source for t in kept if t.source != t.target}
    for t in busiest[paths:]:
        if t.source == t.target:
            continue
        if t.target not in has_in or t.source not in has_out:
            kept.append(t)
            has_in.add(t.target)
            has_out.add(t.source)
    return kept


def default_href(source: str, target: str) -> str:
    return "#cases"


def render_map(
    pm: ProcessMap,
    *,
    mode: str = "frequency",
    href: Callable[[str, str], str] = default_href,
    layout: Layout | None = None,
    paths: int | None = None,
) -> str:
    """The map as one `<svg>` element (a string), `mode` frequency or performance; with
    `paths`, only that many of the busiest transitions are drawn (the legend says so), which
    keeps a map of many activities readable.

    >>> from attain.process.discovery import ProcessMap
    >>> svg = render_map(ProcessMap("deals", "deal", 0, 0, (), (), {}, {}, "elapsed"))
    >>> svg.startswith("<svg")
    True
    """
    if mode not in MODES:
        raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    drawn = drawn_transitions(pm, paths)
    hidden = len(pm.transitions) - len(drawn)
    weights = {(t.source, t.target): t.events for t in drawn}
    lay = layout or layered_layout(
        [a.name for a in pm.activities], weights, pm.starts, top=TOP, margin=MARGIN
    )
    bounds = wait_bands([t.wait_median_s for t in pm.transitions])
    legend, legend_width = _legend(bounds, mode, hidden, 16.0, lay.height + 86)
    width = max(lay.width + 140, legend_width + 32, 420)
    height = lay.height + BOTTOM
    centre = lay.width / 2
    most = max((t.events for t in pm.transitions), default=0)
    most_events = max((a.events for a in pm.activities), default=0)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="process-map" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" font-family="{escape(FONT)}" font-size="12" '
        f'aria-label="Process map of {escape(pm.log)}: {len(pm.activities)} activities, '
        f'{len(pm.transitions)} transitions, {pm.cases:,} {escape(pm.case_label)}s">',
        "<defs>",
        *(
            f'<marker id="arrow-{i}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="11" '
            f'markerHeight="11" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{c}"/></marker>'
            for i, c in enumerate(PALETTE)
        ),
        '<marker id="arrow-grey" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="8" '
        'markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#999"/></marker>',
        "</defs>",
    ]
    # start and end markers, joined by thin dashed lines to where cases start and end
    start_y, end_y = 30.0, lay.height + 50
    parts.append('<g class="start-end">')
    for name, count in sorted(pm.starts.items()):
        box = lay.boxes.get(name)
        if box is not None and _marked(count, pm.starts):
            parts.append(
                f'<path class="start-edge" d="M{centre:.1f},{start_y + 14:.1f} L{box.x:.1f},'
                f'{box.y - 4:.1f}" stroke="#999" stroke-dasharray="4 3" fill="none" '
                f'marker-end="url(#arrow-grey)"><title>{escape(name)} starts {count:,} '
                f"{escape(pm.case_label)}s</title></path>"
            )
    for name, count in sorted(pm.ends.items()):
        box = lay.boxes.get(name)
        if box is not None and _marked(count, pm.ends):
            parts.append(
                f'<path class="end-edge" d="M{box.x:.1f},{box.bottom:.1f} L{centre:.1f},'
                f'{end_y - 16:.1f}" stroke="#bbb" stroke-dasharray="4 3" fill="none" '
                f'marker-end="url(#arrow-grey)"><title>{escape(name)} ends {count:,} '
                f"{escape(pm.case_label)}s</title></path>"
            )
    parts += [
        f'<circle class="start" cx="{centre:.1f}" cy="{start_y:.1f}" r="14" fill="#2e7d32"/>',
        f'<text x="{centre:.1f}" y="{start_y + 4:.1f}" text-anchor="middle" fill="#fff" '
        f'font-size="10">start</text>',
        f'<circle class="end" cx="{centre:.1f}" cy="{end_y:.1f}" r="14" fill="#444"/>',
        f'<text x="{centre:.1f}" y="{end_y + 4:.1f}" text-anchor="middle" fill="#fff" '
        f'font-size="10">end</text>',
        "</g>",
        '<g class="transitions">',
    ]
    loops_at: dict[str, int] = {}
    ordered = sorted(drawn, key=lambda t: (t.events, t.source, t.target))
    labels: list[str] = []
    for t in ordered:  # the busiest drawn last, on top
        a, b = lay.boxes.get(t.source), lay.boxes.get(t.target)
        if a is None or b is None:
            continue
        back = (t.source, t.target) in lay.back_edges or t.source == t.target
        k = loops_at.get(t.source, 0)
        loops_at[t.source] = k + 1
        path, (lx, ly) = _curve(a, b, back, k)
        band = band_of(t.wait_median_s, bounds)
        colour_index = PALETTE.index(_colour(band, len(bounds) + 1))
        colour = PALETTE[colour_index]
        src, dst = escape(t.source), escape(t.target)
        loop = (t.source, t.target) in lay.loops or t.source == t.target
        dash = ' stroke-dasharray="6 3"' if loop else ""
        parts.append(
            f'<a class="transition" href="{escape(href(t.source, t.target))}" '
            f'data-source="{src}" data-target="{dst}" data-events="{t.events}" '
            f'data-cases="{t.cases}" data-wait-median-s="{t.wait_median_s:.3f}">'
            f"<title>{escape(_title(t, pm.case_label))}</title>"
            f'<path d="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{_stroke(t.events, most)}" stroke-opacity="0.85" '
            f'marker-end="url(#arrow-{colour_index})"'
            f"{dash}/>"
            f'<path d="{path}" fill="none" stroke="transparent" stroke-width="12"/>'
            "</a>"
        )
        labels.append(
            f'<text class="edge-label" x="{lx + 4:.1f}" y="{ly + 4:.1f}" fill="#222" '
            f'font-size="11" stroke="#fff" stroke-width="3" paint-order="stroke">'
            f"{escape(_label(t, mode))}</text>"
        )
    parts.append("</g>")
    parts.append('<g class="activities">')
    for act in pm.activities:
        box = lay.boxes.get(act.name)
        if box is None:
            continue
        share = act.events / most_events if most_events else 0.0
        fill = NODE_FILLS[min(len(NODE_FILLS) - 1, int(share * len(NODE_FILLS)))]
        figure = f"{act.events:,}"
        if mode == "performance" and act.service_median_s is not None:
            figure = f"{act.events:,} · {humanised(act.service_median_s)}"
        service = (
            f"; service median {humanised(act.service_median_s)}"
            if act.service_median_s is not None
            else ""
        )
        left = box.x - box.width / 2
        parts.append(
            f'<g class="activity" data-activity="{escape(act.name)}" data-events="{act.events}">'
            f"<title>{escape(act.name)}: {act.events:,} events in {act.cases:,} "
            f"{escape(pm.case_label)}s; starts {act.starts:,}, ends {act.ends:,}"
            f"{escape(service)}</title>"
            f'<rect x="{left:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
            f'height="{box.height:.1f}" rx="6" fill="{fill}" stroke="#2b5797" '
            f'stroke-width="1.2"/>'
            f'<text x="{box.x:.1f}" y="{box.y + 18:.1f}" text-anchor="middle" fill="#111" '
            f'font-weight="600">{escape(_cut(act.name, box.width))}</text>'
            f'<text class="activity-count" x="{box.x:.1f}" y="{box.y + 34:.1f}" '
            f'text-anchor="middle" fill="#444" font-size="11">{escape(figure)}</text></g>'
        )
    parts.append("</g>")
    parts.append('<g class="edge-labels">' + "".join(labels) + "</g>")
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def _marked(count: int, counts: dict[str, int]) -> bool:
    """Whether a start or end gets its own line from the marker: the three biggest and any
    with at least 1% of the cases (the others are in the activity's tooltip)."""
    biggest = sorted(counts.values(), reverse=True)
    return count >= 0.01 * sum(biggest) or count >= biggest[min(2, len(biggest) - 1)]


def _legend(bounds: list[float], mode: str, hidden: int, x: float, y: float) -> tuple[str, float]:
    """The waiting bands with their units, and what the labels and thickness mean; and the
    legend's width."""
    edges = [0.0, *bounds]
    names = []
    for i in range(len(edges)):
        if i + 1 < len(edges):
            names.append(f"{humanised(edges[i])} – {humanised(edges[i + 1])}")
        else:
            names.append(f"≥ {humanised(edges[i])}" if i else "all")
    what = "median wait" if mode == "performance" else "times taken"
    line = (
        f"Colour: median waiting time. Labels: {what}. Thickness: times taken. Dashed: loops."
        + (f" {hidden:,} rarer transitions not drawn." if hidden else "")
    )
    out = [
        f'<g class="legend" transform="translate({x:.1f},{y:.1f})">',
        f'<text x="0" y="0" fill="#333" font-size="11">{escape(line)}</text>',
    ]
    cx = 0.0
    for i, name in enumerate(names):
        colour = _colour(i, len(names))
        out.append(
            f'<rect x="{cx:.1f}" y="10" width="22" height="10" fill="{colour}"/>'
            f'<text class="legend-band" x="{cx + 27:.1f}" y="19" fill="#333" font-size="11">'
            f"{escape(name)}</text>"
        )
        cx += 36 + 6.2 * len(name)
    out.append("</g>")
    return "".join(out), max(cx, 6.0 * len(line))
