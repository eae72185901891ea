"""The what-if is the engine's own answer: pay with the deals won minus pay without them.

The store's stages are spelled as a real CRM spells them ("Engaging", "Won", "Lost"); the plan
pays in USD; one open deal is in EUR and one closes next year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

from attain.cli import app
from attain.comp.errors import PlanError
from attain.comp.language import load_plans
from attain.comp.runs import calculate_run
from attain.comp.whatif import open_deals, what_if
from attain.data.schema import Deal, DealStage, FxRate, Person, PlanAssignment, Quota
from attain.data.store import get_engine, session

D = Decimal
TODAY = dt.date(2026, 12, 1)
PLAN = """
id: ae
currency: USD
period: month
credits:
  - id: owner
    from: deals
    where: stage == "Won"
    to: owner
    value: amount
    currency: currency
    date: close_date
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    window: year
    tier_basis: attainment
    tier_mode: marginal
    tiers: [{from: 0, rate: 0.05}, {from: 1.0, rate: 0.12}]
  - {id: club, amount: 2500, window: year, gate: attainment(bookings) >= 1.0}
"""
CRM_STAGES = (("Prospecting", "open"), ("Engaging", "open"), ("Won", "won"), ("Lost", "lost"))


def _deal(id_: str, owner: str, stage: str, amount: str, currency: str, close: dt.date) -> Deal:
    return Deal(
        id=id_,
        name=f"deal {id_}",
        owner=owner,
        stage=stage,
        amount=D(amount),
        currency=currency,
        close_date=close,
    )


def _seed(url: str, catalog: bool) -> None:
    d = dt.date
    with session(url) as s:
        s.add_all([Person(id="ana", name="Ana"), Person(id="ben", name="Ben")])
        if catalog:
            s.add_all(
                DealStage(name=n, position=i, category=c) for i, (n, c) in enumerate(CRM_STAGES)
            )
        s.add_all(
            Quota(payee=p, measure="bookings", period=y, amount=D("100000"))
            for p in ("ana", "ben")
            for y in ("2026", "2027")
        )
        s.add_all(
            [
                FxRate(currency="EUR", month="2026-12", rate=D("1.10")),
                FxRate(currency="EUR", month="2027-01", rate=D("1.20")),
            ]
        )
        s.add_all(
            [
                _deal("w1", "ana", "Won", "80000", "USD", d(2026, 11, 10)),
                _deal("l1", "ana", "Lost", "99000", "USD", d(2026, 12, 3)),
                _deal("o1", "ana", "Engaging", "30000", "EUR", d(2026, 12, 15)),
                _deal("o2", "ana", "Prospecting", "20000", "USD", d(2027, 1, 20)),
                _deal("o3", "ana", "Prospecting", "5000", "USD", d(2026, 12, 20)),
                _deal("b1", "ben", "Engaging", "10000", "USD", d(2026, 12, 10)),
            ]
        )
        s.add_all(
            PlanAssignment(payee=p, plan="ae", valid_from=d(2026, 1, 1), valid_to=None)
            for p in ("ana", "ben")
        )


def _engine_lines(plans: Path, url: str) -> dict[tuple[str, str, str], Decimal]:
    """A full run of every payee over December and January, as the store stands."""
    summary = calculate_run(plans, dt.date(2026, 12, 1), dt.date(2027, 1, 31), url=url, keep=False)
    assert summary.result is not None
    return {
        (ln.plan, ln.component, ln.period): ln.amount
        for ln in summary.result.lines
        if ln.payee == "ana"
    }


@pytest.mark.parametrize("catalog", [True, False], ids=["catalog", "empty-catalog"])
def test_estimate_is_the_difference_of_two_engine_runs(
    store_url: str, tmp_path: Path, catalog: bool
) -> None:
    _seed(store_url, catalog)
    engine = get_engine(store_url)
    plans = tmp_path / "ae.yaml"
    plans.write_text(PLAN)

    result = what_if(engine, load_plans(PLAN), "ana", ["o1", "o2"], on=TODAY)

    before = _engine_lines(plans, store_url)
    with engine.begin() as conn:
        conn.execute(update(Deal).where(Deal.id.in_(["o1", "o2"])).values(stage="Won"))
    after = _engine_lines(plans, store_url)
    expected = {
        k: after.get(k, D(0)) - before.get(k, D(0))
        for k in before.keys() | after.keys()
        if after.get(k, D(0)) != before.get(k, D(0))
    }
    got = {(x.plan, x.component, x.period): x.extra for x in result.estimates if x.extra}
    assert got == expected
    assert {x.currency for x in result.estimates} == {"USD"}
    by_key = {(x.component, x.period): x for x in result.estimates}
    # The EUR deal lands in December at December's rate (33,000 USD, not 30,000) ...
    december = by_key["commission", "2026-12"]
    assert (december.measure_now, december.measure_then) == (None, D("113000"))
    assert (december.tier_then, december.tiers) == (1, 2)
    # ... and the deal closing in January is January's, not this year's.
    january = by_key["commission", "2027-01"]
    assert (january.measure_now, january.measure_then) == (None, D("20000"))
    # 80,000 + 33,000 crosses the 100,000 quota in December: 5% to quota, 12% above.
    assert december.extra == D("20000") * D("0.05") + D("13000") * D("0.12")
    assert by_key["club", "2026-12"].extra == D("2500.00")


def test_an_amount_is_priced_as_one_more_won_deal_today(store_url: str) -> None:
    _seed(store_url, catalog=True)
    engine = get_engine(store_url)
    result = what_if(engine, load_plans(PLAN), "ana", amount=D("10000"), on=TODAY)
    extra = {(x.component, x.period): x.extra for x in result.estimates if x.extra}
    assert extra == {("commission", "2026-12"): D("500.00")}


def test_a_year_without_a_quota_is_said_and_the_others_priced(store_url: str) -> None:
    _seed(store_url, catalog=True)
    engine = get_engine(store_url)
    with engine.begin() as conn:
        conn.execute(delete(Quota).where(Quota.period == "2027"))
    result = what_if(engine, load_plans(PLAN), "ana", ["o1", "o2"], on=TODAY)
    assert {x.period for x in result.estimates} == {"2026-12"}
    assert sum(x.extra for x in result.estimates) == D("2560.00") + D("2500.00")
    (problem,) = result.problems
    assert problem.startswith("o2 (closing in 2027) not priced: plan ae")
    assert "no quota for payee ana, measure bookings, period 2027" in problem


def test_the_page_reads_only_the_payees_rows_and_gets_the_same(
    store_url: str, tmp_path: Path
) -> None:
    from attain.comp.whatif import estimate

    _seed(store_url, catalog=True)
    plans = tmp_path / "ae.yaml"
    plans.write_text(PLAN)
    calculate_run(plans, dt.date(2026, 1, 1), dt.date(2026, 11, 30), url=store_url)  # published
    engine = get_engine(store_url)
    page = estimate(engine, "ana", ["o1", "o2"], D(0), TODAY)
    full = what_if(engine, load_plans(PLAN), "ana", ["o1", "o2"], on=TODAY)
    assert page.estimates == full.estimates and sum(x.extra for x in page.estimates) > 0


def test_a_month_without_a_rate_yet_takes_the_latest_rate(store_url: str) -> None:
    _seed(store_url, catalog=True)
    engine = get_engine(store_url)
    with engine.begin() as conn:
        conn.execute(delete(FxRate).where(FxRate.month == "2026-12"))
        conn.execute(
            update(FxRate).where(FxRate.month == "2027-01").values(month="2026-11", rate=D("1.10"))
        )
    result = what_if(engine, load_plans(PLAN), "ana", ["o1"], on=TODAY)
    assert result.notes == ("EUR after 2026-11 is converted at 2026-11's rate (none known yet)",)
    december = {x.component: x for x in result.estimates if x.period == "2026-12"}
    assert december["commission"].measure_then == D("113000")  # 80,000 + 30,000 x 1.10
    assert result.problems == ()


def test_only_open_deals_of_the_payee_can_be_taken_as_won(store_url: str) -> None:
    _seed(store_url, catalog=True)
    engine = get_engine(store_url)
    with pytest.raises(PlanError, match="not an open deal of ana: b1, l1, w1"):
        what_if(engine, load_plans(PLAN), "ana", ["w1", "l1", "b1", "o1"], on=TODAY)


@pytest.mark.parametrize("catalog", [True, False], ids=["catalog", "empty-catalog"])
def test_open_deals_list_no_won_or_lost_deal(store_url: str, catalog: bool) -> None:
    _seed(store_url, catalog)
    deals = open_deals(get_engine(store_url), "ana")
    assert [d.id for d in deals] == ["o1", "o2", "o3"]  # biggest first; w1 and l1 are closed
    assert {d.stage for d in deals} == {"Engaging", "Prospecting"}


def test_cli_prints_each_line_and_the_extra_pay(sqlite_url: str, tmp_path: Path) -> None:
    _seed(sqlite_url, catalog=True)
    plans = tmp_path / "ae.yaml"
    plans.write_text(PLAN)
    args = ["comp", "whatif", "ana", "--deal", "o1", "--plans", str(plans), "--on", "2026-12-01"]
    out = CliRunner().invoke(app, [*args, "--db", sqlite_url])
    assert out.exit_code == 0, out.output
    assert "extra pay: 5,060.00 USD" in out.output  # 1,000 + 1,560 + the 2,500 club bonus
    bad = CliRunner().invoke(app, [*args[:3], "--deal", "w1", "--db", sqlite_url])
    assert bad.exit_code == 2
    assert "not an open deal of ana: w1" in bad.output
