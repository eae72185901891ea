"""What every quota method takes and gives: a request, and a set of quotas per payee and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from attain.comp.engine.periods import period_named
from attain.quota.errors import QuotaError

PERIODS = ("year", "quarter", "month")
RAMP_MONTHS = 6
"""Months a new hire takes to reach full productivity, unless a request says otherwise."""


@dataclass(frozen=True)
class PlanRequest:
    """How to set quotas for one year; each method reads the knobs that concern it."""

    year: int
    target: Decimal | None = None
    """The company's bookings target for the year; None: last year grown at last year's rate."""
    over_assignment: float = 0.10
    """How far the sum of quotas exceeds the target (0.10: quotas add up to 110% of it)."""
    measure: str = "bookings"
    periods: str = "year"
    basis: str = "headcount"
    """Top-down share: headcount, last_year or territory_size."""
    growth: float | None = None
    """Historical growth rate; None: the rate that makes the quotas meet the target."""
    floor: float = 0.5
    ceiling: float = 2.0
    """Historical growth bounds, as multiples of the median quota."""
    ramp_months: int = RAMP_MONTHS
    """Months a new hire takes to reach full productivity (a straight climb)."""

    def __post_init__(self) -> None:
        if self.periods not in PERIODS:
            raise QuotaError(f"periods must be one of {', '.join(PERIODS)}, not {self.periods!r}")
        if self.over_assignment < 0 or self.over_assignment > 1:
            raise QuotaError("over-assignment is a share between 0 and 1 (0.10 for 10%)")
        if self.target is not None and self.target <= 0:
            raise QuotaError("the target must be a positive amount")
        if self.floor < 0 or self.ceiling <= self.floor:
            raise QuotaError("the floor must be below the ceiling")


@dataclass
class QuotaSet:
    """Annual quotas per payee from one method, with what it noticed along the way.

    `quotas` has one row per payee: payee, territory, amount (annual, USD), low and high (a
    prediction interval where the method has one), ramp (share of a full year's productivity)
    and note. `monthly` is each payee's share of the year by calendar month (rows sum to 1).
    """

    method: str
    request: PlanRequest
    target: Decimal
    quotas: pd.DataFrame
    monthly: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((money(a) for a in self.quotas["amount"]), Decimal(0))

    def lines(self, periods: str | None = None) -> list[QuotaLine]:
        """Quota lines per payee and period, in whole currency units; periods add up to the year."""
        out: list[QuotaLine] = []
        year = self.request.year
        periods = periods or self.request.periods
        shares = self.monthly.set_index("payee")
        for row in self.quotas.itertuples(index=False):
            annual = money(row.amount)
            if periods == "year":
                out.append(QuotaLine(str(row.payee), str(year), annual, *period_span(str(year))))
                continue
            months = shares.loc[row.payee].to_numpy(dtype=float)
            if periods == "quarter":
                names = [f"{year}-Q{q}" for q in range(1, 5)]
                parts = months.reshape(4, 3).sum(axis=1)
            else:
                names = [f"{year}-{m:02d}" for m in range(1, 13)]
                parts = months
            for name, amount in zip(names, split_whole(annual, parts), strict=True):
                out.append(QuotaLine(str(row.payee), name, amount, *period_span(name)))
        return out


@dataclass(frozen=True)
class QuotaLine:
    payee: str
    period: str
    amount: Decimal
    starts: dt.date
    ends: dt.date


def money(value: float | Decimal) -> Decimal:
    """A quota amount in whole currency units, rounded half away from zero."""
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def split_whole(total: Decimal, weights: np.ndarray) -> list[Decimal]:
    """`total` in whole units over `weights`, largest remainders first, so the parts add up."""
    w = np.clip(np.asarray(weights, dtype=float), 0, None)
    w = np.full(len(w), 1.0 / len(w)) if w.sum() <= 0 else w / w.sum()
    units = int(total)
    raw = w * units
    parts = np.floor(raw).astype(np.int64)
    for i in np.argsort(-(raw - parts), kind="stable")[: units - int(parts.sum())]:
        parts[i] += 1
    return [Decimal(int(p)) for p in parts]


def period_span(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period named like 2027, 2027-Q1, 2027-01 or 2027-W05."""
    p = period_named(period)
    return p.start, p.end
