"""The lead score for a company's own leads: which attributes it uses, how it says them, and
how it is trained on what was known on a day."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from attain.scores.lead_history import WINDOW_DAYS, known_on, with_outcome
from attain.scores.leads import LeadScorer

NUMERIC = ("size",)
CATEGORICAL = ("source", "industry", "region")
"""Known from the day a lead is created. The owner is left out: a lead is scored before anyone
has worked it, and a per-rep effect learned from a few dozen leads each is mostly noise."""
MIN_LEADS = 200
"""Leads with a known outcome needed to train (below it the score refuses, saying why)."""


def lead_words(feature: str, value: object) -> str:
    """A lead's attribute as a sales team would say it."""
    if feature == "size":
        return "company size unknown" if pd.isna(value) else f"{float(value):,.0f} employees"  # type: ignore[arg-type]
    if feature == "source":
        return f"came from {value}"
    if feature == "industry":
        return f"in {value}"
    if feature == "region":
        return f"region {value}"
    return f"{feature} {value}"


def new_lead_score(random_state: int = 0) -> LeadScorer:
    """The untrained lead score: additive trees (a sum of per-attribute effects, which is how lead
    attributes mostly act) on the attributes above."""
    return LeadScorer(
        NUMERIC,
        CATEGORICAL,
        describe=lead_words,
        random_state=random_state,
        additive=True,
        rounds=100,
        learning_rate=0.1,
        min_leaf=100,
    )


def training_leads(leads: pd.DataFrame, day: dt.date, window: int = WINDOW_DAYS) -> pd.DataFrame:
    """Leads known on `day` whose window had passed by then, oldest first, with `converted`."""
    return with_outcome(known_on(leads, day), day, window)


def fit_lead_score(
    leads: pd.DataFrame, day: dt.date, window: int = WINDOW_DAYS, random_state: int = 0
) -> tuple[LeadScorer, pd.DataFrame]:
    """The lead score trained only on what was known on `day`, and the leads it learned from;
    a ValueError when fewer than MIN_LEADS had a known outcome."""
    train = training_leads(leads, day, window)
    if len(train) < MIN_LEADS or train["converted"].nunique() < 2:
        raise ValueError(
            f"only {len(train)} leads created by {day - dt.timedelta(days=window)} "
            f"(a {window}-day window before {day}) have a known outcome; the lead score needs "
            f"{MIN_LEADS}, with both conversions and non-conversions"
        )
    scorer = new_lead_score(random_state)
    return scorer.fit(train, train["converted"].to_numpy()), train
