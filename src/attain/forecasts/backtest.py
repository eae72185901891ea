"""Rolling-origin backtests: at each past week, forecast the next weeks from what was known then
(the history up to that week, nothing after), then compare with what happened."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from attain.forecasts.accuracy import bias, wape

Forecaster = Callable[[npt.NDArray[np.float64], int], npt.NDArray[np.float64]]


@dataclass(frozen=True)
class Backtested:
    """One method's errors over every series and origin, per horizon step (1-based)."""

    method: str
    origins: int
    wape: dict[int, float]
    bias: dict[int, float]

    @property
    def overall_wape(self) -> float:
        return float(np.mean(list(self.wape.values())))


def forecasts_at(
    series: npt.NDArray[np.float64], origin: int, horizon: int, forecaster: Forecaster
) -> npt.NDArray[np.float64]:
    """The forecast made at `origin`: it is given `series[:origin]` only, a copy, so nothing
    from `origin` on can reach it."""
    return forecaster(np.array(series[:origin], dtype=float), horizon)


def backtest(
    method: str,
    forecaster: Forecaster,
    series: Mapping[str, npt.NDArray[np.float64]],
    *,
    horizon: int,
    first_origin: int,
) -> Backtested:
    """Forecast every series from every origin `first_origin`..(end - horizon); WAPE and bias
    per horizon step, pooled over series and origins (so large series weigh more)."""
    actual: dict[int, list[float]] = {k: [] for k in range(1, horizon + 1)}
    made: dict[int, list[float]] = {k: [] for k in range(1, horizon + 1)}
    origins = 0
    for values in series.values():
        for origin in range(first_origin, len(values) - horizon + 1):
            forecast = forecasts_at(values, origin, horizon, forecaster)
            origins += 1
            for step in range(1, horizon + 1):
                actual[step].append(float(values[origin + step - 1]))
                made[step].append(float(forecast[step - 1]))
    if origins == 0:
        raise ValueError(f"no origin from week {first_origin} leaves {horizon} weeks to compare")
    return Backtested(
        method,
        origins,
        {k: wape(actual[k], made[k]) for k in actual},
        {k: bias(actual[k], made[k]) for k in actual},
    )
