"""How far a forecast was from what happened, measured as the forecasting literature does, so a
figure attain prints can be set beside a published one.

Every function takes the actual values and the forecast of one horizon (equal lengths) and
returns a float; none of them drops or fills a value silently: a NaN in, a ValueError out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Values = Sequence[float] | npt.NDArray[np.float64]


def _pair(actual: Values, forecast: Values) -> tuple[npt.NDArray[np.float64], ...]:
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    if a.shape != f.shape or a.ndim != 1 or len(a) == 0:
        raise ValueError(
            f"actual and forecast must be one horizon of equal length: {a.shape} {f.shape}"
        )
    if np.isnan(a).any() or np.isnan(f).any():
        raise ValueError("a missing value (NaN) in the actual or the forecast")
    return a, f


def smape(actual: Values, forecast: Values) -> float:
    """Symmetric MAPE in percent, as the M4 competition defines it:
    200/h * sum |y - f| / (|y| + |f|). A step where both are zero counts as no error."""
    a, f = _pair(actual, forecast)
    denominator = np.abs(a) + np.abs(f)
    terms = np.divide(np.abs(a - f), denominator, out=np.zeros_like(a), where=denominator != 0)
    return float(200.0 * terms.mean())


def mase(actual: Values, forecast: Values, history: Values, season: int = 1) -> float:
    """Mean absolute scaled error (M4): the forecast's mean absolute error over the in-sample
    mean absolute error of the seasonal naive forecast (lag `season`) on `history`."""
    a, f = _pair(actual, forecast)
    h = np.asarray(history, dtype=float)
    if len(h) <= season:
        raise ValueError(f"MASE needs more than {season} past values, got {len(h)}")
    scale = np.abs(h[season:] - h[:-season]).mean()
    if scale == 0:
        raise ValueError("MASE is undefined for a history that never changes")
    return float(np.abs(a - f).mean() / scale)


def wape(actual: Values, forecast: Values) -> float:
    """Weighted absolute percentage error in percent: sum |y - f| / sum |y| (large periods weigh
    more, which is what a revenue total cares about)."""
    a, f = _pair(actual, forecast)
    total = np.abs(a).sum()
    if total == 0:
        raise ValueError("WAPE is undefined when every actual is zero")
    return float(100.0 * np.abs(a - f).sum() / total)


def bias(actual: Values, forecast: Values) -> float:
    """Forecast bias in percent of the actual total: positive over-forecasts, negative under."""
    a, f = _pair(actual, forecast)
    total = np.abs(a).sum()
    if total == 0:
        raise ValueError("bias is undefined when every actual is zero")
    return float(100.0 * (f - a).sum() / total)


def coverage(actual: Values, low: Values, high: Values) -> float:
    """The share of actual values inside their interval [low, high] (an 80% interval should
    hold about 0.8 of them)."""
    a, lo = _pair(actual, low)
    _, hi = _pair(actual, high)
    if (lo > hi).any():
        raise ValueError("an interval whose low end is above its high end")
    return float(((a >= lo) & (a <= hi)).mean())
