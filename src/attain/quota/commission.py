"""What a set of quotas would have cost in commission, given what each payee actually sold.

Priced by the compensation engine: the quotas are put in place of the published ones, the plans
are calculated over the quota year, and the payout lines are added up. Without plans of its own
the backtest uses a standard account executive plan, written in the plan language below.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal

import duckdb
import pyarrow as pa

from attain.quota.history import PLANNING_CURRENCY
from attain.quota.plan import QuotaSet

STANDARD_PLAN_NAME = "standard AE plan: 10% of bookings to quota, 15% above (year to date)"
STANDARD_PLAN_TEXT = """
id: quota_backtest_ae
currency: USD
period: month
credits:
  - id: owner
    from: deals
    where: stage in ({won})
    to: owner
    value: amount
    currency: currency
    date: close_date
    splits: {from: deal_splits, key: deal, payee: payee, share: share}
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    window: year
    tier_basis: attainment
    tier_mode: marginal
    tiers: [{from: 0, rate: 0.10}, {from: 1.0, rate: 0.15}]
"""


def standard_plan(con: duckdb.DuckDBPyConnection) -> str:
    """The standard plan, crediting the deals in a won stage of the store's catalog (the
    `stage_categories` table that `open_store` writes)."""
    won = [r[0] for r in con.execute(STANDARD_WON_SQL).fetchall()]
    return STANDARD_PLAN_TEXT.replace("{won}", ", ".join(json.dumps(n) for n in won) or '""')


STANDARD_WON_SQL = "SELECT stage FROM stage_categories WHERE category = 'won' ORDER BY stage"


def commission_cost(
    con: duckdb.DuckDBPyConnection,
    quotas: QuotaSet,
    payees: Iterable[str],
    plans: str | None = None,
) -> Decimal:
    """Total commission `payees` would have earned in the quota year under `plans` (default: the
    standard plan) with these quotas. `con` holds the store's deals, deal_splits, fx_rates and
    people; its `quotas` table is replaced by these quotas, at every period length a plan may
    ask for, in PLANNING_CURRENCY.
    """
    import ibis

    from attain.comp import calculate, load_plans

    chosen = set(payees)
    year = quotas.request.year
    rows = [
        line
        for periods in ("year", "quarter", "month")
        for line in quotas.lines(periods)
        if line.payee in chosen and line.amount > 0
    ]
    table = pa.table(
        {
            "payee": [x.payee for x in rows],
            "measure": [quotas.request.measure] * len(rows),
            "period": [x.period for x in rows],
            "amount": pa.array([x.amount for x in rows], pa.decimal128(24, 6)),
            "currency": pa.array([PLANNING_CURRENCY] * len(rows), pa.string()),
        }
    )
    con.register("q_new_quotas", table)
    con.execute("CREATE OR REPLACE TABLE quotas AS SELECT * FROM q_new_quotas")
    con.unregister("q_new_quotas")
    plan_list = load_plans(plans if plans is not None else standard_plan(con))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    priced = {x.payee for x in rows}
    assignments = [
        {"payee": p, "plan": plan.id, "from": start, "to": end}
        for plan in plan_list
        for p in sorted(priced)
    ]
    if not assignments:
        return Decimal(0)
    result = calculate(ibis.duckdb.from_connection(con), plan_list, assignments, start, end)
    return sum((line.amount for line in result.lines), Decimal(0))
