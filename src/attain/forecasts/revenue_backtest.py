"""Backtest of the B2C revenue forecast: at rolling origins, forecast the next periods of every
store, region and the company from the periods before the origin only, reconcile, and compare
with what happened; beside seasonal naive measured on the same origins.

Per level and horizon step: WAPE and bias pooled over the level's series and the origins (so
large stores weigh more), and how often the actual fell inside the 80% interval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from attain.forecasts.accuracy import bias, coverage, wape
from attain.forecasts.hierarchy_sums import LEVELS
from attain.forecasts.reconcile import METHODS, Z80
from attain.forecasts.revenue import GRAINS, MODEL, StoreHistory, forecast_hierarchy
from attain.forecasts.revenue_models import seasonal_naive_forecast
from attain.quota.history import PLANNING_CURRENCY

Array = npt.NDArray[np.float64]
BASELINE = "seasonal naive"


@dataclass(frozen=True)
class LevelScore:
    method: str
    """`model (<reconciliation>)` or `seasonal naive`."""
    level: str
    wape: dict[int, float]
    bias: dict[int, float]
    coverage: dict[int, float]

    @property
    def mean_wape(self) -> float:
        return float(np.mean(list(self.wape.values())))


@dataclass(frozen=True)
class CompanyPath:
    """The company series and, per origin, what each method forecast from it (step 1..h)."""

    periods: tuple[dt.date, ...]
    actual: Array
    forecasts: dict[str, list[tuple[int, Array, Array, Array]]] = field(default_factory=dict)
    """method -> [(origin index, mean, low, high)]."""


@dataclass(frozen=True)
class RevenueBacktest:
    grain: str
    measure: str
    currency: str | None
    horizon: int
    origins: tuple[dt.date, ...]
    model: str
    seasonal: bool
    baseline_season: int
    scores: tuple[LevelScore, ...]
    company: CompanyPath

    def score(self, method: str, level: str) -> LevelScore:
        return next(s for s in self.scores if s.method == method and s.level == level)

    def best_method(self, level: str = "store") -> str:
        """The reconciliation with the lowest mean WAPE at `level`."""
        mine = [s for s in self.scores if s.level == level and s.method != BASELINE]
        return min(mine, key=lambda s: s.mean_wape).method


def model_label(method: str) -> str:
    return f"model ({method})"


def first_origin_for(periods: int, grain: str, horizon: int) -> int:
    """Two seasons of history at the first origin where the data allow it, else half of it."""
    two = 2 * GRAINS[grain]
    if periods - horizon >= two + 1:
        return two
    return max(8, (periods - horizon) // 2)


def backtest_revenue(
    history: StoreHistory,
    *,
    horizon: int,
    units: bool = False,
    first_origin: int | None = None,
    every: int = 1,
    model: str = MODEL,
    methods: tuple[str, ...] = METHODS,
) -> RevenueBacktest:
    season = GRAINS[history.grain]
    n = len(history.periods)
    start = (
        first_origin if first_origin is not None else first_origin_for(n, history.grain, horizon)
    )
    origins = list(range(start, n - horizon + 1, max(every, 1)))
    if not origins:
        raise ValueError(
            f"{n} whole {history.grain}s of history leave no origin from {start} with "
            f"{horizon} {history.grain}s to compare"
        )
    hierarchy = history.hierarchy
    totals = hierarchy.totals(history.values(units))
    labels = [model_label(m) for m in methods] + [BASELINE]
    collected: dict[tuple[str, str], dict[int, tuple[list[float], ...]]] = {
        (lab, lv): {k: ([], [], [], []) for k in range(1, horizon + 1)}
        for lab in labels
        for lv in LEVELS
    }
    company = CompanyPath(history.periods, totals[0].copy(), {lab: [] for lab in labels})
    seasonal = False
    base_season = 1
    for o in origins:
        done = forecast_hierarchy(
            hierarchy, history.values(units)[:, :o], horizon, season, model, methods
        )
        made: dict[str, tuple[Array, Array, Array]] = {}
        for m, f in done.items():
            seasonal = seasonal or f.seasonal
            r = f.reconciled
            made[model_label(m)] = (r.mean, r.low, r.high)
        naive = [seasonal_naive_forecast(row[:o], horizon, season) for row in totals]
        base_season = max(base_season, season if naive[0].seasonal else 1)
        nm = np.vstack([f.mean for f in naive])
        nsd = np.sqrt(np.vstack([f.variance for f in naive]))
        made[BASELINE] = (nm, nm - Z80 * nsd, nm + Z80 * nsd)
        actual = totals[:, o : o + horizon]
        for lab, (mean, low, high) in made.items():
            company.forecasts[lab].append((o, mean[0], low[0], high[0]))
            for i, lv in enumerate(hierarchy.levels):
                for k in range(1, horizon + 1):
                    bucket = collected[(lab, lv)][k]
                    bucket[0].append(actual[i, k - 1])
                    bucket[1].append(mean[i, k - 1])
                    bucket[2].append(low[i, k - 1])
                    bucket[3].append(high[i, k - 1])
    scores = []
    for (lab, lv), steps in collected.items():
        scores.append(
            LevelScore(
                lab,
                lv,
                {k: wape(a, f) for k, (a, f, _, _) in steps.items()},
                {k: bias(a, f) for k, (a, f, _, _) in steps.items()},
                {k: coverage(a, lo, hi) for k, (a, _, lo, hi) in steps.items()},
            )
        )
    return RevenueBacktest(
        grain=history.grain,
        measure="units" if units else "revenue",
        currency=None if units else PLANNING_CURRENCY,
        horizon=horizon,
        origins=tuple(history.periods[o] for o in origins),
        model=model,
        seasonal=seasonal,
        baseline_season=base_season,
        scores=tuple(scores),
        company=company,
    )
