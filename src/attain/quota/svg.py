"""Small hand-built SVG charts for the backtest report: self-contained, no scripts, no fonts."""

from __future__ import annotations

from html import escape

import numpy as np

COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1")


def histograms(series: dict[str, np.ndarray], *, top: float = 2.5, step: float = 0.1) -> str:
    """One attainment histogram per method, side by side on the same scale, 100% marked."""
    w, h, pad = 230, 180, 30
    edges = np.arange(0, top + step, step)
    counts = {k: np.histogram(np.clip(v, 0, top - 1e-9), bins=edges)[0] for k, v in series.items()}
    peak = max((c.max() for c in counts.values() if c.size), default=1) or 1
    parts = []
    for i, (name, c) in enumerate(counts.items()):
        x0 = i * (w + 20)
        bar = (w - pad) / len(c)
        parts.append(f'<text x="{x0 + pad}" y="14" font-size="12">{escape(name)}</text>')
        for j, n in enumerate(c):
            bh = (h - 2 * pad) * n / peak
            parts.append(
                f'<rect x="{x0 + pad + j * bar:.1f}" y="{h - pad - bh:.1f}" width="{bar - 1:.1f}" '
                f'height="{bh:.1f}" fill="{COLOURS[i % len(COLOURS)]}"/>'
            )
        x100 = x0 + pad + (w - pad) * 1.0 / top
        parts.append(
            f'<line x1="{x100:.1f}" y1="{pad - 8}" x2="{x100:.1f}" y2="{h - pad}" stroke="#333" '
            'stroke-dasharray="3,3"/>'
        )
        parts.append(
            f'<line x1="{x0 + pad}" y1="{h - pad}" x2="{x0 + w}" y2="{h - pad}" stroke="#999"/>'
        )
        parts.append(
            f'<text x="{x0 + w:.1f}" y="{h - pad + 14}" font-size="10" text-anchor="end">'
            f"{top:.0%}+</text>"
        )
        for tick in (0, 1):
            tx = x0 + pad + (w - pad) * tick / top
            parts.append(
                f'<text x="{tx:.1f}" y="{h - pad + 14}" font-size="10" text-anchor="middle">'
                f"{tick * 100}%</text>"
            )
    width = len(counts) * (w + 20)
    return _svg(width, h, parts, "Attainment distribution per method (dashed: 100%)")


def scatters(points: dict[str, tuple[np.ndarray, np.ndarray]]) -> str:
    """Quota (x) against actual (y) per method, with the line where actual equals quota."""
    w, h, pad = 230, 230, 34
    top = max((float(max(q.max(), a.max())) for q, a in points.values() if q.size), default=1.0)
    top = top or 1.0
    parts = []
    for i, (name, (q, a)) in enumerate(points.items()):
        x0 = i * (w + 20)
        span = w - pad

        def px(v: float, x0: int = x0, span: int = span) -> float:
            return x0 + pad + span * v / top

        def py(v: float, span: int = span) -> float:
            return h - pad - (h - 2 * pad) * v / top

        parts.append(f'<text x="{x0 + pad}" y="14" font-size="12">{escape(name)}</text>')
        parts.append(
            f'<rect x="{x0 + pad}" y="{pad}" width="{span}" height="{h - 2 * pad}" fill="none" '
            'stroke="#ccc"/>'
        )
        parts.append(
            f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(top):.1f}" y2="{py(top):.1f}" '
            'stroke="#333" stroke-dasharray="3,3"/>'
        )
        for qv, av in zip(q, a, strict=True):
            parts.append(
                f'<circle cx="{px(float(qv)):.1f}" cy="{py(float(av)):.1f}" r="2" '
                f'fill="{COLOURS[i % len(COLOURS)]}" fill-opacity="0.6"/>'
            )
        parts.append(
            f'<text x="{x0 + pad + span / 2:.0f}" y="{h - 8}" font-size="10" '
            'text-anchor="middle">quota</text>'
        )
        parts.append(
            f'<text x="{px(top):.0f}" y="{h - pad + 12}" font-size="9" '
            f'text-anchor="end">{top:,.0f}</text>'
        )
        parts.append(
            f'<text x="{x0 + 10}" y="{h / 2:.0f}" font-size="10" '
            f'transform="rotate(-90 {x0 + 10} {h / 2:.0f})" text-anchor="middle">actual</text>'
        )
    width = len(points) * (w + 20)
    return _svg(width, h, parts, "Quota against actual per payee (dashed: actual = quota)")


def _svg(width: int, height: int, parts: list[str], title: str) -> str:
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif"><title>{escape(title)}</title>\n{body}\n</svg>'
    )
