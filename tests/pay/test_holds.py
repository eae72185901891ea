"""Holds: earned now, paid when the source row's date is set, in the period that contains it
(the plan of cases/comp/17-hold-until-paid.yaml)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pay_helpers import FINANCE, approve_and_close, payable
from sqlalchemy import update

from attain.comp.runs import calculate_run
from attain.data.schema import Deal, Person, PlanAssignment, Quota
from attain.data.store import session
from attain.pay import PayError, ledger_lines, publish_run
from attain.pay.statements import statement

D = Decimal
PLAN = """
id: ae
currency: USD
period: month
credits:
  - {id: owner, from: deals, where: stage == "closed_won", to: owner, value: amount,
     date: close_date, hold: {until: paid_date}}
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    tier_basis: attainment
    tiers: [{from: 0, rate: 0.05}, {from: 1.0, rate: 0.10}]
"""


def _seed(url: str) -> None:
    d = dt.date
    with session(url) as s:
        s.add(Person(id="ana", name="Ana Reyes"))
        s.add(PlanAssignment(payee="ana", plan="ae", valid_from=d(2027, 1, 1)))
        s.add_all(
            [
                Quota(payee="ana", measure="bookings", period=f"2027-0{m}", amount=D("80000"))
                for m in range(1, 5)
            ]
        )
        for id_, amount, closed, paid in (
            ("d1", "60000", d(2027, 1, 10), d(2027, 1, 25)),
            ("d2", "40000", d(2027, 1, 20), d(2027, 3, 2)),
            ("d3", "50000", d(2027, 2, 14), None),
        ):
            s.add(
                Deal(
                    id=id_,
                    owner="ana",
                    stage="closed_won",
                    amount=D(amount),
                    currency="USD",
                    close_date=closed,
                    paid_date=paid,
                )
            )


def _publish(url: str, plans: Path) -> None:
    run = calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 4, 30), url=url)
    publish_run(url, run.id, FINANCE)


def test_held_pay_is_released_in_the_period_its_date_falls_in(
    store_url: str, tmp_path: Path
) -> None:
    plans = tmp_path / "ae.yaml"
    plans.write_text(PLAN)
    _seed(store_url)
    _publish(store_url, plans)
    # January earned 6,000 (case 17); d2 (40% of January's credited value) is unpaid until March 2
    assert payable(store_url, "2027-01") == {
        ("ana", "calculated"): D("6000"),
        ("ana", "held"): D("-2400"),
    }
    assert payable(store_url, "2027-02") == {
        ("ana", "calculated"): D("2500"),
        ("ana", "held"): D("-2500"),
    }
    assert payable(store_url, "2027-03") == {("ana", "release"): D("2400")}
    held = next(x for x in ledger_lines(store_url, period="2027-01") if x.kind == "held")
    assert held.comment == "held until 2027-03-02"
    s = statement(store_url, "ana", "2027-02", FINANCE)
    assert s.total == D("0.00") and s.held == D("2500.00") and s.held_outstanding == D("4900.00")

    approve_and_close(store_url, "2027-01")
    approve_and_close(store_url, "2027-02")
    with session(store_url) as s_:  # the customer pays d3 in April
        s_.execute(update(Deal).where(Deal.id == "d3").values(paid_date=dt.date(2027, 4, 3)))
    _publish(store_url, plans)
    assert payable(store_url, "2027-02") == {
        ("ana", "calculated"): D("2500"),
        ("ana", "held"): D("-2500"),
    }
    assert payable(store_url, "2027-04") == {("ana", "release"): D("2500")}
    april = statement(store_url, "ana", "2027-04", FINANCE)
    assert april.released == D("2500.00") and april.held_outstanding == D("0.00")
    assert april.year_to_date == D("8500.00")  # everything earned, all of it paid by April


def test_a_run_whose_data_changed_since_is_not_published_when_its_plans_hold_pay(
    sqlite_url: str, tmp_path: Path
) -> None:
    plans = tmp_path / "ae.yaml"
    plans.write_text(PLAN)
    _seed(sqlite_url)
    run = calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 4, 30), url=sqlite_url)
    with session(sqlite_url) as s:
        s.execute(update(Deal).where(Deal.id == "d3").values(paid_date=dt.date(2027, 2, 20)))
    with pytest.raises(PayError, match="calculate a new run"):
        publish_run(sqlite_url, run.id, FINANCE)
    plans.write_text(PLAN.replace(", hold: {until: paid_date}", ""))
    run = calculate_run(plans, dt.date(2027, 1, 1), dt.date(2027, 4, 30), url=sqlite_url)
    with session(sqlite_url) as s:
        s.execute(update(Deal).where(Deal.id == "d3").values(paid_date=None))
    published = publish_run(sqlite_url, run.id, FINANCE)  # no holds: publishable, not verifiable
    assert not published.verifiable and published.lines == 2
