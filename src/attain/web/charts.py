"""Charts as inline SVG, drawn on the server: no script, no library, no network."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

BAR = "#4e79a7"
AHEAD = "#59a14f"
BEHIND = "#e15759"
PACE = "#333"


def _svg(width: int, height: int, parts: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def attainment_chart(points: Sequence[tuple[str, Decimal, Decimal]]) -> str:
    """Attainment per period (bars) against where it should be to be on pace (dashes)."""
    w, h, left, bottom, top_pad = 640, 220, 44, 28, 12
    if not points:
        return _svg(
            w, 40, ['<text x="4" y="24" font-size="13">no attainment yet</text>'], "attainment"
        )
    top = max([Decimal("1.2")] + [max(a, p) for _, a, p in points]) * Decimal("1.1")
    span_h = h - bottom - top_pad
    step = (w - left) / len(points)

    def y(v: Decimal) -> float:
        return float(h - bottom - span_h * (v / top))

    parts = [
        f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" stroke="#999"/>',
    ]
    for tick in (Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2)):
        if tick <= top:
            parts.append(
                f'<line x1="{left}" y1="{y(tick):.1f}" x2="{w}" y2="{y(tick):.1f}" stroke="#eee"/>'
                f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" font-size="10" text-anchor="end">'
                f"{tick * 100:.0f}%</text>"
            )
    for i, (label, att, pace) in enumerate(points):
        x = left + i * step
        colour = AHEAD if att >= pace else BEHIND
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{y(att):.1f}" width="{step * 0.7:.1f}" '
            f'height="{max(0.0, h - bottom - y(att)):.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {att * 100:.1f}% (on pace: {pace * 100:.1f}%)</title></rect>"
            f'<line x1="{x + step * 0.05:.1f}" y1="{y(pace):.1f}" x2="{x + step * 0.95:.1f}" '
            f'y2="{y(pace):.1f}" stroke="{PACE}" stroke-width="2" stroke-dasharray="4,2"/>'
        )
        if len(points) <= 16 or i % max(1, len(points) // 12) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{h - bottom + 14}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(w, h, parts, "Attainment per period; dashes: where it should be to be on pace")


def distribution_chart(values: Sequence[Decimal], step: Decimal = Decimal("0.1")) -> str:
    """How many people are at each band of attainment, with 100% marked."""
    w, h, left, bottom = 640, 200, 30, 28
    bands = 25
    counts = [0] * bands
    for v in values:
        counts[min(bands - 1, max(0, int(v / step)))] += 1
    peak = max(counts) or 1
    bar = (w - left) / bands
    parts = [f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" stroke="#999"/>']
    for i, n in enumerate(counts):
        bh = (h - bottom - 10) * n / peak
        parts.append(
            f'<rect x="{left + i * bar + 1:.1f}" y="{h - bottom - bh:.1f}" width="{bar - 2:.1f}" '
            f'height="{bh:.1f}" fill="{BAR}"><title>{i * step * 100:.0f}%-{(i + 1) * step * 100:.0f}%: '
            f"{n}</title></rect>"
        )
    for tick in (0, 5, 10, 15, 20):
        parts.append(
            f'<text x="{left + tick * bar:.1f}" y="{h - bottom + 14}" font-size="10" '
            f'text-anchor="middle">{tick * 10}%</text>'
        )
    x100 = left + 10 * bar
    parts.append(
        f'<line x1="{x100:.1f}" y1="6" x2="{x100:.1f}" y2="{h - bottom}" stroke="{PACE}" '
        'stroke-dasharray="4,3"/>'
    )
    return _svg(w, h, parts, f"Attainment of {len(values)} people (dashes: 100%)")


def period_bars(totals: Sequence[tuple[str, Decimal]]) -> str:
    """Payouts per period, oldest to newest."""
    w, h, left, bottom = 640, 180, 10, 28
    if not totals:
        return ""
    peak = max((t for _, t in totals), default=Decimal(1)) or Decimal(1)
    bar = (w - left) / len(totals)
    parts = []
    for i, (label, total) in enumerate(totals):
        bh = float((h - bottom - 10) * total / peak) if total > 0 else 0.0
        parts.append(
            f'<rect x="{left + i * bar + 1:.1f}" y="{h - bottom - bh:.1f}" width="{max(1.0, bar - 2):.1f}" '
            f'height="{bh:.1f}" fill="{BAR}"><title>{escape(label)}: {total:,.2f}</title></rect>'
        )
        if i % max(1, len(totals) // 10) == 0:
            parts.append(
                f'<text x="{left + i * bar + bar / 2:.1f}" y="{h - bottom + 14}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(w, h, parts, "Payouts per period")
