"""Expected commission expense of a forecast period, priced by the comp engine itself.

Method (commission at the expected outcome, not the mean of commission over outcomes): the
payees' published plans are run over the period on the store's rows as known at the as-of day,
with every open deal taken as won on its expected close date (moved into the rest of the
period) for p_close_in_period x its amount, and each owner's not-yet-created bookings as one
more won deal at the period's end. Every credit rule, split, tier, gate and cap of the plans
applies as in a real run. Because tiers and gates are not linear, this is the commission of the
expected bookings, which can differ from the expected commission (a gate just missed in the
expected case pays nothing here, though it pays in some outcomes). Nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import duckdb
import ibis
import pandas as pd
from sqlalchemy import Engine

from attain.comp.engine import calculate
from attain.comp.errors import PlanError
from attain.comp.language import Assignment, Plan, load_plans
from attain.comp.runs.inputs import store_assignments, store_tables_read
from attain.comp.whatif import _carry_rates_forward, published_plans
from attain.data.columnar import load_into_duckdb
from attain.forecasts.not_yet_created import NotYetCreated
from attain.forecasts.periods import ForecastPeriod
from attain.forecasts.pipeline_book import PipelineBook
from attain.quota.history import PLANNING_CURRENCY

LATER_DEAL = "not yet created"


def expected_commission(
    engine: Engine,
    book: PipelineBook,
    window: ForecastPeriod,
    as_of: dt.date,
    known: pd.DataFrame,
    open_deals: pd.DataFrame,
    later: NotYetCreated,
    plans: Sequence[Plan] | None = None,
) -> dict[str, float]:
    """Payee -> commission earned in the period at the expected outcome, planning currency.
    Empty when the store has no plans (published, or paid by its latest run) or they cannot be
    priced."""
    plans = list(plans) if plans is not None else _store_plans(engine)
    # Only plans paid on deals move with the pipeline; a B2C plan on orders (whose quotas for the
    # rest of the period may not exist yet) must not blank the forecast of the others.
    plans = [p for p in plans if "deals" in store_tables_read(engine, [p])]
    if not plans:
        return {}
    assignments = store_assignments(engine, {p.id for p in plans})
    if not assignments:
        return {}
    raw = duckdb.connect()
    try:
        load_into_duckdb(engine, raw, sorted({*store_tables_read(engine, plans), "deals"}))
        _as_expected(raw, book, window, as_of, known, open_deals, later)
        _carry_rates_forward(raw, window.end, set())  # a rate not known yet: the latest one
        lines = _priced(raw, plans, assignments, window)
    finally:
        raw.close()
    currency = {p.id: p.currency for p in plans}
    out: dict[str, float] = {}
    for line in lines:
        rate = book.rate(currency.get(line["plan"]) or PLANNING_CURRENCY, as_of)
        out[line["payee"]] = out.get(line["payee"], 0.0) + float(line["amount"]) * rate
    return out


def _priced(
    raw: duckdb.DuckDBPyConnection,
    plans: list[Plan],
    assignments: list[Assignment],
    window: ForecastPeriod,
) -> list[dict[str, Any]]:
    """The payout lines of all plans at once; if they cannot be priced together (say a quota of
    the period is missing for one plan's payees), each plan on its own, without those that fail."""
    backend = ibis.duckdb.from_connection(raw)

    def lines(some: list[Plan]) -> list[dict[str, Any]]:
        result = calculate(backend, some, assignments, window.start, window.end)
        found: list[dict[str, Any]] = (
            result.lines_table().select(["payee", "plan", "amount"]).to_pylist()
        )
        return found

    try:
        return lines(plans)
    except PlanError:
        if len(plans) == 1:
            return []
    priced: list[dict[str, Any]] = []
    for plan in plans:
        try:
            priced += lines([plan])
        except PlanError:
            continue
    return priced


def _store_plans(engine: Engine) -> list[Plan]:
    """The published plans, or those the latest run paid when none is published yet."""
    plans = published_plans(engine)
    if plans:
        return plans
    from attain.comp.runs.published import latest_run

    run = latest_run(engine)
    if run is None:
        return []
    texts = {v["id"]: v["text"] for v in json.loads(run.plans)}
    return [p for text in texts.values() for p in load_plans(text)]


def _as_expected(
    raw: duckdb.DuckDBPyConnection,
    book: PipelineBook,
    window: ForecastPeriod,
    as_of: dt.date,
    known: pd.DataFrame,
    open_deals: pd.DataFrame,
    later: NotYetCreated,
) -> None:
    """The deals table as known at `as_of`, open deals won for their expected amount."""
    won_stage = book.catalog.won_stage
    first_day = max(as_of + dt.timedelta(days=1), window.start)
    state = known[["deal", "stage", "amount", "close_date", "category"]].copy()
    state["close_date"] = pd.to_datetime(state["close_date"]).dt.date
    p = open_deals.set_index("deal")["p_close"]
    is_open = state["category"] == "open"
    state.loc[is_open, "amount"] = state.loc[is_open, "amount"] * state.loc[is_open, "deal"].map(
        p
    ).fillna(0.0)
    state.loc[is_open, "stage"] = won_stage
    state.loc[is_open, "close_date"] = [
        min(max(d, first_day), window.end) if d is not None and not pd.isna(d) else window.end
        for d in state.loc[is_open, "close_date"]
    ]
    state["amount"] = state["amount"].round(2).astype(str)
    raw.register("expected_state", state)
    raw.execute("DELETE FROM deals WHERE id NOT IN (SELECT deal FROM expected_state)")
    raw.execute(
        """UPDATE deals SET stage = s.stage, amount = CAST(s.amount AS DECIMAL(24, 6)),
                  close_date = s.close_date
           FROM expected_state s WHERE s.deal = deals.id"""
    )
    raw.unregister("expected_state")
    for owner, value in later.expected().items():
        if value > 0:
            raw.execute(
                "INSERT INTO deals (id, name, owner, amount, currency, stage, created, close_date)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    f"{LATER_DEAL} {owner}",
                    LATER_DEAL,
                    owner,
                    Decimal(str(round(value, 2))),
                    PLANNING_CURRENCY,
                    won_stage,
                    window.end,
                    window.end,
                ],
            )
