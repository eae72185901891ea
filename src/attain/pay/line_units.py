"""What a line's figures are in: its plan's currency, and whether its measure is money.

A line is paid in its plan's currency; a measure that sums the credit `value` is money in that
currency too, while a count or a sum of units is not. Read from the plan texts a run recorded, so
a figure is labelled as the run calculated it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from attain.comp.language import Plan
from attain.comp.runs.schema import CompRun
from attain.pay.runs import recorded_plans


@dataclass(frozen=True)
class LineUnits:
    """The currency of a line and of its measure (blank: not money), and its tiers' basis."""

    currency: str = ""
    measure_currency: str = ""
    tier_basis: str = "amount"


@dataclass(frozen=True)
class RunUnits:
    """The units of every plan and component of one run."""

    plans: dict[str, str]
    components: dict[tuple[str, str], LineUnits]
    kinds: dict[str, str] = field(default_factory=dict)
    """plan -> its period kind (week, month, quarter, year)."""

    def currency(self, plan: str) -> str:
        return self.plans.get(plan, "")

    def of(self, plan: str, component: str) -> LineUnits:
        found = self.components.get((plan, component))
        if found is not None:
            return found
        currency = self.currency(plan)
        return LineUnits(currency, currency)  # a draw or a component the plan no longer has


def plan_units(plans: list[Plan]) -> RunUnits:
    currencies: dict[str, str] = {}
    components: dict[tuple[str, str], LineUnits] = {}
    kinds: dict[str, str] = {}
    for plan in plans:
        currencies[plan.id] = plan.currency
        kinds[plan.id] = plan.period
        for c in plan.components:
            is_money = plan.measure_in_money(c.measure)
            components[(plan.id, c.id)] = LineUnits(
                plan.currency, plan.currency if is_money else "", c.tier_basis
            )
    return RunUnits(currencies, components, kinds)


_cache: dict[str, RunUnits] = {}
_lock = threading.Lock()


def run_units(run: CompRun | None) -> RunUnits:
    """The units of a run's plans (parsed once per run id in this process)."""
    if run is None:
        return RunUnits({}, {})
    with _lock:
        hit = _cache.get(run.id)
    if hit is not None:
        return hit
    units = plan_units(recorded_plans(run))
    with _lock:
        if len(_cache) > 200:
            _cache.clear()
        _cache[run.id] = units
    return units


def units_of_run(engine: Engine, run_id: str | None) -> RunUnits:
    """The same, by run id (blank units when the run is gone)."""
    if not run_id:
        return RunUnits({}, {})
    with engine.connect() as conn:
        row = conn.execute(select(CompRun).where(CompRun.id == run_id)).first()
    return run_units(CompRun(**row._mapping) if row is not None else None)


def payee_currencies(engine: Engine, payee: str) -> list[str]:
    """The currencies of the plans that ever paid `payee` into the ledger (for a line outside
    any plan, such as a manual adjustment: it is in the payee's currency when they have one)."""
    from attain.pay.schema import LedgerLine

    with engine.connect() as conn:
        pairs = conn.execute(
            select(LedgerLine.run_id, LedgerLine.plan)
            .where(LedgerLine.payee == payee, LedgerLine.run_id.is_not(None))
            .distinct()
        ).all()
    found = {units_of_run(engine, run_id).currency(plan) for run_id, plan in pairs}
    return sorted(found - {""})


def ledger_currencies(engine: Engine) -> dict[str, str]:
    """plan -> its currency, as the runs published into the ledger recorded it (newest wins)."""
    from attain.pay.schema import LedgerLine

    with engine.connect() as conn:
        pairs = conn.execute(
            select(LedgerLine.run_id, CompRun.created_at, LedgerLine.plan)
            .join(CompRun, CompRun.id == LedgerLine.run_id)
            .distinct()
        ).all()
    out: dict[str, str] = {}
    for run_id, _, plan in sorted(pairs, key=lambda r: r[1]):
        currency = units_of_run(engine, run_id).currency(plan)
        if currency:
            out[plan] = currency
    return out
