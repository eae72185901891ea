"""The stage-rates win model: how often deals like this one were won, learned from the same
point of earlier periods.

For each of the last periods whose end had passed by the as-of day, the pipeline is rebuilt as
it stood as far into that period as the as-of day is into this one; each deal then open is
followed to what was known on the as-of day: won (at all, and with a decision by that period's
end) or not. The rates are counted per stage, then per stage and deal type, then per stage,
type and time in stage, each level shrunk towards the one above it, so a rare combination
borrows from its stage. With deal history the expected close date (in the period, later, or
already passed) and slips are known as of each day and join the keys; without it they are not
read, because today's close date of a deal would tell the future.

It is the model a forecast uses when no better scorer is given, and when a store has too
little history for one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from attain.forecasts.periods import ForecastPeriod
from attain.forecasts.pipeline_book import PipelineBook

PAST_PERIODS = 4
"""How many earlier periods the rates are learned from (a year of quarters)."""
SHRINK = 8.0
"""Pseudo-deals of the parent level's rate added to each key's own count."""


def _stage_age(days: pd.Series) -> pd.Series:
    return pd.cut(days, [-1, 30, 90, 10**6], labels=["fresh", "aging", "stale"]).astype(str)


def _close_timing(frame: pd.DataFrame, day: dt.date, period_end: dt.date) -> pd.Series:
    close = pd.to_datetime(frame["close_date"])
    return pd.Series(
        np.select(
            [close < pd.Timestamp(day), close <= pd.Timestamp(period_end)],
            ["passed", "in period"],
            "later",
        ),
        index=frame.index,
    )


def features(frame: pd.DataFrame, day: dt.date, period_end: dt.date, history: bool) -> pd.DataFrame:
    """The keys the rates are counted by, for open deals as of `day`."""
    out = pd.DataFrame(index=frame.index)
    out["stage"] = frame["stage"].astype(str)
    out["type"] = frame["type"].fillna("").astype(str)
    out["age"] = _stage_age(frame["days_in_stage"])
    if history:
        out["timing"] = _close_timing(frame, day, period_end)
        out["slipped"] = np.where(frame["slips"].fillna(0) > 0, "slipped", "kept")
    return out


@dataclass
class Rates:
    """A smoothed rate per key at each level (stage, stage x type, ...)."""

    levels: list[list[str]]
    overall: float
    tables: list[dict[tuple[str, ...], tuple[float, int]]] = field(default_factory=list)

    @classmethod
    def count(cls, keys: pd.DataFrame, outcome: np.ndarray, levels: list[list[str]]) -> Rates:
        overall = float(outcome.mean()) if len(outcome) else 0.0
        rates = cls(levels, overall)
        frame = keys.assign(_y=outcome.astype(float))
        for depth, cols in enumerate(levels):
            grouped = frame.groupby(cols, observed=True)["_y"].agg(["sum", "count"])
            table: dict[tuple[str, ...], tuple[float, int]] = {}
            for key, row in grouped.iterrows():
                k = key if isinstance(key, tuple) else (key,)
                parent = rates._lookup(k[: len(levels[depth - 1])], depth - 1)
                n = int(row["count"])
                table[k] = ((row["sum"] + SHRINK * parent) / (n + SHRINK), n)
            rates.tables.append(table)
        return rates

    def _lookup(self, key: tuple[str, ...], depth: int) -> float:
        if depth < 0:
            return self.overall
        hit = self.tables[depth].get(key)
        if hit is not None:
            return hit[0]
        return self._lookup(key[: len(self.levels[depth - 1])] if depth else (), depth - 1)

    def rate(self, keys: pd.DataFrame) -> np.ndarray:
        cols = self.levels[-1]
        rows = keys[cols].itertuples(index=False, name=None)
        return np.array([self._lookup(tuple(r), len(self.levels) - 1) for r in rows], float)

    def seen(self, key: tuple[str, ...]) -> int:
        hit = self.tables[0].get(key[:1]) if self.tables else None
        return hit[1] if hit else 0


@dataclass
class StageRates:
    """p_win and p_close_in_period from the rates of deals at the same point of past periods."""

    day: dt.date
    period: ForecastPeriod
    history: bool
    win: Rates | None
    close: Rates | None
    stage_probability: dict[str, float]
    trained_on: int = 0
    period_spread: float = 0.0
    """Standard deviation of log(share won in the period) across the past periods: how much
    one period's luck moves every deal's chance together (the band uses it)."""

    @classmethod
    def fit(
        cls,
        book: PipelineBook,
        day: dt.date,
        period: ForecastPeriod,
        past_periods: int = PAST_PERIODS,
    ) -> StageRates:
        """Learn from what was known at the end of `day` only."""
        known_now = book.as_of(day).set_index("deal")
        history = book.knows_history
        rows: list[pd.DataFrame] = []
        for k in range(1, past_periods + 1):
            then = period.same_point(day, k)
            end = period.shifted(k).end
            if end > day:
                continue
            snap = book.as_of(then)
            open_then = snap[snap["category"] == "open"]
            if open_then.empty:
                continue
            keys = features(open_then, then, end, history)
            fate = known_now.reindex(open_then["deal"])
            won = (fate["category"] == "won").to_numpy()
            decided = pd.to_datetime(fate["decided"]).to_numpy()
            keys["won"] = won
            keys["won_by_end"] = won & (decided <= np.datetime64(end))
            keys["decided_now"] = (fate["category"] != "open").to_numpy()
            keys["past_period"] = k
            rows.append(keys)
        levels = [["stage"], ["stage", "type"], ["stage", "type", "age"]]
        if history:
            levels += [levels[-1] + ["timing"], levels[-1] + ["timing", "slipped"]]
        if not rows:
            return cls(day, period, history, None, None, book.stage_probability)
        train = pd.concat(rows, ignore_index=True)
        decided = train[train["decided_now"]]
        spread = _period_spread(train)
        return cls(
            day,
            period,
            history,
            Rates.count(decided, decided["won"].to_numpy(), levels) if len(decided) else None,
            Rates.count(train, train["won_by_end"].to_numpy(), levels),
            book.stage_probability,
            len(train),
            spread,
        )

    def score(self, open_deals: pd.DataFrame, period_end: dt.date) -> pd.DataFrame:
        """p_win, p_close_in_period and reasons for each open deal (aligned with the input)."""
        keys = features(open_deals, self.day, period_end, self.history)
        default = open_deals["stage"].map(self.stage_probability).fillna(0.0).to_numpy(float)
        p_win = self.win.rate(keys) if self.win is not None else default
        p_close = self.close.rate(keys) if self.close is not None else default * 0.5
        p_close = np.minimum(p_close, p_win) if self.win is not None else p_close
        out = pd.DataFrame(
            {"deal": open_deals["deal"].to_numpy(), "p_win": p_win, "p_close_in_period": p_close},
            index=open_deals.index,
        )
        out["reasons"] = [
            _reasons(row, pc) for row, pc in zip(open_deals.itertuples(), p_close, strict=True)
        ]
        return out


def _period_spread(train: pd.DataFrame) -> float:
    """Between-period spread of log(share won in the period), less what the count of deals
    alone explains (binomial noise, (1 - p) / (n p) on the log scale)."""
    per = train.groupby("past_period")["won_by_end"].agg(["mean", "count"])
    per = per[per["mean"] > 0]
    if len(per) < 2:
        return 0.0
    noise = float(((1 - per["mean"]) / (per["count"] * per["mean"])).mean())
    between = float(np.log(per["mean"]).var(ddof=1)) - noise
    return float(np.sqrt(between)) if between > 0 else 0.0


def _reasons(deal: Any, p_close: float) -> list[str]:
    """Business words for what the rate rests on."""
    said = [f"{int(deal.days_in_stage)} days in {deal.stage}"]
    slips = int(getattr(deal, "slips", 0) or 0)
    if slips:
        said.append("slipped once" if slips == 1 else f"slipped {_times(slips)}")
    first, now = getattr(deal, "first_amount", None), getattr(deal, "amount", None)
    if first and now is not None and first > 0 and now < 0.9 * first:
        said.append(f"amount cut {round(100 * (1 - now / first))}%")
    said.append(f"{round(100 * p_close)}% of deals like it were won in the period")
    return said


def _times(n: int) -> str:
    return {2: "twice", 3: "three times"}.get(n, f"{n} times")
