"""Historical growth: last year's bookings times (1 + g), within a floor and a ceiling."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attain.quota.history import History
from attain.quota.methods.common import quota_frame, sellers
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.shaping import company_target, last_year_by, monthly_shares

MIN_MONTHS = 3
"""Months in seat last year below which a payee's bookings are too few to annualise."""


def historical_growth(history: History, request: PlanRequest) -> QuotaSet:
    """Quota = last year x (1 + g), clipped to [floor, ceiling] x the median quota.

    g is the request's growth, or else the rate that makes the quotas meet the target with its
    over-assignment. A payee in seat part of last year has their bookings annualised; one with
    too little history gets the median, ramped.
    """
    target, warnings = company_target(history, request)
    payees, ramp = sellers(history, request)
    ramp_year = ramp.mean(axis=1)
    last = payees["payee"].map(last_year_by(history, "payee")).fillna(0.0).to_numpy(dtype=float)
    months = _months_in_seat(payees["hired"], request.year - 1)
    annualised = np.where(months >= MIN_MONTHS, last * 12 / np.maximum(months, 1), np.nan)
    known = ~np.isnan(annualised)
    typical = float(np.median(annualised[known])) if known.any() else 0.0
    base = np.where(known, annualised, typical * ramp_year)
    notes = ["" if k else "no full history: median, ramped" for k in known]
    if request.growth is not None:
        amount = _bounded(base * (1 + request.growth), request)
    else:
        amount = _meet(base, float(target) * (1 + request.over_assignment), request)
    if typical == 0 and not known.any():
        warnings.append("no payee has a year of history: historical growth has nothing to grow")
    g = amount.sum() / base.sum() - 1 if base.sum() > 0 else 0.0
    warnings.append(f"growth applied: {g:+.1%} on last year")
    return QuotaSet(
        method="historical_growth",
        request=request,
        target=target,
        quotas=quota_frame(payees, amount, ramp_year, notes),
        monthly=monthly_shares(payees, ramp, None),
        warnings=warnings + history.warnings,
    )


def _months_in_seat(hired: pd.Series, year: int) -> np.ndarray:
    """Months of `year` each payee was in seat (12 for those hired before it or with no date)."""
    h = pd.to_datetime(hired)
    start = year * 12
    hire = (h.dt.year * 12 + h.dt.month - 1).to_numpy(dtype=float)
    m = np.clip(start + 12 - np.nan_to_num(hire, nan=start), 0, 12)
    out: np.ndarray = m
    return out


def _bounded(amount: np.ndarray, request: PlanRequest) -> np.ndarray:
    positive = amount[amount > 0]
    if positive.size == 0:
        return amount
    median = float(np.median(positive))
    out: np.ndarray = np.clip(amount, request.floor * median, request.ceiling * median)
    return out


def _meet(base: np.ndarray, total: float, request: PlanRequest) -> np.ndarray:
    """The growth factor (by bisection) whose bounded quotas add up to `total`."""
    if base.sum() <= 0:
        return np.full(len(base), total / len(base))
    lo, hi = 0.0, 4 * total / base.sum() + 1
    for _ in range(60):
        k = (lo + hi) / 2
        if _bounded(base * k, request).sum() < total:
            lo = k
        else:
            hi = k
    return _bounded(base * (lo + hi) / 2, request)
