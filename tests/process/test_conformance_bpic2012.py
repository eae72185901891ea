"""The shipped BPIC 2012 rules on the real log, every count verified by a plain-Python pass
over the parsed events (conformance_oracle), and the figures docs/process.md states."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conformance_oracle import judge, traces

from attain.process.conformance import ConformanceReport, check, example_rules
from attain.process.log import from_arrow
from attain.process.xes import read_xes

BPIC = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "bpic2012" / "bpic2012.xes.gz"
)

pytestmark = [pytest.mark.shared, pytest.mark.slow]

STATED = {
    # rule: (cases checked, violating), as docs/process.md states them
    "submitted first": (13_087, 0),
    "no approval without an offer sent": (2_246, 0),
    "registered before activated": (2_246, 941),
    "declined within 7 days": (7_635, 794),
    "one offer sent": (13_087, 1_438),
    "application states in order": (13_087, 1_714),
    "each offer is selected, created, then sent": (13_087, 0),
    "no fraud assessment": (13_087, 108),
}


@pytest.fixture(scope="module")
def bpic() -> tuple[ConformanceReport, list[dict[str, Any]], dict[str, Decimal]]:
    """The report on BPIC 2012, its events as rows, and each case's requested amount."""
    if not BPIC.is_file():
        pytest.skip(f"../shared is absent (looked for {BPIC.name} beside the project)")
    xes = read_xes(BPIC, amount="AMOUNT_REQ")
    log = from_arrow("bpic2012", xes.events, xes.cases, case_label="application", currency="EUR")
    report = check(log, example_rules("bpic2012"), limit=20_000)
    rows = xes.events.select(["case_id", "activity", "at", "position"]).to_pylist()
    amounts = dict(
        zip(xes.cases["case_id"].to_pylist(), xes.cases["amount"].to_pylist(), strict=True)
    )
    return report, rows, amounts


def test_the_counts_docs_state(bpic: tuple[ConformanceReport, Any, Any]) -> None:
    report = bpic[0]
    assert report.warnings == ()
    assert {r.name: (r.cases_checked, r.violating) for r in report.rules} == STATED
    assert (report.cases, report.violating) == (13_087, 3_309)


def test_every_rule_agrees_with_a_plain_python_pass(
    bpic: tuple[ConformanceReport, list[dict[str, Any]], dict[str, Decimal]],
) -> None:
    report, rows, amounts = bpic
    cases = traces(rows)
    rules = example_rules("bpic2012")
    anyrule: set[str] = set()
    for rule, result in zip(rules.rules, report.rules, strict=True):
        verdict = judge(rule, cases)
        assert {c.case_id: c.step for c in result.cases} == verdict.violating, rule.name
        assert result.cases_checked == len(verdict.checked), rule.name
        assert result.value_at_risk == sum((amounts[c] for c in verdict.violating), Decimal(0))
        anyrule |= set(verdict.violating)
    assert report.violating == len(anyrule)
    assert report.value_at_risk == sum((amounts[c] for c in anyrule), Decimal(0))
    started = {case: f"{evs[0][0]:%Y-%m}" for case, evs in cases.items()}
    per_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case, month in started.items():
        per_month[month][0] += 1
        per_month[month][1] += case in anyrule
    assert {m.month: [m.cases, m.violating] for m in report.by_month} == per_month
