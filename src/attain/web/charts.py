"""Charts as inline SVG, drawn on the server: no script, no library, no network.

Every chart has a value axis (percentages, people, or money with its currency); a chart with
nothing to show is not drawn: a line says so instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from attain.money_format import money

BAR = "#4e79a7"
AHEAD = "#59a14f"
BEHIND = "#e15759"
PACE = "#333"
EMPTY = "#bbb"


def _svg(width: int, height: int, parts: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def nothing(text: str) -> str:
    """What stands where a chart would be when there is nothing to chart."""
    return f'<p class="muted no-chart">{escape(text)}</p>'


def nice_step(top: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` gridlines up to `top`."""
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    power = Decimal(10) ** (raw.adjusted())
    for m in (1, 2, 5, 10):
        if raw <= power * m:
            return power * m
    return power * 10


def _axis(
    parts: list[str], left: int, right: int, y0: float, span: float, top: Decimal, step: Decimal
) -> list[Decimal]:
    """Gridlines from zero to `top` every `step`; returns the tick values."""
    ticks = []
    v = Decimal(0)
    while v <= top:
        ticks.append(v)
        v += step
    for t in ticks:
        y = y0 - span * float(t / top) if top else y0
        parts.append(
            f'<line class="tick" x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#eee"/>'
        )
    return ticks


def attainment_chart(points: Sequence[tuple[str, Decimal | None, Decimal, bool]]) -> str:
    """Attainment per period (bars) against where it should be to be on pace (dashes). A period
    without a line (the last flag false) keeps its place: at zero, or grey at the year to date
    carried from before (attainment given)."""
    if not any(has_line for *_, has_line in points):
        return nothing("No attainment to chart yet: no line with a quota this year.")
    w, h, left, bottom, top_pad = 640, 220, 44, 28, 12
    top = max([Decimal("1.2")] + [max(a or Decimal(0), p) for _, a, p, _ in points]) * Decimal(
        "1.1"
    )
    span_h = h - bottom - top_pad
    step = (w - left) / len(points)

    def y(v: Decimal) -> float:
        return float(h - bottom - span_h * (v / top))

    parts: list[str] = []
    tick = Decimal("0.25") if top <= Decimal("1.6") else nice_step(top)
    for t in _axis(parts, left, w, h - bottom, span_h, top, tick):
        parts.append(
            f'<text class="y-label" x="{left - 4}" y="{y(t) + 4:.1f}" font-size="10" '
            f'text-anchor="end">{t * 100:.0f}%</text>'
        )
    parts.append(f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" stroke="#999"/>')
    for i, (label, att, pace, has_line) in enumerate(points):
        x = left + i * step
        if att is None:
            parts.append(
                f'<rect class="no-line" x="{x + step * 0.15:.1f}" y="{h - bottom - 1}" '
                f'width="{step * 0.7:.1f}" height="1" fill="{EMPTY}">'
                f"<title>{escape(label)}: no line this period (0.0%)</title></rect>"
            )
        elif not has_line:
            parts.append(
                f'<rect class="no-line" x="{x + step * 0.15:.1f}" y="{y(att):.1f}" '
                f'width="{step * 0.7:.1f}" height="{max(0.0, h - bottom - y(att)):.1f}" '
                f'fill="{EMPTY}"><title>{escape(label)}: no line this period; year to date '
                f"unchanged at {att * 100:.1f}%</title></rect>"
            )
        else:
            colour = AHEAD if att >= pace else BEHIND
            parts.append(
                f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{y(att):.1f}" '
                f'width="{step * 0.7:.1f}" height="{max(0.0, h - bottom - y(att)):.1f}" '
                f'fill="{colour}"><title>{escape(label)}: {att * 100:.1f}% '
                f"(on pace: {pace * 100:.1f}%)</title></rect>"
            )
        parts.append(
            f'<line x1="{x + step * 0.05:.1f}" y1="{y(pace):.1f}" x2="{x + step * 0.95:.1f}" '
            f'y2="{y(pace):.1f}" stroke="{PACE}" stroke-width="2" stroke-dasharray="4,2"/>'
        )
        if len(points) <= 16 or i % max(1, len(points) // 12) == 0:
            parts.append(
                f'<text class="x-label" x="{x + step / 2:.1f}" y="{h - bottom + 14}" '
                f'font-size="10" text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(w, h, parts, "Attainment per period; dashes: where it should be to be on pace")


def distribution_chart(values: Sequence[Decimal], step: Decimal = Decimal("0.1")) -> str:
    """How many people are at each band of attainment, with 100% marked."""
    if not values:
        return nothing("No attainment to chart: nobody here has a line with a quota this period.")
    w, h, left, bottom, top_pad = 640, 200, 30, 28, 10
    bands = 25
    counts = [0] * bands
    for v in values:
        counts[min(bands - 1, max(0, int(v / step)))] += 1
    tick = max(Decimal(1), nice_step(Decimal(max(counts))).to_integral_value())
    peak = Decimal(max(counts))
    top = max(peak, ((peak + tick - 1) // tick) * tick)
    span = h - bottom - top_pad
    bar = (w - left) / bands
    parts: list[str] = []
    for t in _axis(parts, left, w, h - bottom, span, top, tick):
        parts.append(
            f'<text class="y-label" x="{left - 4}" y="{h - bottom - span * float(t / top) + 4:.1f}" '
            f'font-size="10" text-anchor="end">{t:.0f}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" stroke="#999"/>')
    for i, n in enumerate(counts):
        bh = span * n / float(top)
        parts.append(
            f'<rect x="{left + i * bar + 1:.1f}" y="{h - bottom - bh:.1f}" width="{bar - 2:.1f}" '
            f'height="{bh:.1f}" fill="{BAR}"><title>{i * step * 100:.0f}%-{(i + 1) * step * 100:.0f}%: '
            f"{n} people</title></rect>"
        )
    for band in (0, 5, 10, 15, 20):
        parts.append(
            f'<text class="x-label" x="{left + band * bar:.1f}" y="{h - bottom + 14}" '
            f'font-size="10" text-anchor="middle">{band * 10}%</text>'
        )
    x100 = left + 10 * bar
    parts.append(
        f'<line x1="{x100:.1f}" y1="6" x2="{x100:.1f}" y2="{h - bottom}" stroke="{PACE}" '
        'stroke-dasharray="4,3"/>'
    )
    return _svg(w, h, parts, f"Attainment of {len(values)} people (people per band; dashes: 100%)")


def period_bars(totals: Sequence[tuple[str, Decimal]], currency: str) -> str:
    """Payouts per period in one currency, oldest to newest, with a money axis."""
    if not totals or not any(t for _, t in totals):
        return nothing(f"No payouts in {currency} to chart yet." if currency else "No payouts yet.")
    w, h, left, bottom, top_pad = 640, 180, 96, 28, 10
    peak = max(max(t for _, t in totals), Decimal(0))
    tick = nice_step(peak)
    top = max(peak, -(-peak // tick) * tick) or Decimal(1)
    span = h - bottom - top_pad
    bar = (w - left) / len(totals)
    parts: list[str] = []
    for t in _axis(parts, left, w, h - bottom, span, top, tick):
        parts.append(
            f'<text class="y-label" x="{left - 4}" y="{h - bottom - span * float(t / top) + 4:.1f}" '
            f'font-size="10" text-anchor="end">{escape(money(t, currency))}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" stroke="#999"/>')
    for i, (label, total) in enumerate(totals):
        bh = span * float(total / top) if total > 0 else 0.0
        parts.append(
            f'<rect x="{left + i * bar + 1:.1f}" y="{h - bottom - bh:.1f}" width="{max(1.0, bar - 2):.1f}" '
            f'height="{bh:.1f}" fill="{BAR}"><title>{escape(label)}: '
            f"{escape(money(total, currency))}</title></rect>"
        )
        if i % max(1, len(totals) // 10) == 0:
            parts.append(
                f'<text class="x-label" x="{left + i * bar + bar / 2:.1f}" y="{h - bottom + 14}" '
                f'font-size="10" text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(w, h, parts, f"Payouts per period in {currency}" if currency else "Payouts")
