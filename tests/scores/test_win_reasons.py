"""The win score on a hand-made pipeline whose rule is known: a deal whose close date slipped twice
is nearly always lost, the others are won seven times in ten. The score must find it, say it in
business words, and fall back to the stage probabilities when too few deals were decided."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

from attain.data.schema import Account, DealStage
from attain.data.store import get_engine
from attain.scores.win_reasons import win_words
from attain.scores.wins import MODEL, STAGE_PROBABILITY, WinScorer

START = dt.date(2024, 1, 1)
STAGES = (("prospecting", "0.10"), ("proposal", "0.40"), ("negotiation", "0.70"))


class Pipeline:
    """600 deals over two years: stages at +0, +10, +30 days; a slipper's close date moves 30
    days later at +20 and +40 and it is decided at +90 (lost 90%); the rest at +60 (won 70%)."""

    def __init__(self, n: int = 600, seed: int = 4) -> None:
        rng = np.random.default_rng(seed)
        self.created = np.sort(rng.integers(0, 700, n))
        self.slipper = rng.random(n) < 0.3
        self.won = np.where(self.slipper, rng.random(n) < 0.1, rng.random(n) < 0.7)
        self.decide = self.created + np.where(self.slipper, 90, 60)
        self.ids = np.array([f"D{i:04d}" for i in range(n)])
        self.owner = rng.choice(["ann", "bob", "cid"], n)
        self.account = rng.choice(["A1", "A2"], n)

    def as_of(self, _engine: object, day: dt.date) -> pd.DataFrame:
        d = (day - START).days
        seen = self.created <= d
        c, age = self.created[seen], d - self.created[seen]
        decided = self.decide[seen] <= d
        won = self.won[seen]
        slips = np.where(self.slipper[seen], (age >= 20).astype(int) + (age >= 40), 0)
        stage_k = (age >= 10).astype(int) + (age >= 30)
        entered = c + np.array([0, 10, 30])[stage_k]
        stage = np.array([s for s, _ in STAGES])[stage_k]
        stage = np.where(decided, np.where(won, "won", "lost"), stage)
        entered = np.where(decided, self.decide[seen], entered)
        close = np.where(decided, self.decide[seen], c + 60 + 30 * slips)
        base = pd.Timestamp(START)
        return pd.DataFrame(
            {
                "deal": self.ids[seen],
                "owner": self.owner[seen],
                "account": self.account[seen],
                "product": "PLT",
                "type": "new",
                "currency": "USD",
                "created": base + pd.to_timedelta(c, unit="D"),
                "stage": stage,
                "category": np.where(decided, np.where(won, "won", "lost"), "open"),
                "stage_entered": base + pd.to_timedelta(entered, unit="D"),
                "days_in_stage": d - entered,
                "age_days": age,
                "amount": 1000.0,
                "first_amount": 1000.0,
                "close_date": base + pd.to_timedelta(close, unit="D"),
                "first_close_date": base + pd.to_timedelta(c + 60, unit="D"),
                "slips": slips,
                "slip_days": 30 * slips,
                "amount_changes": 0,
                "forecast_category": np.where(decided, "closed", "pipeline"),
                "decided": (base + pd.to_timedelta(self.decide[seen], unit="D")).where(decided),
            }
        )


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A store holding only the stage catalog and the two accounts."""
    e = get_engine(f"sqlite:///{tmp_path_factory.mktemp('wins') / 'a.db'}")
    with e.begin() as conn:
        names = [*STAGES, ("won", "1.00"), ("lost", "0.00")]
        conn.execute(
            insert(DealStage),
            [
                {
                    "name": n,
                    "position": i,
                    "category": n if n in ("won", "lost") else "open",
                    "probability": Decimal(p),
                }
                for i, (n, p) in enumerate(names, start=1)
            ],
        )
        conn.execute(
            insert(Account),
            [{"id": "A1", "segment": "SMB"}, {"id": "A2", "segment": "Enterprise"}],
        )
    return e


FIT_DAY = dt.date(2025, 10, 1)


@pytest.fixture(scope="module")
def fitted(engine) -> tuple[WinScorer, Pipeline]:  # type: ignore[no-untyped-def]
    pipe = Pipeline()
    scorer = WinScorer.fit(engine, FIT_DAY, as_of=pipe.as_of, with_history=True, every=7)
    return scorer, pipe


def test_the_score_learns_that_slipped_deals_are_lost(fitted) -> None:  # type: ignore[no-untyped-def]
    scorer, pipe = fitted
    assert scorer.basis == MODEL and scorer.decided_deals > 100
    frame = pipe.as_of(None, FIT_DAY)
    open_deals = frame[frame["category"] == "open"]
    scores = scorer.score(open_deals, dt.date(2025, 12, 31))
    assert list(scores.index) == list(open_deals.index)
    assert scores["deal"].tolist() == open_deals["deal"].tolist()
    assert (scores["p_close_in_period"] <= scores["p_win"] + 1e-12).all()
    twice = (open_deals["slips"] == 2).to_numpy()
    assert twice.any() and (~twice).any()
    assert scores["p_win"][twice].mean() < 0.3 < 0.55 < scores["p_win"][~twice].mean()
    for reasons in scores["reasons"][twice]:
        assert len(reasons) == 3
        assert any(r in ("slipped twice", "close date moved 60 days later") for r in reasons)


def test_reasons_are_business_words() -> None:
    x = pd.Series(
        {
            "slips": 2.0,
            "amount_ratio": 0.7,
            "days_in_stage": 45.0,
            "owner_win_rate": 0.18,
            "log_amount": math.log1p(397_100.0),
        }
    )
    deal = pd.Series({"stage": "negotiation"})
    assert win_words("slips", x, deal) == "slipped twice"
    assert win_words("amount_ratio", x, deal) == "amount cut 30%"
    assert win_words("days_in_stage", x, deal) == "45 days in negotiation"
    assert win_words("owner_win_rate", x, deal) == "owner wins 18% of deals"
    assert win_words("log_amount", x, deal) == "worth USD 397,100.00"  # with its currency


def test_fewer_decided_deals_fall_back_to_the_stage_probabilities(engine) -> None:  # type: ignore[no-untyped-def]
    """A young pipeline (fit after three months) has too few decided deals: stage catalog."""
    pipe = Pipeline()
    day = dt.date(2024, 4, 1)
    scorer = WinScorer.fit(engine, day, as_of=pipe.as_of, with_history=True)
    assert scorer.basis == STAGE_PROBABILITY
    frame = pipe.as_of(None, day)
    open_deals = frame[frame["category"] == "open"]
    scores = scorer.score(open_deals, dt.date(2024, 6, 30))
    expected = open_deals["stage"].map(dict((s, float(p)) for s, p in STAGES))
    assert np.allclose(scores["p_win"], expected)
    due = open_deals["close_date"] <= pd.Timestamp("2024-06-30")
    assert np.allclose(scores["p_close_in_period"], np.where(due, expected, 0.0))
    assert scores["reasons"].iloc[0][0].startswith("in ")


def test_without_deal_history_only_stage_and_age_are_used(engine) -> None:  # type: ignore[no-untyped-def]
    pipe = Pipeline()
    scorer = WinScorer.fit(engine, FIT_DAY, as_of=pipe.as_of, with_history=False, every=14)
    assert "slips" not in scorer.numeric and "stage_position" in scorer.numeric
    assert "forecast_category" not in scorer.categorical


def test_no_open_deals_gives_an_empty_frame(fitted) -> None:  # type: ignore[no-untyped-def]
    scorer, pipe = fitted
    frame = pipe.as_of(None, FIT_DAY)
    scores = scorer.score(frame.iloc[:0], dt.date(2025, 12, 31))
    assert scores.empty and {"deal", "p_win", "p_close_in_period", "reasons"} <= set(scores)
