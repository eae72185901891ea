"""Pipeline not yet created: what each seller will win in the period from deals that do not
exist yet on the as-of day, learned from the same point of earlier periods.

For each of the last periods that ended by the as-of day, the won amount (in the planning
currency) of each owner's deals created after the same point of that period and won within it.
The expectation is the owner's mean over those periods; the simulation draws one of the
owner's past periods at random. Learning per seller is what follows recent volume: a seller who
left adds nothing, and a seller's own pace is theirs. A further company-wide scale by the
pipeline created in the last 90 (or 365) days against the same span before each past point was
measured on the demo companies and over-forecast this part by about 15% (the spans before the
earliest points reach back to where the history thins out), so none is applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from attain.forecasts.periods import ForecastPeriod
from attain.forecasts.pipeline_book import PipelineBook
from attain.forecasts.stage_rates import PAST_PERIODS


@dataclass(frozen=True)
class NotYetCreated:
    """Per owner: the won amounts of past periods (columns); `scale` multiplies them (1)."""

    owners: list[str]
    past: np.ndarray
    """owners x past periods, planning currency."""
    scale: float = 1.0

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
    if not columns:
        return NotYetCreated(owners, np.zeros((len(owners), 0)))
    return NotYetCreated(owners, np.column_stack(columns))
