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


ETS_TRENDS: tuple[tuple[str | None, bool], ...] = ((None, False), ("add", False), ("add", True))
"""The trend choices every ETS selection weighs: none, additive, additive damped."""


def _ets_candidates(
    h: npt.NDArray[np.float64], season: int, multiplicative: bool
) -> list[dict[str, Any]]:
    errors = ["add", "mul"] if multiplicative and (h > 0).all() else ["add"]
    seasonal = [None, "add"] if season > 1 and len(h) >= 2 * season else [None]
    out = []
    for error in errors:
        for trend, damped in ETS_TRENDS:
            for s in seasonal:
                out.append(
                    {
                        "error": error,
                        "trend": trend,
                        "damped_trend": damped,
                        "seasonal": s,
                        "seasonal_periods": season if s else None,
                    }
                )
    return out


def ets_name(spec: dict[str, Any]) -> str:
    """ETS(error, trend, season) in the literature's letters: ETS(A,Ad,A)."""
    trend = "N" if spec["trend"] is None else "A" + ("d" if spec["damped_trend"] else "")
    return f"ETS({spec['error'][0].upper()},{trend},{'A' if spec['seasonal'] else 'N'})"


def best_ets(
    history: Values, season: int = 1, multiplicative: bool = False, initial: str = "heuristic"
) -> tuple[Any, dict[str, Any]]:
    """The ETS model (statsmodels ETSModel) with the lowest AICc among the candidates: additive
    error (and multiplicative, for a positive series if asked), no / additive / damped trend,
    and an additive season when the history holds two whole seasons.

    `initial`: `heuristic` starts the states from the first periods (fast: a few hundredths of a
    second a model), `estimated` fits them with the smoothing weights (slower, often closer);
    a seasonal model always starts heuristically (52 starting states are too many to fit)."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    h = np.asarray(history, dtype=float)
    # A pandas Series: statsmodels 0.15's prediction intervals need an index to label.
    y = pd.Series(h)
    best: tuple[float, Any, dict[str, Any]] | None = None
    for spec in _ets_candidates(h, season, multiplicative):
        kwargs = {k: v for k, v in spec.items() if v is not None}
        heuristic = spec["seasonal"] or (initial == "heuristic" and len(h) >= 10)
        kwargs["initialization_method"] = "heuristic" if heuristic else "estimated"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fitted = ETSModel(y, **kwargs).fit(disp=False)
            except (ValueError, np.linalg.LinAlgError):
                continue
        score = float(fitted.aicc)
        if np.isfinite(score) and (best is None or score < best[0]):
            best = (score, fitted, spec)
    if best is None:
        raise ValueError("no ETS model could be fitted to the history")
    return best[1], best[2]


def auto_ets(history: Values, horizon: int) -> npt.NDArray[np.float64]:
    """AutoETS for the M4 benchmark: the best non-seasonal ETS by AICc (additive or
    multiplicative error, no / additive / damped trend), as statsforecast's AutoETS does for
    weekly data, where a 52-week season is beyond what it fits."""
    h = np.asarray(history, dtype=float)
    fitted, _ = best_ets(h, 1, multiplicative=True)
    return np.asarray(fitted.forecast(horizon), dtype=float)
