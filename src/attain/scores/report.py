"""A score's report card: the metrics of attain.scores.metrics on the whole test set and on each
segment (region, source, owner...), beside a baseline measured on the same rows, as terminal rows
and as a self-contained HTML page with a reliability chart.

A segment where every lead had the same outcome has no AUC (shown "n/a"); one without a single
positive has no lift. Overall, the same cases give NaN rather than an error, so a report on a
tiny or one-sided test set still renders.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from attain.scores.metrics import ReliabilityBin, auc, brier, ece, reliability, top_decile_lift


@dataclass(frozen=True)
class SegmentRow:
    """The score measured on the rows of one value of one segment (say region = EMEA)."""

    segment: str
    value: str
    n: int
    positives: int
    auc: float | None
    ece: float
    lift: float | None
    mean_score: float
    rate: float


@dataclass(frozen=True)
class ScoreReport:
    """One score measured on one set of rows, overall and by segment."""

    name: str
    n: int
    positives: int
    auc: float
    brier: float
    ece: float
    lift: float
    reliability: list[ReliabilityBin]
    segments: list[SegmentRow]
    baseline: ScoreReport | None = None

    @property
    def rate(self) -> float:
        return self.positives / self.n

    @property
    def mean_score(self) -> float:
        bins = self.reliability
        return sum(b.mean_score * b.count for b in bins) / sum(b.count for b in bins)


def _auc_or_none(s: NDArray[np.float64], y: NDArray[np.int64]) -> float | None:
    return auc(s, y) if 0 < y.sum() < y.size else None


def _lift_or_none(s: NDArray[np.float64], y: NDArray[np.int64]) -> float | None:
    return top_decile_lift(s, y) if y.sum() else None


def segment_rows(
    scores: ArrayLike, outcomes: ArrayLike, segments: Mapping[str, Sequence[str]]
) -> list[SegmentRow]:
    """Per segment (in the mapping's order), one row per value, largest first (ties by value)."""
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(outcomes).ravel().astype(np.int64)
    out = []
    for segment, values in segments.items():
        labels = np.asarray([str(v) for v in values], dtype=object)
        if labels.size != s.size:
            raise ValueError(f"segment {segment!r} has {labels.size} values for {s.size} scores")
        kinds, counts = np.unique(labels, return_counts=True)
        for value, _ in sorted(zip(kinds, counts, strict=True), key=lambda vc: (-vc[1], vc[0])):
            mask = labels == value
            ss, yy = s[mask], y[mask]
            out.append(
                SegmentRow(
                    segment,
                    str(value),
                    int(yy.size),
                    int(yy.sum()),
                    _auc_or_none(ss, yy),
                    ece(ss, yy),
                    _lift_or_none(ss, yy),
                    float(ss.mean()),
                    float(yy.mean()),
                )
            )
    return out


def score_report(
    name: str,
    scores: ArrayLike,
    outcomes: ArrayLike,
    segments: Mapping[str, Sequence[str]] | None = None,
    baseline: ScoreReport | None = None,
) -> ScoreReport:
    """Measure `scores` against `outcomes` overall and per segment value; `baseline` is another
    score's report on the same rows (a simpler model, or the true one), shown beside this one."""
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(outcomes).ravel()
    brier_score = brier(s, y)  # validates lengths and 0/1 outcomes
    y = y.astype(np.int64)
    if baseline is not None and baseline.n != s.size:
        raise ValueError(f"the baseline was measured on {baseline.n} rows, this score on {s.size}")
    a = _auc_or_none(s, y)
    lift = _lift_or_none(s, y)
    return ScoreReport(
        name,
        int(y.size),
        int(y.sum()),
        math.nan if a is None else a,
        brier_score,
        ece(s, y),
        math.nan if lift is None else lift,
        reliability(s, y),
        segment_rows(s, y, segments or {}),
        baseline,
    )


def _shown(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.{digits}f}"


HEADER = ["measured on", "rows", "positives", "rate", "mean score", "AUC", "Brier", "ECE", "lift"]


def report_text_rows(report: ScoreReport) -> list[list[str]]:
    """Header, the score, its baseline (if any), then one row per segment value."""

    def overall(r: ScoreReport) -> list[str]:
        return [
            r.name,
            f"{r.n:,}",
            f"{r.positives:,}",
            f"{r.rate:.1%}",
            f"{r.mean_score:.1%}",
            _shown(r.auc),
            _shown(r.brier, 4),
            _shown(r.ece, 4),
            _shown(r.lift, 2),
        ]

    rows = [list(HEADER), overall(report)]
    if report.baseline is not None:
        rows.append(overall(report.baseline))
    for g in report.segments:
        rows.append(
            [
                f"{g.segment} {g.value}",
                f"{g.n:,}",
                f"{g.positives:,}",
                f"{g.rate:.1%}",
                f"{g.mean_score:.1%}",
                _shown(g.auc),
                "",
                _shown(g.ece, 4),
                _shown(g.lift, 2),
            ]
        )
    return rows


def reliability_text_rows(report: ScoreReport) -> list[list[str]]:
    """Header and one row per equal-mass bin: what the score said, what happened."""
    rows = [["bin", "mean score", "observed rate", "rows"]]
    for i, b in enumerate(report.reliability, start=1):
        rows.append([str(i), f"{b.mean_score:.1%}", f"{b.observed_rate:.1%}", f"{b.count:,}"])
    return rows


# --- HTML ---------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2933; max-width: 70rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #d9e2ec; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f0f4f8; } .na { color: #9aa5b1; } .notes { color: #52606d; }
.chart { display: flex; gap: 2rem; align-items: flex-start; flex-wrap: wrap; }
"""
_COLOURS = ("#2563eb", "#d97706")
_SIZE, _PAD = 300, 40


def _cell(text: str) -> str:
    return f'<td class="na">{text}</td>' if text == "n/a" else f"<td>{html.escape(text)}</td>"


def _table(rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(_cell(c) for c in r) + "</tr>" for r in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _axis_top(reports: Sequence[ScoreReport]) -> float:
    """The chart's top: the largest score or rate shown, rounded up to a tenth (at most 1), so a
    score of rare events still fills the chart."""
    top = max(max(b.mean_score, b.observed_rate) for r in reports for b in r.reliability)
    return min(1.0, max(0.1, math.ceil(top * 10 - 1e-9) / 10))


def reliability_svg(reports: Sequence[ScoreReport]) -> str:
    """Predicted (x) against observed (y) per equal-mass bin, one line per score, and the
    diagonal a perfectly calibrated score would lie on."""
    shown = [r for r in reports if r.reliability]
    top = _axis_top(shown) if shown else 1.0
    full = _SIZE + 2 * _PAD

    def x(v: float) -> float:
        return _PAD + v / top * _SIZE

    def y(v: float) -> float:
        return _PAD + _SIZE - v / top * _SIZE

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{full}" height="{full + 20}" '
        f'viewBox="0 0 {full} {full + 20}" role="img" aria-label="reliability chart">',
        f'<rect x="{_PAD}" y="{_PAD}" width="{_SIZE}" height="{_SIZE}" fill="#fff" '
        'stroke="#9aa5b1"/>',
        f'<line class="diagonal" x1="{x(0)}" y1="{y(0)}" x2="{x(top)}" y2="{y(top)}" '
        'stroke="#9aa5b1" stroke-dasharray="4 4"/>',
    ]
    for i in range(6):
        v = top * i / 5
        parts.append(
            f'<text x="{x(v):.1f}" y="{_PAD + _SIZE + 14}" font-size="10" '
            f'text-anchor="middle">{v:.0%}</text>'
            f'<text x="{_PAD - 4}" y="{y(v) + 3:.1f}" font-size="10" '
            f'text-anchor="end">{v:.0%}</text>'
        )
    parts.append(
        f'<text x="{_PAD + _SIZE / 2}" y="{_PAD + _SIZE + 30}" font-size="11" '
        'text-anchor="middle">predicted (mean score in the bin)</text>'
        f'<text x="12" y="{_PAD + _SIZE / 2}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {_PAD + _SIZE / 2})">observed rate</text>'
    )
    for k, r in enumerate(shown):
        colour = _COLOURS[k % len(_COLOURS)]
        points = " ".join(f"{x(b.mean_score):.1f},{y(b.observed_rate):.1f}" for b in r.reliability)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}"/>')
        for b in r.reliability:
            parts.append(
                f'<circle cx="{x(b.mean_score):.1f}" cy="{y(b.observed_rate):.1f}" r="3.5" '
                f'fill="{colour}"><title>{html.escape(r.name)}: predicted '
                f"{b.mean_score:.1%}, observed {b.observed_rate:.1%}, {b.count:,} rows"
                "</title></circle>"
            )
        parts.append(
            f'<text x="{_PAD + 8}" y="{_PAD + 16 + 14 * k}" font-size="11" '
            f'fill="{colour}">{html.escape(r.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _segment_table(report: ScoreReport) -> str:
    """Segment rows, with the baseline's AUC for the same segment value beside the score's."""
    base = report.baseline
    by_value = {(g.segment, g.value): g for g in base.segments} if base else {}
    header = ["segment", "value", "rows", "positives", "rate", "mean score", "AUC"]
    if base is not None:
        header.append(f"AUC, {base.name}")
    header += ["ECE", "lift"]
    rows: list[list[str]] = [header]
    for g in report.segments:
        row = [
            g.segment,
            g.value,
            f"{g.n:,}",
            f"{g.positives:,}",
            f"{g.rate:.1%}",
            f"{g.mean_score:.1%}",
            _shown(g.auc),
        ]
        if base is not None:
            other = by_value.get((g.segment, g.value))
            row.append(_shown(other.auc) if other else "n/a")
        row += [_shown(g.ece, 4), _shown(g.lift, 2)]
        rows.append(row)
    return _table(rows)


def _section(report: ScoreReport) -> str:
    overall = report_text_rows(report)[: 2 + (report.baseline is not None)]
    charted = [report] + ([report.baseline] if report.baseline else [])
    parts = [
        f"<section><h2>{html.escape(report.name)}</h2>",
        _table(overall),
        '<div class="chart">',
        reliability_svg(charted),
        _table(reliability_text_rows(report)),
        "</div>",
    ]
    if report.segments:
        parts += ["<h3>By segment</h3>", _segment_table(report)]
    parts.append("</section>")
    return "".join(parts)


def report_html(title: str, reports: Sequence[ScoreReport], notes: Sequence[str] = ()) -> str:
    """A self-contained page (no scripts, no external files): per report the headline figures,
    the reliability chart and table, and the segment table."""
    note_items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + (f'<ul class="notes">{note_items}</ul>' if notes else "")
        + "".join(_section(r) for r in reports)
        + "</body></html>\n"
    )
