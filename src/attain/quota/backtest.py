"""Which method would have set last year's quotas best: set year Y's quotas with each method from
history before Y, then score them against what happened in Y."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pandas as pd
from sqlalchemy import Engine

from attain.quota.commission import STANDARD_PLAN_NAME, commission_cost
from attain.quota.errors import QuotaError
from attain.quota.history import PLANNING_CURRENCY, History, load_history, open_store
from attain.quota.methods import METHODS, method
from attain.quota.metrics import score
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.truths import territory_potential

MIN_YEARS = 2
"""Full years of history before Y a backtest needs: one to learn from, one to check against."""


@dataclass
class Backtest:
    """Scores per method (rows) and the payee-level rows behind them."""

    year: int
    target: Decimal
    metrics: pd.DataFrame
    payees: dict[str, pd.DataFrame]
    potential_source: str
    commission_plan: str
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def backtest(
    engine: Engine,
    year: int,
    *,
    target: Decimal | None = None,
    over_assignment: float = 0.10,
    methods: tuple[str, ...] = tuple(METHODS),
    plans: str | None = None,
    plans_name: str = STANDARD_PLAN_NAME,
) -> Backtest:
    """Set `year`'s quotas with each method using only data before `year`, and score them.

    Commission is priced by the compensation engine under `plans` (plan-language text; by
    default the standard plan, crediting deals in the catalog's won stages).
    """
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    con = open_store(engine, extra=("synth_truths",))
    seconds["read store"] = time.perf_counter() - clock
    try:
        clock = time.perf_counter()
        history = load_history(con, year)
        check_enough_history(history)
        actuals = load_actuals(con, year)
        potential, source = territory_potential(con, year, history.territories)
        seconds["history and actuals"] = time.perf_counter() - clock
        request = PlanRequest(year=year, target=target, over_assignment=over_assignment)
        rows: list[dict[str, object]] = []
        payees: dict[str, pd.DataFrame] = {}
        warnings: list[str] = list(history.warnings)
        chosen_target: Decimal | None = None
        for name in methods:
            clock = time.perf_counter()
            quotas = method(name)(history, request)
            seconds[name] = time.perf_counter() - clock
            chosen_target = quotas.target
            frame = scored_payees(quotas, actuals, potential)
            payees[name] = frame
            metrics = score(frame[frame["quota"] > 0])
            metrics["quota_sum"] = float(quotas.total)
            metrics["quota_sum_vs_target"] = float(quotas.total / quotas.target)
            clock = time.perf_counter()
            cost = commission_cost(con, quotas, frame.loc[frame["quota"] > 0, "payee"], plans)
            metrics["commission"] = float(cost)
            seconds[f"{name} commission"] = time.perf_counter() - clock
            unscored = int((frame["quota"] <= 0).sum())
            if unscored:
                warnings.append(
                    f"{name}: {unscored} payee(s) with no quota are left out of the scores"
                )
            rows.append({"method": name, **metrics})
    finally:
        con.close()
    if chosen_target is None:
        raise QuotaError("choose at least one method")
    return Backtest(
        year=year,
        target=chosen_target,
        metrics=pd.DataFrame(rows).set_index("method"),
        payees=payees,
        potential_source=source,
        commission_plan=plans_name,
        warnings=warnings,
        seconds=seconds,
    )


def check_enough_history(history: History) -> None:
    """Refuse, with the reason, a backtest that would have nothing honest to learn from."""
    years = history.full_years()
    if len(years) < MIN_YEARS:
        have = "none" if not years else f"only {len(years)} ({', '.join(str(y) for y in years)})"
        first = history.first_month
        since = f"; bookings start {first:%Y-%m}" if first else "; no bookings at all"
        raise QuotaError(
            f"a backtest of {history.year} needs at least {MIN_YEARS} full years of history "
            f"before it and the store has {have}{since}: backtest a later year or import more "
            "history"
        )


def load_actuals(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """What each payee booked in `year` (exact, in PLANNING_CURRENCY) and whether they were in
    seat all year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE q_actual AS
        WITH won AS (
            SELECT d.id, d.owner, d.amount, d.currency, strftime(d.close_date, '%Y-%m') AS m
            FROM deals d JOIN stage_categories sc ON sc.stage = d.stage AND sc.category = 'won'
            WHERE d.close_date BETWEEN $first AND $last AND d.amount IS NOT NULL
              AND (d.cancelled_date IS NULL OR d.cancelled_date > $last)
        ), priced AS (
            SELECT won.id, won.owner,
                   won.amount * coalesce(fx.rate, CASE WHEN coalesce(won.currency, $base) = $base
                                                       THEN CAST(1 AS DECIMAL(24, 6)) END) AS usd
            FROM won ASOF LEFT JOIN fx_rates fx ON fx.currency = won.currency AND won.m >= fx.month
        )
        SELECT coalesce(s.payee, p.owner) AS payee,
               CAST(round(sum(p.usd * coalesce(s.share, 1)), 2) AS DECIMAL(24, 2)) AS actual
        FROM priced p LEFT JOIN deal_splits s ON s.deal = p.id
        GROUP BY ALL""",
        {"first": first, "last": last, "base": PLANNING_CURRENCY},
    )
    frame = con.execute(
        """
        SELECT a.payee, a.actual FROM q_actual a""",
    ).df()
    stayed = con.execute(
        """
        SELECT DISTINCT id FROM people
        WHERE valid_from <= $last AND (valid_to IS NULL OR valid_to >= $last)""",
        {"last": last},
    ).df()
    frame["in_seat_all_year"] = frame["payee"].isin(stayed["id"])
    out = pd.DataFrame({"payee": stayed["id"]}).merge(frame, on="payee", how="outer")
    out["in_seat_all_year"] = out["payee"].isin(stayed["id"])
    return out


def scored_payees(quotas: QuotaSet, actuals: pd.DataFrame, potential: pd.Series) -> pd.DataFrame:
    """Payees who had a quota and were still in seat at year end, with actual and potential."""
    frame = quotas.quotas[["payee", "territory", "amount", "low", "high"]].rename(
        columns={"amount": "quota"}
    )
    frame = frame.merge(actuals, on="payee", how="left")
    frame = frame[frame["in_seat_all_year"].fillna(False).astype(bool)].copy()
    frame["actual_exact"] = [Decimal(0) if pd.isna(v) else Decimal(str(v)) for v in frame["actual"]]
    frame["actual"] = frame["actual"].astype(float).fillna(0.0)
    heads = frame.groupby("territory")["payee"].transform("count")
    frame["potential"] = frame["territory"].map(potential).astype(float) / heads
    frame["attainment"] = frame["actual"] / frame["quota"].where(frame["quota"] > 0)
    return frame.drop(columns=["in_seat_all_year"]).reset_index(drop=True)
