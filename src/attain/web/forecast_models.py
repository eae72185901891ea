"""The admin's view of the forecast models: a small backtest run on demand, which features each
model uses, and refresh (re-fit).

A full backtest replays many past dates and takes minutes on a large store (`attain score
backtest wins`); the page runs a small one on demand - the pipeline forecast at week 4 of every
quarter with a year of history, and the win score at the last `MONTHS` month starts - and keeps
its report in this process (the last one per store), with who ran it and when.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from attain import clock
from attain.actions.forecast_models import refresh_models
from attain.audit.actor import Actor

STAGE_RATE_FEATURES = ("stage", "days in stage", "expected close date against the period")
"""What the stage-rates model (the forecast's model without a win score) reads."""
NOT_YET_CREATED_FEATURES = (
    "each owner's won amount from deals created after the same point of earlier periods",
    "pipeline created in the last 90 days against the 90 days before each of those points",
)
MONTHS = 3
"""Month starts the on-demand win-score backtest fits and scores at (the CLI's default: 24)."""
WEEK = 4


@dataclass(frozen=True)
class KeptReport:
    """The last backtest run on this server: the pipeline forecast's errors per method, the
    interval's coverage, and the win score's report page."""

    html: str
    title: str
    ran_at: dt.datetime
    ran_by: str
    origins: tuple[dt.date, ...]
    errors: tuple[Any, ...] = ()
    coverage: float | None = None
    quarters: tuple[str, ...] = ()
    pipeline_html: str = ""


@dataclass(frozen=True)
class ModelFeatures:
    model: str
    features: tuple[str, ...]


_lock = threading.Lock()
_reports: dict[str, KeptReport] = {}


def last_report(engine: Engine) -> KeptReport | None:
    with _lock:
        return _reports.get(str(engine.url))


def run_backtest(engine: Engine, actor: Actor, months: int = MONTHS) -> KeptReport:
    """Run the backtests now and keep their report (the last one per store)."""
    from attain.scores.report import report_html
    from attain.scores.win_backtest import backtest

    title = f"Win score backtest: {months} month starts"
    try:
        wins = backtest(engine, months=months)
        html = report_html(title, list(wins.reports.values()), wins.notes)
        days: tuple[dt.date, ...] = tuple(wins.fit_days)
    except ValueError as exc:  # too little history to fit at any day
        html, days = report_html(title, [], notes=(str(exc),)), ()
    errors, coverage, quarters, pipeline_html = _pipeline_backtest(engine)
    kept = KeptReport(
        html,
        title,
        clock.now(whole_seconds=True),
        actor.name,
        days,
        tuple(errors),
        coverage,
        tuple(quarters),
        pipeline_html,
    )
    with _lock:
        _reports[str(engine.url)] = kept
    return kept


def _pipeline_backtest(engine: Engine) -> tuple[list[Any], float | None, list[str], str]:
    """The pipeline forecast at week 4 of every quarter with a year of history before it,
    against the weighted pipeline and the calls, company level (`backtest_pipeline`)."""
    from attain.forecasts.pipeline_backtest import backtest_pipeline, coverage, errors
    from attain.forecasts.pipeline_book import PipelineBook
    from attain.forecasts.pipeline_report import report_html
    from attain.web.forecast_cache import win_model

    rows = backtest_pipeline(
        PipelineBook.load(engine), week=WEEK, simulations=500, win_model=win_model(engine)
    )
    title = f"Pipeline forecast at week {WEEK}"
    if not rows:
        note = "No quarter has a year of history before it yet: nothing to backtest."
        return [], None, [], report_html(title, [], "USD", [note])
    page = report_html(title, [("this store", rows)], "USD", [])
    quarters = sorted({r.quarter for r in rows})
    return errors(rows, "company"), coverage(rows, "company"), quarters, page


def features(engine: Engine) -> list[ModelFeatures]:
    """Which features the win score uses, from a model fitted on today's store."""
    from attain.web.forecast_cache import kept, win_model

    def fitted() -> list[ModelFeatures]:
        fit = win_model(engine)
        if fit is None:
            return [ModelFeatures("stage rates", STAGE_RATE_FEATURES)]
        scorer = fit(clock.today())
        used = (*scorer.numeric, *scorer.categorical)
        return [
            ModelFeatures(f"win score ({scorer.basis})", tuple(used)),
            ModelFeatures("pipeline not yet created", NOT_YET_CREATED_FEATURES),
        ]

    found: list[ModelFeatures] = kept(engine, "features", "", clock.today(), "", fitted)
    return found


def refresh(engine: Engine, actor: Actor) -> None:
    """Re-fit at next use (the audited action; the forecast cache listens for it)."""
    refresh_models(engine, actor)
