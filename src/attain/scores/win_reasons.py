"""A win-score feature's value for one deal, said as a sales manager would say it."""

from __future__ import annotations

import math

import pandas as pd

from attain.money_format import money
from attain.quota.history import PLANNING_CURRENCY

TIMES = {1: "once", 2: "twice"}


def _times(n: int) -> str:
    return TIMES.get(n, f"{n} times")


def _days(n: float) -> str:
    d = round(n)
    return f"{d} day{'s' if d != 1 else ''}"


def win_words(feature: str, x: pd.Series, deal: pd.Series) -> str:
    """Words for `feature` of one deal: `x` its feature row, `deal` its as-of row."""
    value = x[feature]
    if isinstance(value, float) and math.isnan(value):
        return f"no {feature.replace('_', ' ')} known"
    stage = str(deal.get("stage", ""))
    if feature == "stage_position":
        return f"in {stage}"
    if feature == "days_in_stage":
        return f"{_days(value)} in {stage}"
    if feature == "age_days":
        return f"open {_days(value)}"
    if feature == "slips":
        n = int(value)
        return "close date never moved" if n == 0 else f"slipped {_times(n)}"
    if feature == "slip_days":
        return "close date never moved" if value == 0 else f"close date moved {_days(value)} later"
    if feature == "amount_changes":
        n = int(value)
        return "amount never changed" if n == 0 else f"amount changed {_times(n)}"
    if feature == "amount_ratio":
        change = round((float(value) - 1) * 100)
        if change == 0:
            return "amount as first entered"
        return f"amount cut {-change}%" if change < 0 else f"amount raised {change}%"
    if feature == "log_amount":
        return f"worth {money(round(math.expm1(float(value)), 2), PLANNING_CURRENCY)}"
    if feature == "days_to_close":
        d = int(value)
        return f"expected to close in {_days(d)}" if d >= 0 else f"close date {_days(-d)} past"
    if feature == "days_to_period_end":
        return f"{_days(value)} left in the period"
    if feature == "owner_win_rate":
        return f"owner wins {float(value):.0%} of deals"
    if feature == "owner_decided":
        n = int(value)
        return f"owner has decided {n} deal{'s' if n != 1 else ''}"
    if feature == "forecast_category":
        return f"forecast as {str(value).replace('_', ' ')}"
    if feature == "type":
        return f"{value} business"
    if feature == "segment":
        return f"{value} account"
    if feature == "product":
        return f"product {value}"
    return f"{feature.replace('_', ' ')} {value}"
