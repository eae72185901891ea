"""The backtest as a terminal table and as a self-contained HTML page with charts."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from attain.quota.backtest import Backtest
from attain.quota.svg import histograms, scatters

ROWS: tuple[tuple[str, str, str], ...] = (
    # metric, label (↑ higher is better, ↓ lower is better), format
    ("payees", "payees scored", "num"),
    ("at_quota", "at/above 100% (aim 60-70%)", "pct"),
    ("median_attainment", "median attainment", "pct"),
    ("attainment_sd", "attainment std dev ↓", "ratio"),
    ("attainment_iqr", "attainment IQR ↓", "ratio"),
    ("attainment_gini", "attainment Gini ↓", "ratio"),
    ("quota_actual_corr", "quota~actual corr ↑", "ratio"),
    ("wape", "quota WAPE ↓", "pct"),
    ("fairness_corr", "attainment~potential (0 fair)", "ratio"),
    ("attainment_low_tercile", "attainment, low potential", "pct"),
    ("attainment_mid_tercile", "attainment, mid potential", "pct"),
    ("attainment_high_tercile", "attainment, high potential", "pct"),
    ("tercile_gap", "tercile gap ↓", "pct"),
    ("interval_coverage", "inside 80% interval", "pct"),
    ("quota_sum", "sum of quotas", "money"),
    ("quota_sum_vs_target", "sum / target", "pct"),
    ("commission", "commission cost", "money"),
)


def fmt(value: float, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "money":
        return f"{value:,.0f}"
    if kind == "num":
        return f"{value:,.0f}"
    return f"{value:.3f}"


def table_rows(result: Backtest) -> list[list[str]]:
    """The metrics as text: a header row of methods, then one row per metric."""
    m = result.metrics
    out = [["metric", *m.index]]
    for key, label, kind in ROWS:
        out.append([label, *(fmt(float(m.loc[name, key]), kind) for name in m.index)])
    return out


def write_report(result: Backtest, path: Path) -> Path:
    """Write the backtest as one HTML file (inline SVG charts, no external files)."""
    rows = table_rows(result)
    head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    attainment = {
        name: frame.loc[frame["quota"] > 0, "attainment"].to_numpy(dtype=float)
        for name, frame in result.payees.items()
    }
    points = {
        name: (
            frame.loc[frame["quota"] > 0, "quota"].to_numpy(dtype=float),
            frame.loc[frame["quota"] > 0, "actual"].to_numpy(dtype=float),
        )
        for name, frame in result.payees.items()
    }
    warnings = "".join(f"<li>{escape(w)}</li>" for w in result.warnings) or "<li>none</li>"
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Quota backtest {result.year}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }}
table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
.note {{ color: #555; font-size: 0.9em; }}
</style></head><body>
<h1>Quota backtest: {result.year}</h1>
<p>Each method set {result.year}'s quotas from history before {result.year} only; the scores
compare those quotas with what each payee actually booked in {result.year}.
Company target: <b>{float(result.target):,.0f}</b>. Fairness is judged against
{escape(result.potential_source)}. Commission priced with the {escape(result.commission_plan)}.</p>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<h2>Attainment distributions</h2>
<p class="note">A good set of quotas puts most payees near 100% with a narrow spread.</p>
{histograms(attainment)}
<h2>Quota against actual</h2>
<p class="note">Points near the dashed line were set accurately; a cloud that fans out means
quotas that did not track what the territory could sell.</p>
{scatters(points)}
<h2>Warnings</h2><ul>{warnings}</ul>
<p class="note">Times: {escape(timing)}.</p>
</body></html>
"""
    path.write_text(html, encoding="utf-8")
    return path


__all__ = ["table_rows", "write_report"]
