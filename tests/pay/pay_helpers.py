"""A small company for the pay lifecycle: two reps and a manager on monthly commission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from attain.audit.actor import Actor
from attain.comp.runs import calculate_run
from attain.data.schema import Deal, Person, PlanAssignment
from attain.data.store import session
from attain.pay import publish_run

PLAN = """
id: ae
currency: USD
period: month
credits:
  - id: owner
    from: deals
    where: stage == "closed_won"
    to: owner
    value: amount
    date: close_date
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""

FINANCE = Actor("fay", "finance")
PREPARER = Actor("pat", "finance")
MANAGER = Actor("mia", "manager")
ADMIN = Actor("ada", "admin")


def deal(id: str, owner: str, amount: str, day: dt.date, **more: object) -> Deal:
    return Deal(
        id=id,
        owner=owner,
        stage="closed_won",
        amount=Decimal(amount),
        currency="USD",
        close_date=day,
        **more,
    )


def seed(url: str) -> None:
    d = dt.date
    with session(url) as s:
        s.add_all(
            [
                Person(id="ana", name="Ana Reyes", manager="mia"),
                Person(id="ben", name="Ben Ode", manager="mia"),
                Person(id="mia", name="Mia Holt"),
            ]
        )
        s.add_all(
            [PlanAssignment(payee=p, plan="ae", valid_from=d(2027, 1, 1)) for p in ("ana", "ben")]
        )
        s.add_all(
            [
                deal("d1", "ana", "10000", d(2027, 1, 10)),
                deal("d2", "ana", "5000", d(2027, 1, 20)),
                deal("d3", "ben", "8000", d(2027, 1, 15)),
                deal("d4", "ana", "2000", d(2027, 2, 5)),
            ]
        )


def run_and_publish(url: str, plans: Path, end: dt.date = dt.date(2027, 2, 28)) -> str:
    summary = calculate_run(plans, dt.date(2027, 1, 1), end, url=url)
    publish_run(url, summary.id, FINANCE)
    return summary.id


def approve_and_close(url: str, period: str) -> None:
    """The month's routine: prepared by one person, approved by a manager and finance, closed."""
    from attain.pay import approve_period, close_period, prepare_period

    prepare_period(url, period, PREPARER)
    approve_every_team(url, period)
    approve_period(url, period, FINANCE)
    close_period(url, period, FINANCE)


def approve_every_team(url: str, period: str) -> None:
    """The manager level: mia approves her team, an admin whatever waits for nobody else."""
    from attain.pay import approve_period
    from attain.pay.approvals import approval_cover, manager_progress

    if approval_cover(url, period, MANAGER).lines:
        approve_period(url, period, MANAGER)
    if not manager_progress(url, period).complete:
        approve_period(url, period, ADMIN)


def payable(url: str, period: str, payee: str | None = None) -> dict[tuple[str, str], Decimal]:
    """(payee, kind) -> amount of a period's ledger."""
    from attain.pay import ledger_lines

    out: dict[tuple[str, str], Decimal] = {}
    for ln in ledger_lines(url, period=period, payee=payee):
        out[(ln.payee, ln.kind)] = out.get((ln.payee, ln.kind), Decimal(0)) + ln.amount
    return out
