"""Bottom-up: each territory's run-rate plus what its pipeline growth should add."""

from __future__ import annotations

import pandas as pd

from attain.quota.history import History
from attain.quota.methods.common import quota_frame, sellers, share_territory
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.shaping import company_target, monthly_shares, seasonality


def bottom_up(history: History, request: PlanRequest) -> QuotaSet:
    """Territory number = last six months' bookings, seasonally annualised, plus the growth of
    its open pipeline over the year times the company's win rate; shared by its payees, ramped.

    Not scaled to the target: the gap between its sum and the target is the point of it.
    """
    target, warnings = company_target(history, request)
    payees, ramp = sellers(history, request)
    ramp_year = ramp.mean(axis=1)
    season = seasonality(history)
    last = request.year - 1
    tm = history.territory_months
    recent = tm[
        (tm["month"] >= pd.Timestamp(last, 7, 1)) & (tm["month"] < pd.Timestamp(request.year, 1, 1))
    ]
    run_rate = recent.groupby("territory")["bookings"].sum() / season[6:].sum()
    pipe = history.pipeline.pivot_table(
        index="territory", columns="year_end", values="open_amount", aggfunc="sum"
    ).fillna(0.0)
    now, before = pd.Timestamp(last, 12, 31), pd.Timestamp(last - 1, 12, 31)
    opened = pipe[now] if now in pipe.columns else pd.Series(dtype=float)
    earlier = pipe[before] if before in pipe.columns else pd.Series(0.0, index=opened.index)
    growth = opened.sub(earlier, fill_value=0.0) * _win_rate(history)
    number = run_rate.add(growth, fill_value=0.0).clip(lower=0.0)
    amount = share_territory(payees, number, ramp_year)
    notes = ["no bookings or pipeline in the territory" if a <= 0 else "" for a in amount]
    gap = float(amount.sum()) / float(target) - 1 if target else 0.0
    warnings.append(f"bottom-up adds up to {gap:+.1%} against the target")
    return QuotaSet(
        method="bottom_up",
        request=request,
        target=target,
        quotas=quota_frame(payees, amount, ramp_year, notes),
        monthly=monthly_shares(payees, ramp, season),
        warnings=warnings + history.warnings,
    )


def _win_rate(history: History) -> float:
    """Won over won-and-lost in the last year with closed deals (0.25 when none closed)."""
    wr = history.win_rate
    if wr.empty:
        return 0.25
    row = wr.iloc[-1]
    closed = float(row["won"] + row["lost"])
    return float(row["won"]) / closed if closed else 0.25
