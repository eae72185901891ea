"""The same plans on DuckDB and inside PostgreSQL give the same lines, to the cent."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from attain.comp import calculate, load_plans
from attain.comp.cases import Case, arrow_tables, duckdb_backend, postgres_backend

PLANS = """
- id: ae
  currency: USD
  period: month
  credits:
    - id: owner
      from: deals
      where: stage == "closed_won"
      to: owner
      value: amount
      currency: currency
      date: close_date
      splits: {from: deal_splits, key: deal, payee: payee, share: share}
      clawback: {date: cancelled_date, within_days: 90}
  measures:
    bookings: {sum: value}
    new_logos: {count: true, where: type == "new"}
  components:
    - {id: commission, measure: bookings, window: year, tier_basis: attainment,
       tiers: [{from: 0, rate: 0.05}, {from: 0.5, rate: 0.075}, {from: 1.0, rate: 0.1}]}
    - {id: logo_bonus, amount: 300, gate: new_logos >= 3}
  draw: {amount: 4000, recoverable: true}
- id: mgr
  currency: USD
  period: quarter
  credits:
    - {id: team, from: deals, where: stage == "closed_won", to: manager_of(owner),
       value: amount, currency: currency, date: close_date}
  measures:
    team: {sum: value}
  components:
    - {id: incentive, measure: team, target: 9000, curve: [[0, 0], [0.7, 0.5], [1.0, 1.0], [1.3, 1.9]], cap: 16000}
    - {id: retro, measure: team, tier_mode: retroactive, tiers: [{from: 0, rate: 0.001}, {from: 300000, rate: 0.002}]}
"""  # fmt: skip


def _company(seed: int = 7, deals: int = 400) -> Case:
    rng = random.Random(seed)
    reps = [f"r{i}" for i in range(8)]
    people = [{"id": "m1"}, {"id": "m2"}]
    for i, rep in enumerate(reps):
        people += [
            {"id": rep, "manager": "m1", "valid_to": date(2027, 5, 31)},
            {"id": rep, "manager": "m2" if i % 2 else "m1", "valid_from": date(2027, 6, 1)},
        ]
    rows, splits = [], []
    for i in range(deals):
        close = date(2027, 1, 1) + timedelta(days=rng.randrange(365))
        rows.append({
            "id": f"d{i}", "owner": rng.choice(reps),
            "amount": Decimal(rng.randrange(-50000, 9000000)) / 100,
            "currency": rng.choice(["USD", "USD", "EUR", None]),
            "stage": rng.choice(["closed_won", "closed_won", "closed_lost"]),
            "type": rng.choice(["new", "renewal"]), "close_date": close,
            "cancelled_date": close + timedelta(days=rng.randrange(200)) if rng.random() < 0.1 else None,
        })  # fmt: skip
        if rng.random() < 0.15:
            share = Decimal(rng.randrange(1, 100)) / 100
            splits += [
                {"deal": f"d{i}", "payee": rng.choice(reps), "share": share},
                {"deal": f"d{i}", "payee": rng.choice(reps), "share": 1 - share},
            ]
    fx = [{"currency": "EUR", "month": f"2027-{m:02d}", "rate": (1 + Decimal(m) / 97).quantize(Decimal("0.000001"))}
          for m in range(1, 13)]  # fmt: skip
    fx += [{"currency": "EUR", "month": "2028-01", "rate": Decimal("1.1")}]
    quotas = [
        {"payee": r, "measure": "bookings", "period": y, "amount": Decimal(2500000)}
        for r in reps
        for y in ("2027", "2028")
    ]
    quotas += [{"payee": m, "measure": "team", "period": q, "amount": Decimal(3000000 + 1000 * i)}
               for i, m in enumerate(("m1", "m2"))
               for q in ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1")]  # fmt: skip
    tables = {
        "people": people,
        "deals": rows,
        "deal_splits": splits,
        "fx_rates": fx,
        "quotas": quotas,
    }
    return Case("parity", "", tables, [], [], (), None)


@pytest.mark.postgres
def test_duckdb_and_postgres_agree_to_the_cent(postgres_server: str) -> None:
    case = _company()
    plans = load_plans(PLANS)
    assignments = [
        {"payee": f"r{i}", "plan": "ae", "from": date(2027, 1, 1), "to": None} for i in range(8)
    ]
    assignments += [
        {"payee": m, "plan": "mgr", "from": date(2027, 1, 1), "to": None} for m in ("m1", "m2")
    ]
    span = (date(2027, 1, 1), date(2028, 1, 31))
    with duckdb_backend() as connect:
        on_duckdb = calculate(connect(arrow_tables(case)), plans, assignments, *span).materialise()
    with postgres_backend(postgres_server) as connect:
        on_postgres = calculate(
            connect(arrow_tables(case)), plans, assignments, *span
        ).materialise()
    lines = [(ln.payee, ln.plan, ln.period, ln.component, ln.amount) for ln in on_duckdb.lines]
    assert len(lines) > 100
    assert {ln[3] for ln in lines} >= {"commission", "draw", "logo_bonus", "incentive", "retro"}
    assert lines == [
        (ln.payee, ln.plan, ln.period, ln.component, ln.amount) for ln in on_postgres.lines
    ]
    assert sorted(c.credit_id for c in on_duckdb.credits) == sorted(
        c.credit_id for c in on_postgres.credits
    )
