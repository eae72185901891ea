"""The win score replayed on a store's own history: at each month start, fit on what was known
that day, score every deal open that day, and compare with what happened (the `deals` table
today: final stage and decision date).

A deal still open today has no outcome: it is left out of the `p_win` rows, and out of the
`p_close_in_period` rows unless its period ended before the history did (then it plainly did
not close in it). The baseline is the stage catalog's probability (`deal_stages.probability`)
on the same rows; for `p_close_in_period`, that probability when the deal's expected close date
as of the day falls in the period, else 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Engine

from attain.data.stages import stage_catalog
from attain.scores.report import ScoreReport, score_report
from attain.scores.win_features import quarter_end
from attain.scores.wins import EVERY_DAYS, LOOKBACK_DAYS, WinScorer, as_of_reader

SETTLE_DAYS = 120
"""The last fit day is at least this long before the history ends, so most of its open deals
have an outcome."""
TARGETS = ("p_win", "p_close_in_period")


@dataclass
class WinBacktest:
    fit_days: list[dt.date]
    reports: dict[str, ScoreReport]
    rows: pd.DataFrame = field(repr=False)
    """One row per (fit day, open deal): scores, baseline, outcomes, segments."""
    notes: list[str] = field(default_factory=list)


def month_starts(last: dt.date, months: int) -> list[dt.date]:
    """`months` first-of-month days, the latest on or before `last`, oldest first."""
    out, y, m = [], last.year, last.month
    for _ in range(months):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _outcomes(engine: Engine) -> tuple[pd.DataFrame, dt.date]:
    """What happened (final category, decision day) per deal, and the day history ends."""
    catalog = stage_catalog(engine)
    with engine.connect() as conn:
        deals = pd.read_sql(sa.text("SELECT id, stage, close_date, created FROM deals"), conn)
        last_event = conn.execute(sa.text("SELECT max(at) FROM deal_stage_events")).scalar()
    if deals.empty:
        raise ValueError("the store has no deals to backtest")
    deals["category"] = deals["stage"].map(catalog.category)
    deals["close_date"] = pd.to_datetime(deals["close_date"])
    end = pd.to_datetime(deals["created"]).max()
    if last_event is not None:
        end = max(end, pd.Timestamp(last_event).normalize())
    return deals.set_index("id"), end.date()


def _segments(engine: Engine) -> tuple[dict[str, str], pd.DataFrame, dict[str, str]]:
    with engine.connect() as conn:
        region: dict[str, str] = {
            a: r for a, r in conn.execute(sa.text("SELECT id, region FROM accounts"))
        }
        people = pd.read_sql(sa.text("SELECT id, valid_from, team FROM people"), conn)
        teams: dict[str, str] = {
            t: n for t, n in conn.execute(sa.text("SELECT id, name FROM teams"))
        }
    people["valid_from"] = pd.to_datetime(people["valid_from"])
    return region, people.sort_values("valid_from"), teams


def _team_on(people: pd.DataFrame, teams: dict[str, str], day: dt.date) -> dict[str, str]:
    """Each person's team (by name) as of `day`: their latest row valid from then or before."""
    rows = people[people["valid_from"] <= pd.Timestamp(day)].drop_duplicates("id", keep="last")
    return {p: teams.get(t) or str(t) for p, t in zip(rows["id"], rows["team"], strict=True)}


def backtest(
    engine: Engine,
    months: int = 24,
    last: dt.date | None = None,
    every: int = EVERY_DAYS,
    lookback: int = LOOKBACK_DAYS,
    random_state: int = 0,
) -> WinBacktest:
    """Fit at `months` month starts ending at `last` (default: SETTLE_DAYS before the history's
    end), score the open deals at each, and report both targets beside the stage probability."""
    outcome, end = _outcomes(engine)
    last = last or end - dt.timedelta(days=SETTLE_DAYS)
    days = month_starts(last, months)
    as_of = as_of_reader(engine)
    region, people, teams = _segments(engine)
    cache: dict[dt.date, pd.DataFrame] = {}
    parts, bases, chosen = [], [], []
    for day in days:
        scorer = WinScorer.fit(
            engine,
            day,
            every=every,
            lookback=lookback,
            random_state=random_state,
            cache=cache,
            as_of=as_of,
        )
        frame = cache[day] if day in cache else as_of(engine, day)
        open_deals = frame[frame["category"] == "open"]
        if open_deals.empty:
            continue
        period_end = quarter_end(day)
        scored = scorer.score(open_deals, period_end, day=day, top=0)
        stage_p = scorer.stage_probability(open_deals, period_end)
        final = outcome.reindex(open_deals["deal"])
        team = _team_on(people, teams, day)
        parts.append(
            pd.DataFrame(
                {
                    "fit_day": day,
                    "deal": open_deals["deal"].to_numpy(),
                    "p_win": scored["p_win"].to_numpy(),
                    "p_close_in_period": scored["p_close_in_period"].to_numpy(),
                    "base_p_win": stage_p["p_win"].to_numpy(),
                    "base_p_close_in_period": stage_p["p_close_in_period"].to_numpy(),
                    "final": final["category"].to_numpy(),
                    "decided": final["close_date"].where(final["category"] != "open").to_numpy(),
                    "period_end": pd.Timestamp(period_end),
                    "region": open_deals["account"].map(region).fillna("none").to_numpy(),
                    "type": open_deals["type"].fillna("none").to_numpy(),
                    "team": open_deals["owner"].map(team).fillna("none").to_numpy(),
                }
            )
        )
        bases.append(scorer.basis)
        chosen.append(scorer.calibration_ece)
    if not parts:
        raise ValueError("no deal was open at any fit day")
    rows = pd.concat(parts, ignore_index=True)
    rows["won"] = (rows["final"] == "won").astype(np.int64)
    rows["won_in_period"] = (
        (rows["final"] == "won") & (rows["decided"] <= rows["period_end"])
    ).astype(np.int64)
    known = {
        "p_win": rows["final"].isin(["won", "lost"]).to_numpy(),
        "p_close_in_period": (
            rows["final"].isin(["won", "lost"]) | (rows["period_end"] < pd.Timestamp(end))
        ).to_numpy(),
    }
    label = {"p_win": "won", "p_close_in_period": "won_in_period"}
    reports = {}
    for target in TARGETS:
        r = rows[known[target]]
        y = r[label[target]].to_numpy()
        seg = {s: r[s].astype(str).tolist() for s in ("region", "type", "team")}
        base = score_report("stage probability", r[f"base_{target}"].to_numpy(), y, seg)
        reports[target] = score_report(f"win score {target}", r[target].to_numpy(), y, seg, base)
    win = reports["p_win"]
    notes = [
        f"fit days {days[0]} to {days[-1]}, history to {end}",
        f"scorer basis: {', '.join(sorted(set(bases)))}",
        f"p_win base rate {win.rate:.1%}: the largest possible top-decile lift is "
        f"{min(10.0, 1 / win.rate):.2f}"
        if win.rate > 0
        else "no deal was won",
    ]
    notes += _calibration_notes(chosen)
    return WinBacktest(days, reports, rows, notes)


def _calibration_notes(chosen: list[dict[str, dict[str, float]]]) -> list[str]:
    """Per target: the held-out ECE of isotonic and Platt calibration, averaged over the fits,
    and how often each won (the scorer keeps the lower one at every fit)."""
    out = []
    for target in TARGETS:
        fits = [c[target] for c in chosen if target in c]
        if not fits:
            continue
        mean = {m: float(np.mean([f[m] for f in fits])) for m in fits[0]}
        wins = {m: sum(min(f, key=f.__getitem__) == m for f in fits) for m in fits[0]}
        out.append(
            f"{target} calibration, held-out ECE: "
            + ", ".join(f"{m} {mean[m]:.4f} (chosen {wins[m]} of {len(fits)})" for m in mean)
        )
    return out
