"""The score report: each metric in a segment row against a hand computation, a one-sided
segment shown as "n/a", and the HTML page holding the figures and a reliability chart."""

from __future__ import annotations

import math
from xml.etree import ElementTree

import pytest

from attain.scores.report import report_html, report_text_rows, score_report

# Ten leads, two regions. North (6 leads): scores 0.9 0.8 0.3 0.2 0.6 0.1, outcomes 1 0 1 0 1 0.
# South (4 leads): scores 0.5 0.4 0.7 0.2, outcomes all 0.
SCORES = [0.9, 0.8, 0.3, 0.2, 0.6, 0.1, 0.5, 0.4, 0.7, 0.2]
OUTCOMES = [1, 0, 1, 0, 1, 0, 0, 0, 0, 0]
REGION = ["north"] * 6 + ["south"] * 4


def _report():  # type: ignore[no-untyped-def]
    return score_report("lead score", SCORES, OUTCOMES, {"region": REGION})


def test_a_segment_row_holds_the_hand_computed_metrics() -> None:
    """North: positives score 0.9, 0.3, 0.6; negatives 0.8, 0.2, 0.1. Pairs won: 0.9 beats all
    three, 0.3 beats 0.2 and 0.1, 0.6 beats 0.2 and 0.1: 7 of 9, AUC 0.7778.
    ECE over ten bins of six rows puts one row per bin: mean |score - outcome| =
    (0.1 + 0.8 + 0.7 + 0.2 + 0.4 + 0.1) / 6 = 2.3 / 6 = 0.38333.
    Top decile: ceil(6 / 10) = 1 row, the 0.9 (converted): rate 1 over the segment's 0.5, lift 2.
    Mean score 2.9 / 6 = 0.48333, rate 3 / 6 = 0.5."""
    north = next(g for g in _report().segments if g.value == "north")
    assert (north.segment, north.n, north.positives) == ("region", 6, 3)
    assert north.auc == pytest.approx(7 / 9)
    assert north.ece == pytest.approx(2.3 / 6)
    assert north.lift == pytest.approx(2.0)
    assert north.mean_score == pytest.approx(2.9 / 6)
    assert north.rate == pytest.approx(0.5)


def test_a_segment_with_one_outcome_has_no_auc_and_no_lift() -> None:
    """South converted nobody: AUC and lift are undefined, shown "n/a"; ECE is its mean score
    (every bin's rate is 0): (0.5 + 0.4 + 0.7 + 0.2) / 4 = 0.45."""
    report = _report()
    south = next(g for g in report.segments if g.value == "south")
    assert south.auc is None and south.lift is None
    assert south.ece == pytest.approx(0.45)
    row = next(r for r in report_text_rows(report) if r[0] == "region south")
    assert row[5] == "n/a" and row[8] == "n/a"
    assert "n/a" in report_html("Leads", [report])


def test_the_overall_figures_and_the_largest_segment_first() -> None:
    """Overall: positives 0.9 0.3 0.6 against seven negatives 0.8 0.2 0.1 0.5 0.4 0.7 0.2:
    0.9 wins 7, 0.3 wins 3 (0.2, 0.1, 0.2), 0.6 wins 5: 15 of 21. Brier: misses squared
    0.01 0.64 0.49 0.04 0.16 0.01 0.25 0.16 0.49 0.04, sum 2.29, / 10 = 0.229."""
    report = _report()
    assert (report.n, report.positives) == (10, 3)
    assert report.auc == pytest.approx(15 / 21)
    assert report.brier == pytest.approx(0.229)
    assert [g.value for g in report.segments] == ["north", "south"]
    rows = report_text_rows(report)
    assert rows[1][:3] == ["lead score", "10", "3"] and rows[1][5] == f"{15 / 21:.3f}"


def test_one_sided_rows_overall_give_nan_not_an_error() -> None:
    report = score_report("nobody converted", [0.1, 0.2, 0.3], [0, 0, 0])
    assert math.isnan(report.auc) and math.isnan(report.lift)
    assert report_text_rows(report)[1][5] == "n/a"


def test_the_baseline_must_be_measured_on_the_same_rows() -> None:
    other = score_report("true model", [0.5, 0.5], [0, 1])
    with pytest.raises(ValueError, match="baseline was measured on 2 rows"):
        score_report("lead score", SCORES, OUTCOMES, baseline=other)


def test_the_html_page_holds_the_figures_a_chart_and_the_segment_table() -> None:
    truth = score_report("true model", [s * 0.9 for s in SCORES], OUTCOMES, {"region": REGION})
    report = score_report("lead score", SCORES, OUTCOMES, {"region": REGION}, baseline=truth)
    page = report_html("Lead score <demo>", [report], notes=["cutoff 2026-06-30"])
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "Lead score &lt;demo&gt;" in page and "cutoff 2026-06-30" in page
    assert page.count("<svg") == 1 and 'class="diagonal"' in page
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    assert ElementTree.fromstring(svg).tag.endswith("svg")  # well-formed
    assert page.count("<circle") == len(report.reliability) + len(truth.reliability)
    assert f"{15 / 21:.3f}" in page and "0.2290" in page  # AUC and Brier
    assert f"{7 / 9:.3f}" in page  # north's AUC in the segment table
    assert "AUC, true model" in page and "<td>north</td>" in page
