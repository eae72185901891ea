"""The models a revenue series is forecast with, each giving a mean, a variance per step (for
the 80% interval) and its in-sample one-step errors (for reconciling across the hierarchy).

- `ets`: statsmodels' ETSModel chosen by AICc among additive-error models with no / additive /
  damped trend, and an additive season once the history holds two whole seasons;
- `theta`: statsmodels' Theta method, deseasonalised (classical decomposition) under the same
  two-season rule;
- `seasonal-naive`: last season's value (last period's, before two seasons), the baseline.

With less than two seasons of history no model gets a seasonal term, and `seasonal` says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from attain.forecasts.models import best_ets, ets_name

Array = npt.NDArray[np.float64]
MODELS = ("ets", "theta", "seasonal-naive")
Z80 = 1.2815515655446004


@dataclass(frozen=True)
class SeriesForecast:
    model: str
    """What was fitted, e.g. `ETS(A,Ad,A)`, `Theta (deseasonalised)`, `seasonal naive (52)`."""
    seasonal: bool
    mean: Array
    variance: Array
    residuals: Array
    """One-step in-sample errors, aligned with the history (NaN where there is none)."""


def has_seasons(history: Array, season: int) -> bool:
    return season > 1 and len(history) >= 2 * season


def forecast_series(model: str, history: Array, horizon: int, season: int) -> SeriesForecast:
    h = np.asarray(history, dtype=float)
    if len(h) < 4:
        raise ValueError(f"a forecast needs at least 4 periods of history, got {len(h)}")
    if model == "ets":
        return _ets(h, horizon, season)
    if model == "theta":
        return _theta(h, horizon, season)
    if model == "seasonal-naive":
        return seasonal_naive_forecast(h, horizon, season)
    raise ValueError(f"no revenue model {model!r}; choose one of {', '.join(MODELS)}")


def _ets(h: Array, horizon: int, season: int) -> SeriesForecast:
    m = season if has_seasons(h, season) else 1
    if np.ptp(h) == 0:
        return _flat(h, horizon)
    fitted, spec = best_ets(h, m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = fitted.get_prediction(start=len(h), end=len(h) + horizon - 1)
        frame = pred.summary_frame(alpha=0.2)
    mean = np.asarray(frame["mean"], dtype=float)
    sd = (np.asarray(frame["pi_upper"], dtype=float) - mean) / Z80
    residuals = h - np.asarray(fitted.fittedvalues, dtype=float)
    variance = sd**2 * _degrees_of_freedom_factor(len(h), len(fitted.params), spec, m)
    return SeriesForecast(ets_name(spec), spec["seasonal"] is not None, mean, variance, residuals)


def _degrees_of_freedom_factor(n: int, weights: int, spec: dict[str, object], season: int) -> float:
    """ETSModel's error variance is the in-sample mean square (over n), though its starting
    states were taken from the same history: a level, a trend, and season - 1 seasonal states.
    With 52 seasonal states out of two or three years that understates the error badly, so the
    variance is rescaled to n / (n - weights - states), the usual unbiased correction."""
    states = 1 + (spec["trend"] is not None) + (season - 1 if spec["seasonal"] else 0)
    return n / max(n - weights - states, n / 4)


def _theta(h: Array, horizon: int, season: int) -> SeriesForecast:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    seasonal = has_seasons(h, season) and bool((h > 0).all())
    if np.ptp(h) == 0:
        return _flat(h, horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ThetaModel(h, period=season if seasonal else 1, deseasonalize=seasonal).fit()
        mean = np.asarray(fitted.forecast(horizon), dtype=float)
        bands = fitted.prediction_intervals(horizon, alpha=0.2)
    sd = (np.asarray(bands["upper"], dtype=float) - mean) / Z80
    # Theta's in-sample one-step errors: those of its SES on the (deseasonalised) history,
    # approximated here by the next value against the exponentially smoothed level.
    alpha = float(fitted.params["alpha"]) if "alpha" in fitted.params else 0.5
    level = np.empty_like(h)
    level[0] = h[0]
    for t in range(1, len(h)):
        level[t] = alpha * h[t - 1] + (1 - alpha) * level[t - 1]
    residuals = h - level
    residuals[0] = np.nan
    name = "Theta (deseasonalised)" if seasonal else "Theta"
    return SeriesForecast(name, seasonal, mean, sd**2, residuals)


def seasonal_naive_forecast(h: Array, horizon: int, season: int) -> SeriesForecast:
    """Last season's value, its spread from the history's own season-on-season changes (the
    variance grows with every whole season ahead)."""
    m = season if len(h) >= season + 2 and season > 1 else 1
    last = h[-m:]
    mean = np.array([last[k % m] for k in range(horizon)])
    residuals = np.full_like(h, np.nan)
    residuals[m:] = h[m:] - h[:-m]
    sigma2 = float(np.nanmean(residuals[m:] ** 2))
    seasons_ahead = np.arange(horizon) // m + 1
    name = f"seasonal naive ({m})" if m > 1 else "naive"
    variance = (sigma2 * seasons_ahead).astype(float)
    return SeriesForecast(name, m > 1, mean, variance, residuals)


def _flat(h: Array, horizon: int) -> SeriesForecast:
    return SeriesForecast(
        "constant", False, np.full(horizon, h[-1]), np.zeros(horizon), np.zeros_like(h)
    )
