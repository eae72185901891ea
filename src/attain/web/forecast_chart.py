"""The forecast chart: per node, the model's 80% band and expected value beside the submitted
calls and the stage-weighted pipeline, on one money axis (inline SVG, like attain.web.charts)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from attain.money_format import money
from attain.web.charts import _svg, nice_step, nothing

BAND = "#a0cbe8"
EXPECTED = "#4e79a7"
COMMIT = "#333"
BEST_CASE = "#59a14f"
WEIGHTED = "#f28e2b"
QUOTA = "#e15759"

MARKS = (
    ("commit", "Commit", COMMIT),
    ("best_case", "Best case", BEST_CASE),
    ("weighted_pipeline", "Weighted pipeline", WEIGHTED),
    ("quota", "Quota", QUOTA),
)


def forecast_chart(nodes: Sequence[Any], currency: str) -> str:
    """One row per node (`NodeForecast`): the band from low to high, a dot at the expected value,
    and a tick for each of commit, best case, weighted pipeline and quota it has."""
    if not nodes:
        return nothing("No forecast to chart: nobody in this part of the hierarchy.")
    values = [n.high for n in nodes] + [
        getattr(n, k) for n in nodes for k, _, _ in MARKS if getattr(n, k) is not None
    ]
    top = max([Decimal(1), *values]) * Decimal("1.05")
    left, right, row, head, foot = 160, 640, 26, 24, 26
    h = head + row * len(nodes) + foot
    span = right - left - 10

    def x(v: Decimal) -> float:
        return left + span * float(v / top)

    parts: list[str] = []
    legend = [("80% band", BAND), ("Expected", EXPECTED), *((t, c) for _, t, c in MARKS)]
    lx = 10
    for label, colour in legend:
        parts.append(
            f'<rect x="{lx}" y="6" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="15" font-size="10">{escape(label)}</text>'
        )
        lx += 24 + 6 * len(label)
    step = nice_step(top)
    tick = Decimal(0)
    while tick <= top:
        tx = x(tick)
        parts.append(
            f'<line class="tick" x1="{tx:.1f}" y1="{head}" x2="{tx:.1f}" y2="{h - foot}" '
            f'stroke="#eee"/><text x="{tx:.1f}" y="{h - 10}" font-size="9" text-anchor="middle">'
            f"{escape(_short(tick))}</text>"
        )
        tick += step
    for i, n in enumerate(nodes):
        y = head + i * row + row / 2
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(str(n.name)[:24])}</text>"
            f'<rect class="band" x="{x(n.low):.1f}" y="{y - 7:.1f}" '
            f'width="{max(1.0, x(n.high) - x(n.low)):.1f}" height="14" fill="{BAND}">'
            f"<title>{escape(n.name)}: 80% band {money(n.low, currency)} to "
            f"{money(n.high, currency)}</title></rect>"
            f'<circle class="expected" cx="{x(n.expected):.1f}" cy="{y:.1f}" r="4" '
            f'fill="{EXPECTED}"><title>expected {money(n.expected, currency)}</title></circle>'
        )
        for attr, label, colour in MARKS:
            v = getattr(n, attr)
            if v is None:
                continue
            parts.append(
                f'<line class="{attr}" x1="{x(v):.1f}" y1="{y - 10:.1f}" x2="{x(v):.1f}" '
                f'y2="{y + 10:.1f}" stroke="{colour}" stroke-width="2">'
                f"<title>{label.lower()} {money(v, currency)}</title></line>"
            )
    return _svg(right + 20, int(h), parts, f"Forecast in {currency}: band, calls and pipeline")


def _short(v: Decimal) -> str:
    """An axis label: 1.5M, 250k, 900."""
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k")):
        if abs(v) >= size:
            return f"{(v / size).normalize():f}{suffix}"
    return f"{v.normalize():f}"
