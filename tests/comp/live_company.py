"""A small company for the live-equals-full tests: reps on a monthly year-to-date plan with
splits, clawbacks and deals in three currencies, first-line managers on a quarterly override
with a gated team bonus and a recoverable draw, and a second-line manager on a capped
override of the whole company.
Seeded, paid for the first half of 2027 and published; `reset` puts the data back as seeded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert

from attain.audit.actor import Actor
from attain.comp.live import LiveLine, LivePayee
from attain.comp.runs import calculate_run
from attain.data.schema import Deal, DealSplit, FxRate, Person, PlanAssignment, Quota
from attain.data.store import get_engine
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
    currency: currency
    date: close_date
    splits: {from: deal_splits, key: deal, payee: payee, share: share}
    clawback: {date: cancelled_date, within_days: 90}
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    window: year
    tier_basis: attainment
    tier_mode: marginal
    tiers: [{from: 0, rate: 0.06}, {from: 1.0, rate: 0.09}, {from: 1.5, rate: 0.12}]
"""

MANAGER = """
id: manager
currency: USD
period: quarter
credits:
  - id: team
    from: deals
    where: stage == "won"
    to: manager_of(owner)
    value: amount
    currency: currency
    date: close_date
measures:
  bookings: {sum: value, credit: team}
components:
  - {id: override, measure: bookings, rate: 0.015}
  - {id: team_bonus, amount: 5000, gate: attainment(bookings) >= 1.0}
draw: {amount: 3000, recoverable: true}
"""

DIRECTOR = """
id: director
currency: USD
period: quarter
credits:
  - id: org
    from: deals
    where: stage == "won"
    to: manager_of(manager_of(owner))
    value: amount
    currency: currency
    date: close_date
measures:
  bookings: {sum: value}
components:
  - {id: override, measure: bookings, rate: 0.01, cap: 2500}
"""

START, END = dt.date(2027, 1, 1), dt.date(2027, 6, 30)
MONTHS = [f"2027-{m:02d}" for m in range(1, 7)]
REPS = ("ana", "ben", "cal", "dee")
MANAGERS = ("mia", "max")
PAYEES = (*REPS, *MANAGERS, "vic")
CURRENCIES = ("USD", "EUR", "GBP")
D = Decimal
OPEN = dt.date(1900, 1, 1)

PEOPLE = [
    {"id": "vic", "manager": None},
    {"id": "mia", "manager": "vic"},
    {"id": "max", "manager": "vic"},
    {"id": "ana", "manager": "mia"},
    {"id": "ben", "manager": "mia"},
    {"id": "cal", "manager": "max"},
    {"id": "dee", "manager": "max"},
]
QUOTAS = [
    *[{"payee": p, "measure": "bookings", "period": "2027", "amount": D(200000)} for p in REPS],
    *[
        {"payee": m, "measure": "bookings", "period": f"2027-Q{q}", "amount": D(150000)}
        for m in MANAGERS
        for q in (1, 2)
    ],
]
RATES = {"EUR": D("1.10"), "GBP": D("1.25")}
FX = [{"currency": c, "month": m, "rate": r} for c, r in RATES.items() for m in MONTHS]


def _deal(
    id: str, owner: str, amount: str, currency: str, day: dt.date, stage: str = "won"
) -> dict[str, Any]:
    return {
        "id": id,
        "name": id,
        "owner": owner,
        "amount": D(amount),
        "currency": currency,
        "stage": stage,
        "close_date": day,
        "cancelled_date": None,
    }


d = dt.date
DEALS = [
    _deal("D1", "ana", "120000.00", "USD", d(2027, 1, 15)),
    _deal("D2", "ana", "95000.50", "EUR", d(2027, 3, 3)),
    _deal("D3", "ben", "40000.00", "USD", d(2027, 2, 20)),
    _deal("D4", "cal", "80000.00", "GBP", d(2027, 4, 9)),
    _deal("D5", "dee", "150000.00", "USD", d(2027, 5, 30)),
    _deal("D6", "ben", "60000.00", "USD", d(2027, 6, 1), stage="open"),
]
SPLITS = [
    {"deal": "D3", "payee": "ben", "share": D("0.6")},
    {"deal": "D3", "payee": "cal", "share": D("0.4")},
]
ASSIGNMENTS = [
    *[{"payee": p, "plan": "ae", "valid_from": START} for p in REPS],
    *[{"payee": m, "plan": "manager", "valid_from": START} for m in MANAGERS],
    {"payee": "vic", "plan": "director", "valid_from": START},
]


def plan_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("ae", AE), ("manager", MANAGER), ("director", DIRECTOR)):
        (folder / f"{name}.yaml").write_text(text)
    return folder


def reset(engine: Engine) -> None:
    """The data as seeded, and no live lines (the published run stays)."""
    with engine.begin() as conn:
        for model in (LiveLine, LivePayee, DealSplit, Deal, Quota, FxRate, Person):
            conn.execute(delete(model))
        conn.execute(insert(Person), [{**p, "valid_from": OPEN, "valid_to": None} for p in PEOPLE])
        conn.execute(insert(Quota), QUOTAS)
        conn.execute(insert(FxRate), FX)
        conn.execute(insert(Deal), DEALS)
        conn.execute(insert(DealSplit), SPLITS)


def build(url: str, folder: Path) -> Path:
    """Seed, calculate the first half of 2027 and publish it; returns the plans folder."""
    engine = get_engine(url)
    reset(engine)
    with engine.begin() as conn:
        conn.execute(insert(PlanAssignment), ASSIGNMENTS)
    plans = plan_folder(folder / "plans")
    run = calculate_run(plans, START, END, url=url)
    publish_run(url, run.id, Actor("fay", "finance"))
    return plans
