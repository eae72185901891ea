"""Submitted forecast calls: every rep and first-line manager, each Monday, for the quarter.

A rep's commit call is what they have closed in the quarter so far plus their open commit deals
expected to close in it (best case adds the best-case deals), as their deal history stood that
Monday morning, plus part of what a usual quarter still lacks (reps know their run rate), times
the rep's habit (sandbaggers call low, over-callers high) and some weekly noise. A manager calls
the sum of their reps' calls, in their own currency, times their own habit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.deal_history import ROUND_CENTS, DealHistoryBook
from attain.data.synth.deals import DealBook
from attain.data.synth.spec import EPOCH, SynthSpec, day_number, rng_for

HABIT_SHARES = {"sandbagger": 0.2, "over_caller": 0.15, "straight": 0.65}
HABIT_FACTOR = {"sandbagger": (0.8, 0.03), "over_caller": (1.2, 0.04), "straight": (1.0, 0.03)}
"""Mean and spread of the factor a payee's call is multiplied by, per habit."""
WEEKLY_NOISE = 0.06
"""Log-normal spread of a call around the payee's habit, week to week."""
CATEGORIES = ("commit", "best_case")
GUT_IN_COMMIT = 0.5
"""Share of the rest of a usual quarter (not yet in named deals) a rep puts in their commit
call; best case takes all of it. The rest shrinks as the quarter runs out."""


def build_forecast_calls(
    spec: SynthSpec,
    org: Any,
    deals: DealBook,
    history: DealHistoryBook,
    usd_per_unit: dict[str, np.ndarray],
) -> tuple[pa.Table, dict[str, float]]:
    """The calls, and each payee's habit factor (the truth behind them)."""
    rng = rng_for(spec.seed, "forecast_calls")
    start, end = day_number(spec.start), day_number(spec.end)
    first_monday = start + (-(spec.start.weekday())) % 7
    mondays = np.arange(first_monday, end + 1, 7, dtype=np.int64)
    reps = np.array(org.reps, dtype=np.int64)
    if not len(mondays) or not len(reps):
        return _table([], [], [], [], [], []), {}
    rep_of = np.full(len(org.person), -1)
    rep_of[reps] = np.arange(len(reps))

    totals = _rep_totals(deals, history, mondays, rep_of, len(reps))
    usual = _usual_quarter(deals, mondays, rep_of, len(reps))
    q_start, q_end = _quarter_bounds(mondays)
    remaining = (q_end - mondays + 1) / (q_end - q_start + 1)
    boss = np.array([[org.version_on(int(r), int(m))[1] for m in mondays] for r in reps])
    managers = sorted(set(boss.ravel().tolist()) - {-1})
    payees = [*reps.tolist(), *managers]
    habit = rng.choice(list(HABIT_SHARES), len(payees), p=list(HABIT_SHARES.values()))
    mean = np.array([HABIT_FACTOR[h][0] for h in habit])
    spread = np.array([HABIT_FACTOR[h][1] for h in habit])
    factor = dict(zip(payees, np.round(rng.normal(mean, spread), 4), strict=True))

    month0 = spec.start.year * 12 + spec.start.month - 1
    months = np.array([_month(int(m)) - month0 for m in mondays]).clip(0, spec.years * 12 - 1)
    usd = {c: values[months] for c, values in usd_per_unit.items()}
    rows: dict[str, list[Any]] = {k: [] for k in ("payee", "period", "cat", "at", "cents", "cur")}
    rep_calls = np.zeros((len(reps), len(mondays), 2))
    for r_pos, r in enumerate(reps):
        alive = (org.hired[r] <= mondays) & (mondays <= org.left[r])
        noise = np.exp(rng.normal(0, WEEKLY_NOISE, (len(mondays), 2)))
        commit = totals[r_pos, :, 0] + totals[r_pos, :, 1]
        best = commit + totals[r_pos, :, 2]
        # What the rep usually closes and cannot yet name a deal for: half of it in commit.
        commit = commit + GUT_IN_COMMIT * remaining * np.maximum(0.0, usual[r_pos] - commit)
        best = best + remaining * np.maximum(0.0, usual[r_pos] - best)
        call_c = commit * factor[int(r)] * noise[:, 0]
        call_b = np.maximum(call_c, best * factor[int(r)] * noise[:, 1])
        rep_calls[r_pos, :, 0] = np.where(alive, call_c, 0.0)
        rep_calls[r_pos, :, 1] = np.where(alive, call_b, 0.0)
        _add(rows, rng, org, int(r), mondays[alive], rep_calls[r_pos, alive], 9)
    for m_person in managers:
        alive = (org.hired[m_person] <= mondays) & (mondays <= org.left[m_person])
        team = np.zeros((len(mondays), 2))
        cur = org.currency[m_person]
        for r_pos, r in enumerate(reps):
            mine = boss[r_pos] == m_person
            if mine.any():
                rate = usd[org.currency[r]] / usd[cur]
                team += np.where(mine, rate, 0.0)[:, None] * rep_calls[r_pos]
        noise = np.exp(rng.normal(0, WEEKLY_NOISE, (len(mondays), 2)))
        calls = team * factor[m_person] * noise
        calls[:, 1] = np.maximum(calls[:, 0], calls[:, 1])
        _add(rows, rng, org, m_person, mondays[alive], calls[alive], 11)
    table = _table(
        rows["payee"], rows["period"], rows["cat"], rows["at"], rows["cents"], rows["cur"]
    )
    return table, {org.person[p]: float(f) for p, f in factor.items()}


def habit_truth(factors: dict[str, float]) -> dict[str, Any]:
    """`synth_truths` key `forecast_call_habits`."""
    return {
        "note": (
            "a rep's commit call = (closed in the quarter + open commit deals expected in it "
            f"+ {GUT_IN_COMMIT} x share of the quarter left x what a usual quarter (a quarter "
            "of the last year's wins) still lacks); best case adds best-case deals and all of "
            "that gap; both x factor x weekly noise (log-normal, sd "
            f"{WEEKLY_NOISE}). A manager's = sum of their reps' calls x their own factor"
        ),
        "habits": {h: {"share": s, "factor": HABIT_FACTOR[h][0]} for h, s in HABIT_SHARES.items()},
        "values": factors,
    }


def _rep_totals(
    deals: DealBook,
    history: DealHistoryBook,
    mondays: np.ndarray,
    rep_of: np.ndarray,
    n_reps: int,
) -> np.ndarray:
    """Cents per rep, Monday and (closed in quarter, commit, best case) as of Monday 00:00."""
    k, sec = history.deal, history.seconds
    nxt = np.r_[sec[1:], np.iinfo(np.int64).max]
    nxt = np.where(np.r_[k[1:] != k[:-1], True], np.iinfo(np.int64).max, nxt)
    m_sec = mondays * 86_400
    lo = np.searchsorted(m_sec, sec, "left")
    hi = np.searchsorted(m_sec, nxt, "left")
    q_start, q_end = _quarter_bounds(history.close)
    lo = np.maximum(lo, np.searchsorted(mondays, q_start, "left"))
    hi = np.minimum(hi, np.searchsorted(mondays, q_end, "right"))
    kind = np.select(
        [history.category == "closed", history.category == "commit"], [0, 1], 2
    ) + 3 * ~np.isin(history.category, ("closed", "commit", "best_case"))
    use = (hi > lo) & (kind < 3) & (rep_of[deals.owner[k]] >= 0)
    lo, hi, kind, rows = lo[use], hi[use], kind[use], np.flatnonzero(use)
    count = hi - lo
    row = np.repeat(rows, count)
    week = np.repeat(lo, count) + (
        np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    )
    out = np.zeros((n_reps, len(mondays), 3))
    np.add.at(
        out,
        (rep_of[deals.owner[k[row]]], week, np.repeat(kind, count)),
        history.amount_cents[row].astype(np.float64),
    )
    return out


def _usual_quarter(
    deals: DealBook, mondays: np.ndarray, rep_of: np.ndarray, n_reps: int
) -> np.ndarray:
    """Cents per rep and Monday: a quarter of what the rep won in the year before that Monday
    (only deals decided by then), the run rate a rep knows from experience."""
    out = np.zeros((n_reps, len(mondays)))
    won = np.flatnonzero(deals.won & (rep_of[deals.owner] >= 0))
    for r_pos in range(n_reps):
        mine = won[rep_of[deals.owner[won]] == r_pos]
        order = np.argsort(deals.close[mine])
        close = deals.close[mine][order]
        total = np.r_[0.0, np.cumsum(deals.amount_cents[mine][order].astype(np.float64))]
        hi = np.searchsorted(close, mondays, "left")
        lo = np.searchsorted(close, mondays - 365, "left")
        out[r_pos] = (total[hi] - total[lo]) / 4
    return out


def _quarter_bounds(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    first = (months // 3) * 3
    start = first.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    end = (first + 3).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
    return start, end


def _month(day: int) -> int:
    d = EPOCH + dt.timedelta(days=int(day))
    return d.year * 12 + d.month - 1


def _add(
    rows: dict[str, list[Any]],
    rng: np.random.Generator,
    org: Any,
    person: int,
    mondays: np.ndarray,
    calls: np.ndarray,
    hour: int,
) -> None:
    minutes = rng.integers(0, 120, len(mondays))
    for m, call, minute in zip(mondays, calls, minutes, strict=True):
        day = EPOCH + dt.timedelta(days=int(m))
        period = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        at = dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(minutes=int(minute))
        for cat, value in zip(CATEGORIES, call, strict=True):
            rows["payee"].append(org.person[person])
            rows["period"].append(period)
            rows["cat"].append(cat)
            rows["at"].append(at)
            rows["cents"].append(round(float(value) / ROUND_CENTS) * ROUND_CENTS)
            rows["cur"].append(org.currency[person])


def _table(
    payee: list[str],
    period: list[str],
    category: list[str],
    at: list[dt.datetime],
    cents: list[int],
    currency: list[str],
) -> pa.Table:
    return pa.table(
        {
            "payee": pa.array(payee, pa.string()),
            "period": pa.array(period, pa.string()),
            "category": pa.array(category, pa.string()),
            "submitted_at": pa.array(at, pa.timestamp("s")),
            "amount": arr.money(np.array(cents, dtype=np.int64)),
            "currency": pa.array(currency, pa.string()),
            "submitted_by": pa.array(payee, pa.string()),
        }
    )
