"""The forecasts every model must beat, measured in the same run: the last value carried forward
(naive) and the value one season ago (seasonal naive)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from attain.forecasts.accuracy import Values


def naive(history: Values, horizon: int) -> npt.NDArray[np.float64]:
    """The last observed value, for each step of the horizon."""
    h = np.asarray(history, dtype=float)
    if len(h) == 0:
        raise ValueError("a naive forecast needs at least one past value")
    return np.full(horizon, h[-1])


def seasonal_naive(history: Values, horizon: int, season: int) -> npt.NDArray[np.float64]:
    """The value one season earlier, repeated: step k forecasts history[-season + (k % season)]."""
    h = np.asarray(history, dtype=float)
    if len(h) < season:
        raise ValueError(f"a seasonal naive forecast needs a full season ({season}) of history")
    last_season = h[-season:]
    return np.array([last_season[k % season] for k in range(horizon)])
