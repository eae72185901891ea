"""Pipeline not yet created: what each seller will win in the period from deals that do not
exist yet on the as-of day, learned from the same point of earlier periods.

For each of the last periods that ended by the as-of day, the won amount (in the planning
currency) of each owner's deals created after the same point of that period and won within it.
The expectation is the owner's mean over those periods, scaled by how much pipeline the company
created in the last 90 days against the 90 days before each of those points (recent volume);
the simulation draws one of the owner's past periods at random, scaled the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from attain.forecasts.periods import ForecastPeriod
from attain.forecasts.pipeline_book import PipelineBook
from attain.forecasts.stage_rates import PAST_PERIODS

VOLUME_DAYS = 90
SCALE_BOUNDS = (0.6, 1.6)


@dataclass(frozen=True)
class NotYetCreated:
    """Per owner: the won amounts of past periods (columns) and the recent-volume scale."""

    owners: list[str]
    past: np.ndarray
    """owners x past periods, planning currency."""
    scale: float

    def expected(self) -> dict[str, float]:
        if self.past.size == 0:
            return {o: 0.0 for o in self.owners}
        means = self.past.mean(axis=1) * self.scale
        return dict(zip(self.owners, means.tolist(), strict=True))

    def draws(self, rng: np.random.Generator, simulations: int) -> np.ndarray:
        """simulations x owners: one past period per owner and draw, scaled."""
        if self.past.size == 0:
            return np.zeros((simulations, len(self.owners)))
        pick = rng.integers(0, self.past.shape[1], (simulations, len(self.owners)))
        return self.past[np.arange(len(self.owners))[None, :], pick] * self.scale


def learn(
    book: PipelineBook,
    known: pd.DataFrame,
    day: dt.date,
    period: ForecastPeriod,
    owners: list[str],
    past_periods: int = PAST_PERIODS,
) -> NotYetCreated:
    """From `known` (the deals as of `day`) only."""
    created = pd.to_datetime(known["created"])
    decided = pd.to_datetime(known["decided"])
    won = known["category"] == "won"
    columns: list[np.ndarray] = []
    volumes: list[float] = []
    for k in range(1, past_periods + 1):
        earlier = period.shifted(k)
        if earlier.end > day:
            continue
        point = pd.Timestamp(period.same_point(day, k))
        late = (
            won
            & (created > point)
            & (decided >= pd.Timestamp(earlier.start))
            & (decided <= pd.Timestamp(earlier.end))
        )
        sums = known[late].groupby("owner")["amount_usd"].sum()
        columns.append(sums.reindex(owners).fillna(0.0).to_numpy(float))
        volumes.append(_created(known, created, point))
    if not columns:
        return NotYetCreated(owners, np.zeros((len(owners), 0)), 1.0)
    recent = _created(known, created, pd.Timestamp(day))
    base = float(np.mean(volumes))
    scale = float(np.clip(recent / base, *SCALE_BOUNDS)) if base > 0 else 1.0
    return NotYetCreated(owners, np.column_stack(columns), scale)


def _created(known: pd.DataFrame, created: pd.Series, point: pd.Timestamp) -> float:
    window = (created > point - pd.Timedelta(days=VOLUME_DAYS)) & (created <= point)
    return float(known.loc[window, "amount_usd"].sum())
