"""What a plan change would cost: the draft and the published plan on the same past period,
payee by payee, before anyone is paid by it."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import ibis
from sqlalchemy import Engine

from attain.comp.engine import calculate
from attain.comp.language import load_plans
from attain.comp.runs.inputs import store_assignments, store_tables_read
from attain.data.columnar import load_into_duckdb

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PayeeCost:
    payee: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass
class Simulation:
    """The published and draft plan's pay over one span: per payee and in total."""

    plan: str
    start: dt.date
    end: dt.date
    payees: list[PayeeCost] = field(default_factory=list)
    seconds: float = 0.0
    currency: str = ""
    """The draft's currency (what `after` is in)."""
    published_currency: str = ""
    """The published version's (what `before` is in); a change is only a difference when equal."""

    @property
    def comparable(self) -> bool:
        return self.currency == self.published_currency

    @property
    def before(self) -> Decimal:
        return sum((p.before for p in self.payees), ZERO)

    @property
    def after(self) -> Decimal:
        return sum((p.after for p in self.payees), ZERO)

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def _totals(
    con: ibis.BaseBackend, text: str, assignments: list[Any], start: dt.date, end: dt.date
) -> dict[str, Decimal]:
    result = calculate(con, load_plans(text), assignments, start, end)
    out: dict[str, Decimal] = {}
    for r in result.lines_table().select(["payee", "amount"]).to_pylist():
        out[r["payee"]] = out.get(r["payee"], ZERO) + r["amount"]
    return out


def simulate(
    engine: Engine, plan: str, published_text: str, draft_text: str, start: dt.date, end: dt.date
) -> Simulation:
    """Pay the span with both texts on the store's data; nothing is kept."""
    began = time.perf_counter()
    plans = load_plans(draft_text) + load_plans(published_text)
    assignments = store_assignments(engine, {plan})
    raw = duckdb.connect()
    try:
        load_into_duckdb(engine, raw, store_tables_read(engine, plans))
        con = ibis.duckdb.from_connection(raw)
        before = _totals(con, published_text, assignments, start, end)
        after = _totals(con, draft_text, assignments, start, end)
    finally:
        raw.close()
    sim = Simulation(
        plan,
        start,
        end,
        currency=next((p.currency for p in load_plans(draft_text) if p.id == plan), ""),
        published_currency=next(
            (p.currency for p in load_plans(published_text) if p.id == plan), ""
        ),
    )
    sim.payees = sorted(
        (
            PayeeCost(p, before.get(p, ZERO), after.get(p, ZERO))
            for p in before.keys() | after.keys()
        ),
        key=lambda c: (-abs(c.change), c.payee),
    )
    sim.seconds = time.perf_counter() - began
    return sim
