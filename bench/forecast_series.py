"""Forecast 10,000 weekly series of three years, 13 weeks ahead (target: 60 s for the whole
command; quick: 1,000 series).

The series are generated with a known level, trend, yearly season and noise, so accuracy is
measured as well as speed: the batch Holt-Winters (attain.forecasts.many_series) against
seasonal naive on all series, and statsmodels' AICc-chosen ETS (the store forecast's model) on
a sample, timed on one core and on two (multiprocessing) to show what it would take for all.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from attain.forecasts.accuracy import smape, wape
from attain.forecasts.baselines import seasonal_naive
from attain.forecasts.many_series import holt_winters_many
from attain.forecasts.revenue_models import forecast_series

WEEKS, HORIZON, SEASON = 156, 13, 52
SAMPLE = 6


def generate(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(WEEKS + HORIZON)
    level = rng.lognormal(7, 1, n)[:, None]
    trend = rng.normal(0.002, 0.003, n)[:, None] * level * t
    phase = rng.uniform(0, 2 * np.pi, n)[:, None]
    swing = rng.uniform(0.05, 0.4, n)[:, None] * level
    noise = rng.normal(0, 1, (n, len(t))) * rng.uniform(0.03, 0.15, n)[:, None] * level
    out: np.ndarray = level + trend + swing * np.sin(2 * np.pi * t / SEASON + phase) + noise
    return np.maximum(out, 0.0)


def _ets_one(history: np.ndarray) -> np.ndarray:
    return forecast_series("ets", history, HORIZON, SEASON).mean


def _scores(actual: np.ndarray, made: np.ndarray) -> tuple[float, float]:
    return wape(actual.ravel(), made.ravel()), float(
        np.mean([smape(a, f) for a, f in zip(actual, made, strict=True)])
    )


def main(quick: bool = False) -> None:
    began = time.perf_counter()
    n = 1_000 if quick else 10_000
    data = generate(n)
    history, actual = data[:, :WEEKS], data[:, WEEKS:]
    print(f"{n:,} series x {WEEKS} weeks generated in {time.perf_counter() - began:.1f} s")

    at = time.perf_counter()
    naive = np.vstack([seasonal_naive(h, HORIZON, SEASON) for h in history])
    naive_s = time.perf_counter() - at
    at = time.perf_counter()
    batch = holt_winters_many(history, HORIZON, SEASON)
    batch_s = time.perf_counter() - at
    nw, ns = _scores(actual, naive)
    bw, bs = _scores(actual, batch)
    print(f"seasonal naive      : {naive_s:6.2f} s   WAPE {nw:5.2f}%  sMAPE {ns:5.2f}")
    print(f"batch Holt-Winters  : {batch_s:6.2f} s   WAPE {bw:5.2f}%  sMAPE {bs:5.2f}")
    print(f"  WAPE ratio to seasonal naive: {bw / nw:.2f}; time ratio: {batch_s / naive_s:.1f}x")

    sample = history[:SAMPLE]
    at = time.perf_counter()
    one = np.vstack([_ets_one(h) for h in sample])
    one_s = time.perf_counter() - at
    at = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        two = np.vstack(list(pool.map(_ets_one, sample, chunksize=8)))
    two_s = time.perf_counter() - at
    assert np.allclose(one, two)
    ew, _ = _scores(actual[:SAMPLE], one)
    sw, _ = _scores(actual[:SAMPLE], batch[:SAMPLE])
    per = one_s / SAMPLE
    print(
        f"statsmodels ETS     : {SAMPLE} series in {one_s:.1f} s on 1 core, {two_s:.1f} s on 2 "
        f"(speed-up {one_s / two_s:.2f}); WAPE {ew:.2f}% (batch on the same: {sw:.2f}%)"
    )
    print(
        f"  all {n:,} series would take ~{per * n:,.0f} s on 1 core, ~{per * n * two_s / one_s:,.0f}"
        " s on 2"
    )
    print(f"whole command: {time.perf_counter() - began:.1f} s (target 60 s)")


if __name__ == "__main__":
    main()
