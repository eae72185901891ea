"""The pipeline backtest as a self-contained HTML page: the error table per level and method,
band coverage, and each quarter's company forecast beside what was won (an SVG chart)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from attain.forecasts.pipeline_backtest import Outcome, coverage, errors
from attain.money_format import money

LABELS = {
    "model": "Model",
    "weighted": "Stage-weighted pipeline",
    "commit": "Commit call",
    "best_case": "Best-case call",
}


def _chart(rows: Sequence[Outcome]) -> str:
    company = [r for r in rows if r.level == "company"]
    if not company:
        return ""
    width, height, pad = 640, 240, 40
    top = max(max(r.high, r.actual, r.weighted) for r in company) * 1.05 or 1.0
    step = (width - 2 * pad) / max(len(company), 1)

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * v / top

    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" role="img">']
    for i, r in enumerate(company):
        x = pad + step * (i + 0.5)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(r.low):.1f}" y2="{y(r.high):.1f}" '
            'stroke="#9ab" stroke-width="8"><title>80% band</title></line>'
        )
        parts.append(f'<circle cx="{x:.1f}" cy="{y(r.model):.1f}" r="4" fill="#246"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y(r.weighted):.1f}" r="4" fill="#c84"/>')
        parts.append(
            f'<rect x="{x - 5:.1f}" y="{y(r.actual) - 1:.1f}" width="10" height="3" fill="#000">'
            f"<title>{escape(r.quarter)} won</title></rect>"
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - pad + 14}" font-size="10" '
            f'text-anchor="middle">{escape(r.quarter)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def report_html(
    title: str, runs: Sequence[tuple[str, Sequence[Outcome]]], currency: str, notes: Sequence[str]
) -> str:
    """One section per run (a store or a generated company's seed)."""
    body = [f"<h1>{escape(title)}</h1>"]
    body += [f"<p>{escape(n)}</p>" for n in notes]
    for name, rows in runs:
        body.append(f"<h2>{escape(name)}</h2>")
        body.append(
            "<table><tr><th>level</th><th>method</th><th>rows</th>"
            "<th>median abs. error</th><th>WAPE</th><th>bias</th></tr>"
        )
        for level in ("company", "team"):
            for e in errors(list(rows), level):
                body.append(
                    f"<tr><td>{level}</td><td>{LABELS[e.method]}</td><td>{e.n}</td>"
                    f"<td>{escape(money(e.median_abs_error, currency))}</td>"
                    f"<td>{e.wape:.1f}%</td><td>{e.bias:+.1f}%</td></tr>"
                )
        body.append("</table>")
        body.append(
            f"<p>Inside the 80% band: company {coverage(list(rows), 'company'):.0%}, "
            f"teams {coverage(list(rows), 'team'):.0%}.</p>"
        )
        body.append(_chart(rows))
        body.append(
            "<p>Blue dot: model, orange dot: stage-weighted pipeline, bar: 80% band, "
            "black mark: won.</p>"
        )
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:60em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
        "text-align:right}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )
