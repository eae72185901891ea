"""The week-N backtest of the pipeline forecast: for every quarter with a year of history
before it, forecast the quarter's won bookings at the end of its week N with only what was known
then, for the company and each first-line team, and compare with what was won.

Beside the model, in the same run and on the same rows: the stage-weighted pipeline and, where
the store keeps submitted calls, the commit and best-case calls in force that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from attain.forecasts.periods import ForecastPeriod, quarter_of
from attain.forecasts.pipeline import NodeForecast, WinModelFit, forecast_from_book
from attain.forecasts.pipeline_book import PipelineBook
from attain.forecasts.pipeline_rollup import hierarchy_on

HISTORY_DAYS = 365
METHODS = ("model", "weighted", "commit", "best_case")


@dataclass(frozen=True)
class Outcome:
    """One node's forecast of one quarter beside what happened (planning currency)."""

    quarter: str
    node: str
    level: str  # company | team
    actual: float
    model: float
    low: float
    high: float
    weighted: float
    commit: float | None
    best_case: float | None = None


@dataclass(frozen=True)
class MethodError:
    method: str
    level: str
    n: int
    median_abs_error: float
    wape: float
    bias: float


def quarters_to_test(book: PipelineBook, week: int) -> list[ForecastPeriod]:
    """Quarters wholly inside the history with at least a year of decided deals before them."""
    closed = book.events[book.events["to_stage"].isin(book.catalog.closed)]
    first = closed["at"].min()
    last = book.events["at"].max()
    if pd.isna(first) or pd.isna(last):
        return []
    # A year from the month of the first decision: a history that starts in January tests
    # the next January's quarter.
    start = pd.Timestamp(first).date().replace(day=1) + dt.timedelta(days=HISTORY_DAYS)
    end = pd.Timestamp(last).date()
    q = quarter_of(start)
    if q.start < start:
        q = q.shifted(-1)
    out = []
    while q.end <= end:
        out.append(q)
        q = q.shifted(-1)
    return out


def backtest_pipeline(
    book: PipelineBook,
    week: int = 4,
    simulations: int = 1000,
    seed: int = 0,
    win_model: WinModelFit | None = None,
) -> list[Outcome]:
    """Every tested quarter's forecasts and outcomes, company and first-line teams."""
    final = book.as_of(pd.Timestamp(book.events["at"].max()).date())
    decided = pd.to_datetime(final["decided"])
    rows: list[Outcome] = []
    for q in quarters_to_test(book, week):
        day = q.week_day(week)
        forecast = forecast_from_book(book, q, day, None, simulations, seed, win_model=win_model)
        won = final[
            (final["category"] == "won")
            & (decided >= pd.Timestamp(q.start))
            & (decided <= pd.Timestamp(q.end))
        ]
        rate = book.rates(won["currency"], day)
        actual = (
            pd.Series(won["amount"].to_numpy(float) * rate).groupby(won["owner"].to_numpy()).sum()
        )
        tree = hierarchy_on(book.people, day, set(final["owner"]))
        for node in forecast.root.walk():
            if node.node == "" and node.name == "Company":
                level, owners = "company", list(actual.index)
            elif not _first_line(node):
                continue
            else:
                level, owners = "team", tree.under(node.node)
            rows.append(
                Outcome(
                    q.key,
                    node.node,
                    level,
                    float(actual.reindex(owners).fillna(0.0).sum()),
                    float(node.expected),
                    float(node.low),
                    float(node.high),
                    float(node.weighted_pipeline),
                    float(node.commit) if node.commit is not None else None,
                    float(node.best_case) if node.best_case is not None else None,
                )
            )
    return rows


def _first_line(node: NodeForecast) -> bool:
    """A manager whose reports all sell (none of them manages anyone)."""
    return bool(node.node) and bool(node.children) and not any(c.children for c in node.children)


def errors(rows: list[Outcome], level: str) -> list[MethodError]:
    """Median absolute error, WAPE and bias of each method on the rows of one level."""
    picked = [r for r in rows if r.level == level]
    out = []
    for method in METHODS:
        pairs = [(r.actual, getattr(r, method)) for r in picked if getattr(r, method) is not None]
        if not pairs:
            continue
        actual = np.array([a for a, _ in pairs])
        guess = np.array([g for _, g in pairs])
        total = float(np.abs(actual).sum())
        out.append(
            MethodError(
                method,
                level,
                len(pairs),
                float(np.median(np.abs(guess - actual))),
                float(np.abs(guess - actual).sum() / total * 100) if total else float("nan"),
                float((guess - actual).sum() / total * 100) if total else float("nan"),
            )
        )
    return out


def coverage(rows: list[Outcome], level: str | None = None) -> float:
    """Share of outcomes inside the 80% band."""
    picked = [r for r in rows if level is None or r.level == level]
    if not picked:
        return float("nan")
    return float(np.mean([r.low <= r.actual <= r.high for r in picked]))
