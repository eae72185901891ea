"""The lead score backtested on a company's own leads: trained on what was known at a cutoff,
it scores the leads created after it, and is judged on whether they converted within the window.

On a generated company the leads come from a known model (`lead_conversion_model` in
`synth_truths`); its probabilities for the same test leads are the best any score could do, so
they are measured beside the lead score in the same run. Elsewhere the baseline is the training
conversion rate for everyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sqlalchemy import Engine

from attain.data.synth.truths import truths
from attain.scores.lead_history import WINDOW_DAYS, outcome_by, read_leads
from attain.scores.lead_model import fit_lead_score
from attain.scores.leads import BANDS
from attain.scores.report import ScoreReport, score_report

SEGMENTS = ("region", "source", "owner")
TEST_DAYS = 365
"""By default the cutoff leaves a year of test leads whose window has passed."""


@dataclass(frozen=True)
class BandRow:
    """How the leads of one priority band converted."""

    band: str
    leads: int
    converted: int
    mean_score: float


@dataclass(frozen=True)
class LeadBacktest:
    cutoff: dt.date
    last_day: dt.date
    window: int
    train_rows: int
    calibration: str
    report: ScoreReport
    """The lead score on the test leads; its baseline is the true model or the base rate."""
    bands: tuple[BandRow, ...]
    test_ids: tuple[str, ...]
    test_scores: NDArray[np.float64]


def true_probability(model: Mapping[str, Any], leads: pd.DataFrame) -> NDArray[np.float64]:
    """The recorded true model's conversion probability for each lead (its logistic form:
    intercept + source + industry + size_per_log10 x (log10(size) - 2))."""
    logit = (
        float(model["intercept"])
        + leads["source"].map(model["source"]).astype(float).to_numpy()
        + leads["industry"].map(model["industry"]).astype(float).to_numpy()
        + float(model["size_per_log10"]) * (np.log10(leads["size"].to_numpy(dtype=float)) - 2.0)
    )
    return np.asarray(1.0 / (1.0 + np.exp(-logit)))


def last_day_of(leads: pd.DataFrame) -> dt.date:
    """The last day the data knows about: the latest creation, conversion or disqualification."""
    days = [leads[c].max() for c in ("created", "converted_date", "disqualified")]
    return max(d for d in days if pd.notna(d)).date()  # type: ignore[no-any-return]


def _band_rows(
    bands: list[str], scores: NDArray[np.float64], y: NDArray[np.int64]
) -> list[BandRow]:
    labels = np.asarray(bands)
    out = []
    for band in BANDS:
        mask = labels == band
        if mask.any():
            out.append(
                BandRow(band, int(mask.sum()), int(y[mask].sum()), float(scores[mask].mean()))
            )
    return out


def backtest_leads(
    engine: Engine,
    cutoff: dt.date | None = None,
    window: int = WINDOW_DAYS,
    leads: pd.DataFrame | None = None,
) -> LeadBacktest:
    """Train at `cutoff` (default: a year plus the window before the last day), score the leads
    created after it whose window has passed by the last day, and measure both scores."""
    leads = read_leads(engine) if leads is None else leads
    if leads.empty:
        raise ValueError("the store has no leads")
    last = last_day_of(leads)
    cutoff = cutoff or last - dt.timedelta(days=window + TEST_DAYS)
    scorer, train = fit_lead_score(leads, cutoff, window)
    horizon = pd.Timestamp(last - dt.timedelta(days=window))
    test = leads[(leads["created"] > pd.Timestamp(cutoff)) & (leads["created"] <= horizon)]
    if test.empty:
        raise ValueError(
            f"no lead was created after {cutoff} with its {window}-day window over by {last}"
        )
    y = outcome_by(test, window).to_numpy()
    scores = scorer.score(test)
    by = {s: test[s].tolist() for s in SEGMENTS}
    model = truths(engine).get("lead_conversion_model")
    if model is not None:
        truth = true_probability(model, test)
        baseline = score_report("true model", truth, y, by)
    else:
        rate = float(train["converted"].mean())
        baseline = score_report("training conversion rate", np.full(y.size, rate), y, by)
    report = score_report("lead score", scores, y, by, baseline=baseline)
    return LeadBacktest(
        cutoff,
        last,
        window,
        len(train),
        scorer.calibration,
        report,
        tuple(_band_rows(scorer.bands(scores), scores, y)),
        tuple(test["id"]),
        scores,
    )
