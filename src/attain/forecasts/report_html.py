"""The revenue backtest as one self-contained HTML page (inline SVG, no script, no external
file), so it can be mailed, archived, or served by the web app as it is."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from attain.forecasts.revenue_backtest import BASELINE, RevenueBacktest

WIDTH, HEIGHT, PAD = 760, 280, 48
COLOURS = {"actual": "#222", "model": "#1f6fb2", "baseline": "#c2571a", "band": "#1f6fb2"}


def _scale(lo: float, hi: float, a: float, b: float):  # type: ignore[no-untyped-def]
    span = (hi - lo) or 1.0
    return lambda v: a + (float(v) - lo) / span * (b - a)


def _polyline(xs: Sequence[float], ys: Sequence[float], colour: str, dash: str = "") -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{extra} points="{points}"/>'


def _axes(y_lo: float, y_hi: float, y_of, label: str) -> str:  # type: ignore[no-untyped-def]
    out = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 10}" y2="{HEIGHT - PAD}" stroke="#999"/>',
        f'<line x1="{PAD}" y1="10" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>',
    ]
    for v in np.linspace(y_lo, y_hi, 5):
        y = y_of(v)
        out.append(
            f'<text x="{PAD - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{_short(v)}</text>"
        )
    out.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{escape(label)}</text>')
    return "".join(out)


def _short(v: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if abs(v) >= size:
            return f"{v / size:.1f}{unit}"
    return f"{v:.0f}"


def _legend(items: Sequence[tuple[str, str]]) -> str:
    out = []
    for i, (name, colour) in enumerate(items):
        x = PAD + 10 + i * 190
        out.append(
            f'<rect x="{x}" y="14" width="12" height="4" fill="{colour}"/>'
            f'<text x="{x + 16}" y="20" font-size="11">{escape(name)}</text>'
        )
    return "".join(out)


def company_chart(report: RevenueBacktest, method: str, step: int = 1) -> str:
    """Actual company series, and the forecast made `step` periods before each period, with its
    80% band: what a planner would have been told, beside what happened."""
    c = report.company
    made = {
        o + step - 1: (m[step - 1], lo[step - 1], hi[step - 1])
        for o, m, lo, hi in c.forecasts[method]
    }
    base = {o + step - 1: m[step - 1] for o, m, _, _ in c.forecasts[BASELINE]}
    n = len(c.actual)
    ts = sorted(made)
    values = [*c.actual, *(v for t in ts for v in made[t]), *base.values()]
    y_lo, y_hi = min(0.0, min(values)), max(values) * 1.05
    x_of = _scale(0, max(n - 1, 1), PAD, WIDTH - 10)
    y_of = _scale(y_lo, y_hi, HEIGHT - PAD, 10)
    band = [(x_of(t), y_of(made[t][2])) for t in ts] + [
        (x_of(t), y_of(made[t][1])) for t in reversed(ts)
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="company actual and forecast">',
        _axes(y_lo, y_hi, y_of, f"{report.grain}s; forecast {step} ahead, 80% band shaded"),
        '<polygon fill="{}" fill-opacity="0.18" points="{}"/>'.format(
            COLOURS["band"], " ".join(f"{x:.1f},{y:.1f}" for x, y in band)
        )
        if band
        else "",
        _polyline([x_of(t) for t in range(n)], [y_of(v) for v in c.actual], COLOURS["actual"]),
        _polyline([x_of(t) for t in ts], [y_of(made[t][0]) for t in ts], COLOURS["model"]),
        _polyline(
            [x_of(t) for t in sorted(base)],
            [y_of(base[t]) for t in sorted(base)],
            COLOURS["baseline"],
            "4 3",
        ),
        _legend(
            [
                ("actual", COLOURS["actual"]),
                (method, COLOURS["model"]),
                (BASELINE, COLOURS["baseline"]),
            ]
        ),
        "</svg>",
    ]
    return "".join(parts)


def wape_chart(report: RevenueBacktest, method: str) -> str:
    """WAPE per horizon step, model against seasonal naive, one pair of lines per level."""
    steps = list(range(1, report.horizon + 1))
    rows = [
        (lv, report.score(method, lv), report.score(BASELINE, lv))
        for lv in ("company", "region", "store")
    ]
    values = [v for _, m, b in rows for v in (*m.wape.values(), *b.wape.values())]
    y_hi = max(values) * 1.1 if values else 1.0
    x_of = _scale(1, max(len(steps), 2), PAD, WIDTH - 10)
    y_of = _scale(0, y_hi, HEIGHT - PAD, 24)
    shades = {"company": "", "region": "6 3", "store": "2 2"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="WAPE per horizon">',
        _axes(0, y_hi, y_of, "horizon step; WAPE % (solid company, dashed region, dotted store)"),
    ]
    for lv, m, b in rows:
        parts.append(
            _polyline(
                [x_of(k) for k in steps],
                [y_of(m.wape[k]) for k in steps],
                COLOURS["model"],
                shades[lv],
            )
        )
        parts.append(
            _polyline(
                [x_of(k) for k in steps],
                [y_of(b.wape[k]) for k in steps],
                COLOURS["baseline"],
                shades[lv],
            )
        )
    parts.append(_legend([(method, COLOURS["model"]), (BASELINE, COLOURS["baseline"])]))
    parts.append("</svg>")
    return "".join(parts)


def _table(report: RevenueBacktest) -> str:
    steps = list(range(1, report.horizon + 1))
    head = "".join(f"<th>WAPE +{k}</th>" for k in steps)
    rows = []
    for s in report.scores:
        cells = "".join(f"<td>{s.wape[k]:.1f}%</td>" for k in steps)
        rows.append(
            f"<tr><td>{escape(s.level)}</td><td>{escape(s.method)}</td>{cells}"
            f"<td>{s.mean_wape:.1f}%</td><td>{s.bias[1]:+.1f}%</td>"
            f"<td>{100 * float(np.mean(list(s.coverage.values()))):.0f}%</td></tr>"
        )
    return (
        f"<table><tr><th>level</th><th>method</th>{head}<th>mean WAPE</th><th>bias +1</th>"
        f"<th>80% coverage</th></tr>{''.join(rows)}</table>"
    )


def backtest_html(title: str, report: RevenueBacktest, notes: Sequence[str] = ()) -> str:
    method = report.best_method()
    measure = report.measure + (f" ({report.currency})" if report.currency else "")
    intro = (
        f"{len(report.origins)} origins from {report.origins[0]} to {report.origins[-1]}, "
        f"{report.grain}ly {escape(measure)}, horizon {report.horizon}; base model "
        f"{escape(report.model)}, most accurate reconciliation: {escape(method)}."
    )
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:900px}}
table{{border-collapse:collapse;font-size:12px}}td,th{{border:1px solid #ccc;padding:2px 6px;
text-align:right}}td:nth-child(-n+2){{text-align:left}}</style></head>
<body><h1>{escape(title)}</h1><p>{intro}</p>
<h2>Company: actual and forecast</h2>{company_chart(report, method)}
<h2>WAPE per horizon step</h2>{wape_chart(report, method)}
<h2>Every level and method</h2>{_table(report)}
<ul>{items}</ul></body></html>
"""
