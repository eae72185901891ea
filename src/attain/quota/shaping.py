"""Shared steps of the methods: the company target, ramp for new hires, seasonality, scaling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from attain.quota.history import History
from attain.quota.plan import PlanRequest, money

DEFAULT_GROWTH = 0.10
"""Growth assumed for the target when the history has a single year to go by."""


def company_target(history: History, request: PlanRequest) -> tuple[Decimal, list[str]]:
    """The request's target, else last year's bookings grown at last year's rate (finance's plan)."""
    notes: list[str] = []
    last_month = history.last_month
    if last_month is not None and last_month < dt.date(request.year - 1, 12, 1):
        notes.append(
            f"the history ends {last_month:%Y-%m}: last year's figures cover part of the year only"
        )
    totals = history.year_bookings().sum(axis=0) if not history.territory_months.empty else None
    last = float(totals.get(request.year - 1, 0.0)) if totals is not None else 0.0
    if request.target is not None:
        if last and float(request.target) < last:
            drop = 1 - float(request.target) / last
            notes.append(
                f"the target is {drop:.0%} below last year's bookings ({last:,.0f}); "
                "quotas shrink accordingly"
            )
        return request.target, notes
    if not last:
        raise_no_target()
    before = float(totals.get(request.year - 2, 0.0)) if totals is not None else 0.0
    growth = float(np.clip(last / before - 1, -0.2, 0.5)) if before else DEFAULT_GROWTH
    notes.append(f"no target given: last year's bookings grown {growth:+.1%}")
    return money(last * (1 + growth)), notes


def raise_no_target() -> None:
    from attain.quota.errors import QuotaError

    raise QuotaError("no bookings last year to grow from: give the target with --target")


def ramp_months_factor(hired: pd.Series, year: int, ramp_months: int) -> np.ndarray:
    """Productivity of each payee in each month of `year` (rows payees, 12 columns, 0..1).

    A new hire climbs in a straight line to full productivity over `ramp_months`; a payee with
    no hire date is taken as fully ramped.
    """
    h = pd.to_datetime(hired)
    hire_month = (h.dt.year * 12 + h.dt.month - 1).to_numpy(dtype=float)
    months = year * 12 + np.arange(12, dtype=float)
    since = months[None, :] - hire_month[:, None]
    prod = np.clip((since + 1.0) / (ramp_months + 1.0), 0.0, 1.0)
    prod[np.isnan(hire_month)] = 1.0
    out: np.ndarray = prod
    return out


def seasonality(history: History) -> np.ndarray:
    """Each calendar month's share of a year's bookings, learned from the full years on record.

    Each year's months are shared out within the year first (so growth does not tilt it), then
    averaged; with no full year, every month gets a twelfth.
    """
    years = history.full_years()
    tm = history.territory_months
    if not years or tm.empty:
        return np.full(12, 1 / 12)
    by = tm.assign(y=tm["month"].dt.year, m=tm["month"].dt.month)
    by = by[by["y"].isin(years)].groupby(["y", "m"])["bookings"].sum().unstack(fill_value=0.0)
    by = by.reindex(columns=range(1, 13), fill_value=0.0)
    shares = by.div(by.sum(axis=1).replace(0, np.nan), axis=0).mean(axis=0).fillna(1 / 12)
    out = shares.to_numpy(dtype=float)
    result: np.ndarray = out / out.sum()
    return result


def monthly_shares(
    payees: pd.DataFrame, ramp: np.ndarray, season: np.ndarray | None
) -> pd.DataFrame:
    """Each payee's share of the year by month: seasonality (or even) times their ramp."""
    base = np.full(12, 1 / 12) if season is None else season
    w = ramp * base[None, :]
    sums = w.sum(axis=1, keepdims=True)
    w = np.where(sums > 0, w / np.where(sums > 0, sums, 1), 1 / 12)
    frame = pd.DataFrame(w, columns=[f"m{m:02d}" for m in range(1, 13)])
    frame.insert(0, "payee", payees["payee"].to_numpy())
    return frame


def scale_to(weights: np.ndarray, total: float) -> np.ndarray:
    """`weights` scaled so they add up to `total` (all zero stays all zero)."""
    w = np.clip(np.nan_to_num(np.asarray(weights, dtype=float)), 0, None)
    s = w.sum()
    scaled: np.ndarray = w * (total / s) if s > 0 else w
    return scaled


def last_year_by(history: History, level: str) -> pd.Series:
    """Bookings of the year before the plan year, per territory or payee (0 where none)."""
    yb = history.year_bookings(level)
    if yb.empty or history.year - 1 not in yb.columns:
        return pd.Series(dtype=float)
    return yb[history.year - 1]
