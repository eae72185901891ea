"""The demo company is paid by its plans: every seller role assigned, every line explained."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from attain.comp.demo import ROLE_PLANS, assign_by_role, pay_step
from attain.comp.runs import run_lines
from attain.data.schema import Person, PlanAssignment
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, write_store
from attain.data.synth.demo import DemoContext


@pytest.fixture(scope="module")
def paid(tmp_path_factory: pytest.TempPathFactory) -> DemoContext:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'attain.db'}"
    spec = SynthSpec(seed=3, b2b_reps=12, b2c_associates=12, years=2, start=dt.date(2025, 3, 1))
    ctx = DemoContext(url=url, company=generate(spec))
    write_store(ctx.company, get_engine(url), replace=True)  # type: ignore[arg-type]
    pay_step(ctx)
    return ctx


def test_every_seller_role_is_on_its_plan(paid: DemoContext) -> None:
    engine = get_engine(paid.url)
    with engine.connect() as conn:
        people = {
            (p, r) for p, r in conn.execute(select(Person.id, Person.role)) if r in ROLE_PLANS
        }
        assigned = {(a.payee, a.plan) for a in conn.execute(select(PlanAssignment))}
    assert {(p, ROLE_PLANS[r]) for p, r in people} == assigned
    assert assign_by_role(engine) == len(assigned)  # idempotent: replaced, not doubled


def test_the_demo_run_pays_every_plan_and_each_line_is_explained(paid: DemoContext) -> None:
    run = paid.outputs["run"]
    assert run.span_from == dt.date(2026, 1, 1) and run.span_to == dt.date(2027, 2, 28)
    assert set(run.plans) == set(ROLE_PLANS.values())
    assert {ln.plan for ln in run.result.lines} == set(ROLE_PLANS.values())
    for line in run.result.lines:
        assert line.trace.reproduce() == line.amount, line
    stored = run_lines(get_engine(paid.url), run.id)
    assert len(stored) == run.lines
    assert sum((ln.amount for ln in stored), Decimal(0)) == run.total


def test_the_demo_run_is_published_into_the_ledger(paid: DemoContext) -> None:
    from attain.pay import ledger_lines
    from attain.pay.demo import publish_step

    publish_step(paid)
    published = paid.outputs["published"]
    assert published.run_id == paid.outputs["run"].id and published.true_ups == 0
    ledger = ledger_lines(paid.url)
    assert len(ledger) == published.lines > 0
    assert sum((ln.amount for ln in ledger), Decimal(0)) == paid.outputs["run"].total
