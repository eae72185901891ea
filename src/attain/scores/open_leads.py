"""Every lead still open on a day, scored with only what was known that day: the probability it
converts within its window, a priority band and the reasons.

The lead score says how likely a lead is to convert when it is created. A lead still open after
some weeks is less likely to than it was on day one (most conversions come early), so the
creation score is re-calibrated by the lead's age: for each age band, a logistic fit of "converted
within the window" on the creation score's log-odds, over the training leads still open at that
age. Past its window a lead can no longer convert within it: probability 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sqlalchemy import Engine

from attain.scores.lead_history import WINDOW_DAYS, known_on, read_leads
from attain.scores.lead_model import fit_lead_score
from attain.scores.leads import Reason

AGE_BANDS = (0, 7, 14, 30, 60)
"""Lower edges (days since creation) of the age bands the score is re-calibrated in."""


@dataclass(frozen=True)
class OpenLeadScores:
    day: dt.date
    window: int
    trained_on: int
    leads: pd.DataFrame
    """id, created, age_days, source, industry, size, region, owner, probability, band,
    reasons (tuple of Reason), best first."""


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)))


def _age_band(age: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.asarray(np.searchsorted(AGE_BANDS, age, side="right") - 1)


class AgeCalibration:
    """Per age band, P(converted within the window | still open at that age) from the creation
    score; bands with too few leads (or one outcome) keep the creation score."""

    def __init__(self) -> None:
        self._fits: dict[int, LogisticRegression] = {}

    def fit(self, train: pd.DataFrame, creation: NDArray[np.float64]) -> AgeCalibration:
        decided = train["converted_date"].fillna(train["disqualified"])
        took = (decided - train["created"]).dt.days.to_numpy(dtype=float)
        y = train["converted"].to_numpy()
        for band, edge in enumerate(AGE_BANDS):
            still_open = ~(took < edge)  # NaN (never decided) is open at every age
            if still_open.sum() >= 50 and 0 < y[still_open].sum() < still_open.sum():
                x = _logit(creation[still_open]).reshape(-1, 1)
                self._fits[band] = LogisticRegression(C=1e6).fit(x, y[still_open])
        return self

    def __call__(
        self, creation: NDArray[np.float64], age: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        out = creation.copy()
        bands = _age_band(age)
        for band, fit in self._fits.items():
            mask = bands == band
            if band and mask.any():  # band 0 is the creation score itself
                out[mask] = fit.predict_proba(_logit(creation[mask]).reshape(-1, 1))[:, 1]
        return out


def _with_age(reasons: tuple[Reason, ...], age: int, effect: float, top: int) -> tuple[Reason, ...]:
    if abs(effect) < 0.005:
        return reasons
    aged = Reason("age", f"open {age} day{'s' if age != 1 else ''}", effect)
    return tuple(sorted((*reasons, aged), key=lambda r: -abs(r.effect))[:top])


def score_open_leads(
    leads: pd.DataFrame, day: dt.date, window: int = WINDOW_DAYS, top: int = 3
) -> OpenLeadScores:
    """Train on what was known on `day` and score the leads open at its end."""
    scorer, train = fit_lead_score(leads, day, window)
    ages = AgeCalibration().fit(train, scorer.score(train))
    known = known_on(leads, day)
    open_ = known[known["open"]].reset_index(drop=True)
    creation = scorer.score(open_) if len(open_) else np.zeros(0)
    age = open_["age_days"].to_numpy(dtype=np.int64)
    p = np.where(age > window, 0.0, ages(creation, age))
    reasons = scorer.reasons(open_, top) if len(open_) else []
    out = open_[["id", "created", "age_days", *scorer.features, "owner"]].copy()
    out["probability"] = p
    out["band"] = scorer.bands(p)
    out["reasons"] = [
        _with_age(r, int(a), float(pa - pc), top)
        for r, a, pa, pc in zip(reasons, age, p, creation, strict=True)
    ]
    out = out.sort_values(["probability", "id"], ascending=[False, True], kind="stable")
    return OpenLeadScores(day, window, len(train), out.reset_index(drop=True))


def score_open_leads_in(engine: Engine, day: dt.date, window: int = WINDOW_DAYS) -> OpenLeadScores:
    """The same, reading the store."""
    return score_open_leads(read_leads(engine), day, window)
