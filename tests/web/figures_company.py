"""A tiny company whose figures are known by hand: two USD reps on a monthly plan with a yearly
quota (tiers on attainment), a EUR rep on a quarterly plan, their manager, named deals of a named
account, and a login per role. Paid from January to March 2027 and published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM, Actor
from attain.comp.runs import calculate_run
from attain.data.schema import Account, Deal, Person, PlanAssignment, Quota
from attain.data.store import get_engine, session
from attain.pay import publish_run

AE = """
id: ae
currency: USD
period: month
credits:
  - id: owner
    from: deals
    where: stage == "won"
    to: owner
    value: amount
    date: close_date
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    tiers: [{from: 0, rate: 0.05}, {from: 1.0, rate: 0.09}]
    tier_basis: attainment
    window: year
"""

EMEA = """
id: emea
currency: EUR
period: quarter
credits:
  - id: owner
    from: deals
    where: stage == "won"
    to: owner
    value: amount
    date: close_date
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""

FINANCE = Actor("fay", "finance")
START, END = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
TODAY = dt.date(2027, 4, 10)
"""The day the pages are looked at: March is the latest month paid, Q1 the latest quarter."""
PASSWORD = "figures-pass-1"
PERSON = {"rep": "ana", "manager": "mia"}


def plan_folder(folder: Path, *texts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for text in texts:
        plan_id = text.split("id: ", 1)[1].split("\n", 1)[0]
        (folder / f"{plan_id}.yaml").write_text(text)
    return folder


def _deal(id: str, name: str, owner: str, amount: str, currency: str, day: dt.date) -> Deal:
    return Deal(
        id=id,
        name=name,
        owner=owner,
        account="A1",
        stage="won",
        amount=Decimal(amount),
        currency=currency,
        close_date=day,
    )


def build(url: str, folder: Path) -> dict[str, str]:
    """Seed, pay and publish; returns an API token per role."""
    d = dt.date
    with session(url) as s:
        s.add_all(
            [
                Person(id="mia", name="Mia Holt"),
                Person(id="ana", name="Ana Reyes", manager="mia"),
                Person(id="ben", name="Ben Ode", manager="mia"),
                Person(id="eva", name="Eva Lind", manager="mia"),
                Account(id="A1", name="Acme Corp"),
            ]
        )
        s.add_all(
            [
                PlanAssignment(payee="ana", plan="ae", valid_from=START),
                PlanAssignment(payee="ben", plan="ae", valid_from=START),
                PlanAssignment(payee="eva", plan="emea", valid_from=START),
            ]
        )
        s.add_all(
            [
                Quota(payee=p, measure="bookings", period="2027", amount=Decimal(100000))
                for p in ("ana", "ben")
            ]
        )
        s.add_all(
            [
                _deal("D1", "Acme renewal", "ana", "60000", "USD", d(2027, 1, 10)),
                _deal("D2", "Acme expansion", "ana", "70000.123456", "USD", d(2027, 3, 5)),
                _deal("D3", "Acme pilot", "ben", "30000", "USD", d(2027, 2, 12)),
                _deal("D4", "Acme Europe", "eva", "40000", "EUR", d(2027, 2, 20)),
            ]
        )
    run = calculate_run(plan_folder(folder / "plans", AE, EMEA), START, END, url=url)
    publish_run(url, run.id, FINANCE)
    engine = get_engine(url)
    tokens = {}
    for role in ("admin", "finance", "manager", "rep"):
        add_user(engine, SYSTEM, role, PASSWORD, role, PERSON.get(role))
        tokens[role] = new_api_token(engine, SYSTEM, role)
    return tokens
