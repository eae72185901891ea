"""The batch Holt-Winters: one forecast per series, learning trend and season better than
seasonal naive does, and refusing a history shorter than two seasons."""

from __future__ import annotations

import numpy as np
import pytest

from attain.forecasts.accuracy import wape
from attain.forecasts.baselines import seasonal_naive
from attain.forecasts.many_series import holt_winters_many


def test_it_beats_seasonal_naive_on_trend_and_season() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(169)
    level = rng.uniform(500, 2000, 200)[:, None]
    y = level * (1 + 0.002 * t + 0.2 * np.sin(2 * np.pi * t / 52)) + rng.normal(0, 30, (200, 169))
    history, actual = y[:, :156], y[:, 156:]
    made = holt_winters_many(history, 13, 52)
    naive = np.vstack([seasonal_naive(h, 13, 52) for h in history])
    assert made.shape == (200, 13)
    assert wape(actual.ravel(), made.ravel()) < 0.7 * wape(actual.ravel(), naive.ravel())


def test_a_flat_series_is_forecast_flat() -> None:
    made = holt_winters_many(np.full((2, 104), 50.0), 3, 52)
    assert made == pytest.approx(np.full((2, 3), 50.0))


def test_less_than_two_seasons_is_refused() -> None:
    with pytest.raises(ValueError, match="two seasons"):
        holt_winters_many(np.ones((1, 60)), 4, 52)
