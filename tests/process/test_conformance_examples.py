"""The shipped example rules speak the demo company's words: its stage catalog and ticket
steps; and the demo's deals and tickets follow the rules its generator guarantees."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

import attain.process.conformance as conformance
from attain.data.stages import stage_catalog
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.data.synth.deals import stage_catalog_table
from attain.data.synth.tickets import STEPS
from attain.process.calendar import load_calendars
from attain.process.conformance import OrderRule, check, example_rules
from attain.process.store_logs import store_log


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


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A small generated company in a SQLite store."""
    company = generate(SynthSpec(seed=5, b2b_reps=4, years=1, start=dt.date(2025, 1, 1)))
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('conformance') / 'company.db'}")
    write_store(company, engine)
    return engine


def test_the_deal_rules_name_the_stores_stage_catalog(demo_store: Engine) -> None:
    assert _named("deals") <= {name for name, _ in stage_catalog(demo_store).stages}


def test_the_demo_deals_climb_the_stages_as_the_rules_want(demo_store: Engine) -> None:
    log = store_log(demo_store, "deals")
    report = check(log, example_rules("deals"))
    assert report.warnings == ()
    assert report.currency == "USD" and report.value_at_risk is not None
    held = {"stages in order", "no win without proposal", "no win without negotiation"}
    held |= {"starts at prospecting", "one proposal"}
    assert {r.name for r in report.rules if r.violating == 0} >= held
    assert report.rule("no win without proposal").cases_checked > 0
    slow = report.rule("won within 90 days")  # the demo's sales cycles vary: some stall
    assert slow.violating > 0 and slow.value_at_risk == report.value_at_risk > 0


def test_the_demo_tickets_walk_their_steps_as_the_rules_want(demo_store: Engine) -> None:
    calendars = load_calendars(demo_store)
    assert calendars  # the demo company works by a calendar per region
    log = store_log(demo_store, "tickets")
    report = check(log, example_rules("tickets"), calendars=calendars)
    assert report.warnings == ()
    held = {"steps in order", "no close without resolution", "opened first"}
    assert {r.name for r in report.rules if r.violating == 0} >= held
    first = report.rule("first response within 4 business hours")
    assert first.cases_checked == report.cases
    elapsed = check(log, example_rules("tickets"))
    slower = elapsed.rule("first response within 4 business hours")
    assert slower.violating > first.violating  # nights and weekends count on the clock
