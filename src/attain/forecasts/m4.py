"""The M4 competition's Weekly series (Makridakis, Spiliotis, Assimakopoulos, International
Journal of Forecasting 36(1), 2020): reading its files and scoring a forecaster on them exactly
as the competition did (horizon 13, sMAPE and MASE averaged over the series, MASE scaled by the
lag-1 naive error, the frequency M4 used for weekly data), so attain's figures stand beside the
published ones."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from attain.forecasts.accuracy import mase, smape

HORIZON = 13
MASE_SEASON = 1
"""M4 scaled weekly MASE by the lag-1 naive error (its frequency for weekly series is 1)."""

PUBLISHED = {
    "Naive": (9.161, 2.777),
    "SES": (9.012, 2.685),
    "Theta": (9.093, 2.637),
}
"""sMAPE and MASE of M4's own benchmarks on the Weekly series, as the organisers published them."""
STATSFORECAST = {"AutoETS": 8.71, "AutoTheta": 7.94}
"""sMAPE of statsforecast 2.1's AutoETS and AutoTheta on the same split, as measured on this kind of machine
(measured with season length 52, which AutoETS reduces to non-seasonal models)."""

Forecaster = Callable[[npt.NDArray[np.float64], int], npt.NDArray[np.float64]]


@dataclass(frozen=True)
class Series:
    id: str
    history: npt.NDArray[np.float64]
    actual: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Score:
    method: str
    series: int
    smape: float
    mase: float


def _rows(path: Path) -> Iterator[tuple[str, npt.NDArray[np.float64]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader, None)  # V1, V2, ...
        for n, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                values = np.array([float(v) for v in row[1:] if v.strip() != ""])
            except ValueError as exc:
                raise ValueError(f"{path.name}: row {n} ({row[0]}): {exc}") from None
            yield row[0], values


def read_weekly(folder: Path) -> list[Series]:
    """The 359 weekly series: `Weekly-train.csv` (history) and `Weekly-test.csv` (the next 13
    weeks), wide, one series per row, blank-padded."""
    test = dict(_rows(folder / "Weekly-test.csv"))
    out = []
    for sid, history in _rows(folder / "Weekly-train.csv"):
        if sid not in test:
            raise ValueError(f"Weekly-test.csv has no row for {sid}")
        if len(test[sid]) != HORIZON:
            raise ValueError(f"Weekly-test.csv: {sid} has {len(test[sid])} weeks, not {HORIZON}")
        out.append(Series(sid, history, test[sid]))
    return out


def score(method: str, forecaster: Forecaster, series: list[Series]) -> Score:
    """The forecaster's mean sMAPE and MASE over the series, each forecast 13 weeks ahead."""
    smapes, mases = [], []
    for s in series:
        forecast = forecaster(s.history, HORIZON)
        smapes.append(smape(s.actual, forecast))
        mases.append(mase(s.actual, forecast, s.history, MASE_SEASON))
    return Score(method, len(series), float(np.mean(smapes)), float(np.mean(mases)))
