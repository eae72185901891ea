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

DOCS = Path(__file__).resolve().parents[2] / "docs" / "process.md"


def stated() -> dict[str, tuple[int, int]]:
    """rule: (cases checked, violating), as the table of docs/process.md states them."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("| rule in `bpic2012.yaml` |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines()[2:]]
    return {r[0].strip(): (int(r[2].replace(",", "")), int(r[3].replace(",", ""))) for r in rows}


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
    assert {r.name: (r.cases_checked, r.violating) for r in report.rules} == stated()
    assert len(stated()) == 8
    assert (report.cases, report.violating) == (13_087, 3_309)
    text = DOCS.read_text(encoding="utf-8")
    assert f"{report.violating:,} applications ({1 - report.share_conforming:.1%})" in text
    assert f"EUR {report.value_at_risk:,.0f} requested" in text


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
