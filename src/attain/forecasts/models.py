"""Forecasting models from statsmodels (BSD-3), each wrapped to one signature, history and
horizon in, forecast out, so the benchmark and the backtests treat every model and baseline
alike. statsmodels' optimisers warn when they stop at an edge; that is the model's answer, not
an error, so those warnings are kept out of the user's terminal."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from attain.forecasts.accuracy import Values


def _quietly_fitted(model: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit()


def simple_exponential_smoothing(history: Values, horizon: int) -> npt.NDArray[np.float64]:
    """SES: a level that learns from each new value at a rate fitted to the history."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    h = np.asarray(history, dtype=float)
    fitted = _quietly_fitted(
        ExponentialSmoothing(h, trend=None, seasonal=None, initialization_method="estimated")
    )
    return np.asarray(fitted.forecast(horizon), dtype=float)


def theta(history: Values, horizon: int, season: int = 1) -> npt.NDArray[np.float64]:
    """The Theta method (Assimakopoulos and Nikolopoulos, 2000): SES with half the history's
    linear trend, the M3 competition's winner; `season` > 1 deseasonalises first."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    h = np.asarray(history, dtype=float)
    fitted = _quietly_fitted(ThetaModel(h, period=season, deseasonalize=season > 1))
    return np.asarray(fitted.forecast(horizon), dtype=float)
