"""Data-driven: quotas from each territory's learned potential, meeting the target."""

from __future__ import annotations

import numpy as np

from attain.quota.history import History
from attain.quota.methods.common import (
    empty_territory_notes,
    join_notes,
    quota_frame,
    sellers,
    share_territory,
)
from attain.quota.plan import PlanRequest, QuotaSet
from attain.quota.potential import predict_potential
from attain.quota.shaping import company_target, monthly_shares, scale_to, seasonality


def data_driven(history: History, request: PlanRequest) -> QuotaSet:
    """Quota = predicted potential of the payee's territory x their ramp, scaled so the quotas
    add up to the target plus over-assignment, and spread over the year by learned seasonality.

    `low` and `high` carry the 80% prediction interval on the same scale.
    """
    target, warnings = company_target(history, request)
    payees, ramp = sellers(history, request)
    ramp_year = ramp.mean(axis=1)
    potential = predict_potential(history)
    if not potential.learned:
        warnings.append(
            f"too little history to learn from ({potential.training_rows} territory-years): "
            "used last year's share blended with territory size"
        )
    weight = share_territory(payees, potential.mean, ramp_year)
    amount = scale_to(weight, float(target) * (1 + request.over_assignment))
    factor = amount.sum() / weight.sum() if weight.sum() > 0 else 0.0
    low = share_territory(payees, potential.low, ramp_year) * factor
    high = share_territory(payees, potential.high, ramp_year) * factor
    notes = empty_territory_notes(history, payees)
    if np.any(amount <= 0):
        warnings.append(f"{int((amount <= 0).sum())} payee(s) have no predicted potential")
    return QuotaSet(
        method="data_driven",
        request=request,
        target=target,
        quotas=quota_frame(payees, amount, ramp_year, join_notes(notes), low, high),
        monthly=monthly_shares(payees, ramp, seasonality(history)),
        warnings=warnings + history.warnings,
    )
