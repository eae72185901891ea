"""Win scores: for each open deal as of a day, the chance it is won (`p_win`) and the chance it is
won with a decision by the end of the period (`p_close_in_period`), with its top reasons.

Training replays the pipeline: snapshots of the open deals every `every` days before the fit day
(`deals_as_of`), each labelled with what the fit day knows of its outcome. Censoring: a deal still
open on the fit day has no known outcome, so it is left out of the rows; to keep that from
favouring quick decisions, only snapshots whose quarter ended on or before the fit day are used,
and within them the deals still open are dropped (the count is kept in `censored`). A snapshot's
period is its calendar quarter: won with a decision on or before the quarter's end is a 1 for
`p_close_in_period`.

Each target is a gradient-boosted classifier, calibrated on the latest quarter of its rows
(isotonic or Platt, whichever has the lower ECE on a held-out half; see `LeadScorer`).

With less history the score says so in `basis`: without `deal_history` rows only stage, age and
the deal's fixed attributes are used (amount and close date would be today's values, which leak),
and with fewer than `MIN_DECIDED` decided deals it falls back to the stage catalog's probability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Engine

from attain.scores.leads import LeadScorer
from attain.scores.threads import threads_for
from attain.scores.win_features import (
    CATEGORICAL_HISTORY,
    CATEGORICAL_STAGE_AND_AGE,
    HISTORY,
    STAGE_AND_AGE,
    StoreFacts,
    as_of_day,
    features,
    owner_history,
    quarter_end,
    read_facts,
)
from attain.scores.win_reasons import win_words

MIN_DECIDED = 100
"""Fewer decided deals than this in the training snapshots: use the stage probabilities."""
EVERY_DAYS = 14
LOOKBACK_DAYS = 730
ANCHOR = dt.date(2000, 1, 3)
"""Snapshot days are this day plus multiples of `every`: fits on nearby days share snapshots."""
MODEL, STAGE_ONLY, STAGE_PROBABILITY = "model", "model (stage and age only)", "stage probabilities"

AsOf = Callable[[Engine, dt.date], pd.DataFrame]


def as_of_reader(engine: Engine) -> AsOf:
    """`deals_as_of` for many days: the store's history read once, then rebuilt per day."""
    from attain.data.asof import DealHistory

    history = DealHistory.load(engine)
    return lambda _engine, day: history.as_of(day)


def snapshot_days(
    day: dt.date, every: int = EVERY_DAYS, lookback: int = LOOKBACK_DAYS
) -> list[dt.date]:
    """Snapshot days before `day` whose quarter has ended by `day`, oldest first."""
    last = day - dt.timedelta(days=1)
    last -= dt.timedelta(days=(last - ANCHOR).days % every)
    out = []
    d = last
    while d >= day - dt.timedelta(days=lookback):
        if quarter_end(d) <= day:
            out.append(d)
        d -= dt.timedelta(days=every)
    return out[::-1]


def has_history(engine: Engine) -> bool:
    """Whether the store keeps deal history (snapshots of amount and close date)."""
    if not sa.inspect(engine).has_table("deal_history"):
        return False
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT 1 FROM deal_history LIMIT 1")).first() is not None


@dataclass
class TrainingRows:
    """The snapshots' open deals with their features and what the fit day knows of them."""

    x: pd.DataFrame
    won: np.ndarray
    closed_in_period: np.ndarray
    deals: np.ndarray
    censored: int


def training_rows(
    engine: Engine,
    day: dt.date,
    facts: StoreFacts,
    as_of: AsOf,
    every: int = EVERY_DAYS,
    lookback: int = LOOKBACK_DAYS,
    cache: MutableMapping[dt.date, pd.DataFrame] | None = None,
) -> TrainingRows:
    """Rows from every snapshot day, oldest first, labelled by what `day` knows."""
    cache = {} if cache is None else cache
    if day not in cache:
        cache[day] = as_of(engine, day)
    final = cache[day].set_index("deal")
    outcome = final["category"]
    decided = pd.to_datetime(final["decided"])
    parts, won, in_period, deals = [], [], [], []
    censored = 0
    for snap in snapshot_days(day, every, lookback):
        if snap not in cache:
            cache[snap] = as_of(engine, snap)
        frame = cache[snap]
        open_deals = frame[frame["category"] == "open"]
        end = outcome.reindex(open_deals["deal"]).to_numpy()
        known = np.isin(end, ["won", "lost"])
        censored += int((~known).sum())
        open_deals = open_deals[known]
        if open_deals.empty:
            continue
        period_end = quarter_end(snap)
        parts.append(features(open_deals, snap, period_end, facts, owner_history(frame)))
        is_won = end[known] == "won"
        when = decided.reindex(open_deals["deal"]).to_numpy()
        won.append(is_won)
        in_period.append(is_won & (when <= np.datetime64(period_end)))
        deals.append(open_deals["deal"].to_numpy())
    if not parts:
        empty = np.zeros(0, dtype=bool)
        return TrainingRows(pd.DataFrame(), empty, empty, np.zeros(0, dtype=object), censored)
    return TrainingRows(
        pd.concat(parts, ignore_index=True),
        np.concatenate(won),
        np.concatenate(in_period),
        np.concatenate(deals),
        censored,
    )


@dataclass
class WinScorer:
    """Fitted on what was known at `day`; scores open deals as of that day or later."""

    day: dt.date
    basis: str
    facts: StoreFacts = field(repr=False)
    owners: pd.DataFrame = field(repr=False)
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    decided_deals: int = 0
    training_rows: int = 0
    censored: int = 0
    calibration: dict[str, str] = field(default_factory=dict)
    calibration_ece: dict[str, dict[str, float]] = field(default_factory=dict)
    _win: LeadScorer | None = field(default=None, repr=False)
    _close: LeadScorer | None = field(default=None, repr=False)

    @classmethod
    def fit(
        cls,
        engine: Engine,
        day: dt.date,
        *,
        every: int = EVERY_DAYS,
        lookback: int = LOOKBACK_DAYS,
        min_decided: int = MIN_DECIDED,
        random_state: int = 0,
        cache: MutableMapping[dt.date, pd.DataFrame] | None = None,
        as_of: AsOf | None = None,
        with_history: bool | None = None,
    ) -> WinScorer:
        """Train on snapshots before `day`, labelled by what was known at the end of `day`.

        `cache` (as-of frames by day) lets fits on nearby days share their snapshots; `as_of`
        replaces the store's reader and `with_history` whether it keeps deal history (both
        read from the store by default)."""
        as_of = as_of or as_of_reader(engine)
        cache = {} if cache is None else cache
        facts = read_facts(engine)
        history = has_history(engine) if with_history is None else with_history
        numeric = STAGE_AND_AGE + (HISTORY if history else ())
        categorical = CATEGORICAL_STAGE_AND_AGE + (CATEGORICAL_HISTORY if history else ())
        rows = training_rows(engine, day, facts, as_of, every, lookback, cache)
        owners = owner_history(cache[day])
        decided = len(set(rows.deals.tolist()))
        both = 0 < rows.won.sum() < rows.won.size and rows.closed_in_period.sum() > 0
        scorer = cls(
            day,
            STAGE_PROBABILITY,
            facts,
            owners,
            numeric,
            categorical,
            decided,
            len(rows.won),
            rows.censored,
        )
        if decided < min_decided or not both or len(rows.won) < 200:
            return scorer
        scorer.basis = MODEL if history else STAGE_ONLY
        x = rows.x
        for target, y in (("p_win", rows.won), ("p_close_in_period", rows.closed_in_period)):
            model = LeadScorer(numeric, categorical, random_state=random_state)
            with threads_for(len(x)):
                model.fit(x, y.astype(np.int64))
            scorer.calibration[target] = model.calibration
            scorer.calibration_ece[target] = dict(model.calibration_ece)
            if target == "p_win":
                scorer._win = model
            else:
                scorer._close = model
        return scorer

    def stage_probability(self, open_deals: pd.DataFrame, period_end: dt.date) -> pd.DataFrame:
        """The rule of thumb: the stage catalog's probability (the fallback, and the baseline)."""
        p = open_deals["stage"].map(self.facts.stage_probability).astype("float64").fillna(0.0)
        due = pd.to_datetime(open_deals["close_date"]) <= pd.Timestamp(period_end)
        reasons = [
            [f"in {s} (the stage catalog gives {q:.0%})"]
            for s, q in zip(open_deals["stage"], p, strict=True)
        ]
        return pd.DataFrame(
            {
                "deal": open_deals["deal"].to_numpy(),
                "p_win": p.to_numpy(),
                "p_close_in_period": np.where(due.to_numpy(), p.to_numpy(), 0.0),
                "reasons": reasons,
            },
            index=open_deals.index,
        )

    def features(
        self, open_deals: pd.DataFrame, period_end: dt.date, day: dt.date | None = None
    ) -> pd.DataFrame:
        """The model's inputs for `open_deals` (an as-of frame) against `period_end`."""
        day = day or as_of_day(open_deals)
        return features(open_deals, day, period_end, self.facts, self.owners)

    def score(
        self,
        open_deals: pd.DataFrame,
        period_end: dt.date,
        day: dt.date | None = None,
        top: int = 3,
    ) -> pd.DataFrame:
        """p_win, p_close_in_period and `top` reasons per deal (same index as `open_deals`).

        `day` is the as-of day of the frame (default: read from creation plus age)."""
        if self._win is None or self._close is None or open_deals.empty:
            return self.stage_probability(open_deals, period_end)
        x = self.features(open_deals, period_end, day)
        with threads_for(len(x)):
            p_win = self._win.score(x)
            p_close = np.minimum(self._close.score(x), p_win)
            found = self._win.reasons(x, top) if top and len(x) else [() for _ in range(len(x))]
        reasons = [
            [win_words(r.feature, x.iloc[i], open_deals.iloc[i]) for r in rs]
            for i, rs in enumerate(found)
        ]
        return pd.DataFrame(
            {
                "deal": open_deals["deal"].to_numpy(),
                "p_win": p_win,
                "p_close_in_period": p_close,
                "reasons": reasons,
            },
            index=open_deals.index,
        )
