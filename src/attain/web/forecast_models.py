"""The admin's view of the forecast models: a small backtest run on demand, which features each
model uses, and refresh (re-fit).

A full backtest replays many past dates and takes minutes on a large store (`attain score
backtest`, `attain forecast backtest`); the page runs a small one on demand - the win score at
the fourth week of each of the last `ORIGINS` quarters - and keeps its report in this process
(the last one per store), with who ran it and when.
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
from attain.comp.engine.periods import period_of

STAGE_RATE_FEATURES = ("stage", "days in stage", "expected close date against the period")
"""What the stage-rates model (the forecast's model without a win score) reads."""
ORIGINS = 3
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


@dataclass(frozen=True)
class ModelFeatures:
    model: str
    features: tuple[str, ...]


_lock = threading.Lock()
_reports: dict[str, KeptReport] = {}


def last_report(engine: Engine) -> KeptReport | None:
    with _lock:
        return _reports.get(str(engine.url))


def origins(today: dt.date, count: int = ORIGINS) -> list[tuple[dt.date, dt.date]]:
    """(as-of day, period end): week `WEEK` of each of the last `count` finished quarters."""
    found = []
    quarter = period_of(today, "quarter")
    for _ in range(count):
        quarter = period_of(quarter.start - dt.timedelta(days=1), "quarter")
        found.append((quarter.start + dt.timedelta(weeks=WEEK), quarter.end))
    return sorted(found)


def run_backtest(engine: Engine, actor: Actor, today: dt.date) -> KeptReport:
    """Score the open deals at each origin with only what was known then; compare with what
    happened (won with a decision by the quarter's end); keep the report."""
    from attain.scores.report import report_html

    title = "Win score: closes won in the quarter, from week 4"
    try:
        html, shown = _win_score_report(engine, today, title)
    except ImportError:
        html, shown = report_html(title, [], notes=("The win score is not installed.",)), []
    errors, coverage, quarters = _pipeline_backtest(engine)
    kept = KeptReport(
        html,
        title,
        clock.now(whole_seconds=True),
        actor.name,
        tuple(shown),
        tuple(errors),
        coverage,
        tuple(quarters),
    )
    with _lock:
        _reports[str(engine.url)] = kept
    return kept


def _win_score_report(engine: Engine, today: dt.date, title: str) -> tuple[str, list[dt.date]]:
    """The win score's report over the open deals at each origin (`origins`)."""
    import numpy as np
    import pandas as pd

    from attain.data.asof import deals_as_of
    from attain.scores.report import report_html, score_report
    from attain.scores.wins import WinScorer

    scores: list[float] = []
    outcomes: list[int] = []
    owners: list[str] = []
    shown = []
    final = _outcomes(engine)
    for day, period_end in origins(today):
        open_deals = deals_as_of(engine, day)
        open_deals = open_deals[open_deals["category"] == "open"].reset_index(drop=True)
        if open_deals.empty:
            continue
        scorer = WinScorer.fit(engine, day)
        scored = scorer.score(open_deals, period_end)
        won = [
            int(final.get(d, ("", None))[0] == "won" and _by(final.get(d), period_end))
            for d in open_deals["deal"]
        ]
        scores.extend(np.asarray(scored["p_close_in_period"], dtype=float).tolist())
        outcomes.extend(won)
        owners.extend(str(o) for o in open_deals["owner"])
        shown.append(day)
    if not scores:
        return report_html(title, [], notes=("No open deals at any origin.",)), shown
    report = score_report(
        "win score (p close in period)",
        pd.Series(scores),
        pd.Series(outcomes),
        segments={"owner": owners},
    )
    return report_html(title, [report], notes=[f"As of {d.isoformat()}" for d in shown]), shown


def _pipeline_backtest(engine: Engine) -> tuple[list[Any], float | None, list[str]]:
    """The pipeline forecast at week 4 of every quarter with a year of history before it,
    against the weighted pipeline and the calls, company level (`backtest_pipeline`)."""
    from attain.forecasts.pipeline_backtest import backtest_pipeline, coverage, errors
    from attain.forecasts.pipeline_book import PipelineBook
    from attain.web.forecast_cache import win_model

    rows = backtest_pipeline(
        PipelineBook.load(engine), week=WEEK, simulations=500, win_model=win_model(engine)
    )
    if not rows:
        return [], None, []
    return errors(rows, "company"), coverage(rows, "company"), sorted({r.quarter for r in rows})


def _by(found: tuple[str, dt.date | None] | None, period_end: dt.date) -> bool:
    return found is not None and found[1] is not None and found[1] <= period_end


def _outcomes(engine: Engine) -> dict[str, tuple[str, dt.date | None]]:
    """What really happened to each deal: its final stage category and decision date."""
    from sqlalchemy import select

    from attain.data.schema import Deal, DealStage

    with engine.connect() as conn:
        rows = conn.execute(
            select(Deal.id, DealStage.category, Deal.close_date).join(
                DealStage, DealStage.name == Deal.stage
            )
        ).all()
    return {d: (c, close) for d, c, close in rows}


def features(engine: Engine) -> list[ModelFeatures]:
    """Which features the win score uses, from a model fitted on today's store."""
    from attain.web.forecast_cache import kept, win_model

    def fitted() -> list[ModelFeatures]:
        fit = win_model(engine)
        if fit is None:
            return [ModelFeatures("stage rates", STAGE_RATE_FEATURES)]
        used = getattr(fit(clock.today()), "features", ())
        return [ModelFeatures("win score", tuple(str(f) for f in used))]

    found: list[ModelFeatures] = kept(engine, "features", "", clock.today(), "", fitted)
    return found


def refresh(engine: Engine, actor: Actor) -> None:
    """Re-fit at next use (the audited action; the forecast cache listens for it)."""
    refresh_models(engine, actor)
