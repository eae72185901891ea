"""Top-down: the company target shared out by headcount, last year's share or territory size."""

from __future__ import annotations

import numpy as np

from attain.quota.errors import QuotaError
from attain.quota.history import History
from attain.quota.methods.common import (
    empty_territory_notes,
    join_notes,
    quota_frame,
    sellers,
    share_territory,
)
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.shaping import company_target, last_year_by, monthly_shares, scale_to

BASES = ("headcount", "last_year", "territory_size")


def top_down(history: History, request: PlanRequest) -> QuotaSet:
    """Quota = (target x (1 + over-assignment)) x the payee's share, new hires ramped.

    Example: a 10M target, 10% over-assigned, 11 equal reps -> 1M each.
    """
    if request.basis not in BASES:
        raise QuotaError(f"top-down basis must be one of {', '.join(BASES)}, not {request.basis!r}")
    target, warnings = company_target(history, request)
    payees, ramp = sellers(history, request)
    ramp_year = ramp.mean(axis=1)
    notes = [""] * len(payees)
    if request.basis == "headcount":
        weight = ramp_year
    elif request.basis == "territory_size":
        size = history.territories.set_index("territory")["size_total"].astype(float)
        weight = share_territory(payees, size, ramp_year)
        notes = empty_territory_notes(history, payees)
    else:
        last = payees["payee"].map(last_year_by(history, "payee")).to_numpy(dtype=float)
        known = ~np.isnan(last) & (last > 0)
        typical = float(np.median(last[known])) if known.any() else 1.0
        weight = np.where(known, last, typical * ramp_year)
        notes = ["" if k else "no sales last year: median share, ramped" for k in known]
    amount = scale_to(weight, float(target) * (1 + request.over_assignment))
    if weight.sum() <= 0:
        raise QuotaError("every payee has a zero share on this basis: choose another basis")
    zero = int((amount <= 0).sum())
    if zero:
        warnings.append(f"{zero} payee(s) get no quota on the {request.basis} basis")
    return QuotaSet(
        method="top_down",
        request=request,
        target=target,
        quotas=quota_frame(payees, amount, ramp_year, join_notes(notes)),
        monthly=monthly_shares(payees, ramp, None),
        warnings=warnings + history.warnings,
    )
