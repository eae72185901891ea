"""The shipped example rules speak the demo company's words: its stage catalog and ticket
steps; and the demo's deals and tickets follow the rules its generator guarantees."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

import attain.process.conformance as conformance
from attain.data.synth import SynthSpec, generate
from attain.data.synth.deals import stage_catalog_table
from attain.data.synth.tickets import STEPS
from attain.process.calendar import WorkCalendar
from attain.process.conformance import OrderRule, check, example_rules
from attain.process.log import EventLog, from_arrow


def _named(name: str) -> set[str]:
    return {a for rule in example_rules(name).rules for a, _ in rule.named}


def test_the_deal_rules_follow_the_stage_catalog_in_its_order() -> None:
    catalog = sorted(stage_catalog_table().to_pylist(), key=lambda s: s["position"])
    assert _named("deals") <= {s["name"] for s in catalog}
    order = example_rules("deals").rule("stages in order")
    assert isinstance(order, OrderRule)
    assert list(order.activities) == [s["name"] for s in catalog if s["category"] != "lost"]


def test_the_ticket_rules_name_the_demo_ticket_steps() -> None:
    assert _named("tickets") <= set(STEPS)


def test_the_public_names_are_there() -> None:
    assert all(hasattr(conformance, name) for name in conformance.__all__)


def _log(name: str, events: pa.Table, case: str, label: str) -> EventLog:
    activity = "to_stage" if name == "deals" else "activity"
    return from_arrow(
        name,
        pa.table({"case_id": events[case], "activity": events[activity], "at": events["at"]}),
        case_label=label,
    )


@pytest.fixture(scope="module")
def demo() -> dict[str, pa.Table]:
    return generate(SynthSpec(seed=5, b2b_reps=4, years=1, start=dt.date(2025, 1, 1))).tables


def test_the_demo_deals_climb_the_stages_as_the_rules_want(demo: dict[str, pa.Table]) -> None:
    report = check(_log("deals", demo["deal_stage_events"], "deal", "deal"), example_rules("deals"))
    assert report.warnings == ()
    assert report.cases == demo["deals"].num_rows
    held = {"stages in order", "no win without proposal", "no win without negotiation"}
    held |= {"starts at prospecting", "one proposal"}
    assert {r.name for r in report.rules if r.violating == 0} >= held
    assert report.rule("no win without proposal").cases_checked > 0


def test_the_demo_tickets_walk_their_steps_as_the_rules_want(demo: dict[str, pa.Table]) -> None:
    utc = WorkCalendar("utc", "UTC", frozenset(range(5)), dt.time(9), dt.time(17))
    log = _log("tickets", demo["ticket_events"], "ticket", "ticket")
    report = check(log, example_rules("tickets"), default_calendar=utc)
    assert report.warnings == ()
    held = {"steps in order", "no close without resolution", "opened first"}
    assert {r.name for r in report.rules if r.violating == 0} >= held
    assert report.rule("first response within 4 business hours").cases_checked == report.cases
