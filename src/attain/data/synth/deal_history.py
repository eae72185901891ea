"""Deal history (snapshots of stage, amount, close date and forecast category) for the demo deals.

A deal is created with an expected close date that is often too early and an amount that is
often too high; the date slips (lost deals slip more, and slips bunch at quarter ends), the amount
shrinks (more for lost deals), and the forecast category follows the stage and the rep's habit.
The last snapshot of a decided deal is its decision. Only snapshots dated by the end of history
are written: an open deal's future is not. Everything here draws from its own random stream,
so adding history changes no row of any other table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from attain.data.synth import _arrow as arr
from attain.data.synth.deals import LOST_STAGE, OPEN_STAGES, WON_STAGE, DealBook
from attain.data.synth.spec import SynthSpec, day_number, rng_for

SLIPS_PER_DEAL = {"won": 0.5, "lost": 1.4}
"""Poisson mean of how often a deal's expected close date moves later, by outcome."""
MAX_SLIPS = 4
QUARTER_END_SLIP_SHARE = 0.5
"""Share of slips pushed in the last week of a quarter, when the books are about to shut."""
AMOUNT_CHANGES_PER_DEAL = {"won": 0.5, "lost": 0.9}
MAX_AMOUNT_CHANGES = 3
SHRINK_MEAN = {"won": 0.10, "lost": 0.30}
"""Mean log ratio of first to final amount, for a deal whose amount changed and shrank."""
GROW_SHARE = {"won": 0.25, "lost": 0.10}
"""Share of changed amounts that grew instead (an upsell, more seats)."""
CONFIDENT = {"won": 0.80, "lost": 0.45}
"""Chance the rep believes in a deal enough to commit it (reps sense something, not everything)."""
HABITS = {"eager": 0.2, "standard": 0.6, "cautious": 0.2}
"""Eager reps commit from proposal; standard ones in negotiation; cautious ones never commit an
open deal (best case at most)."""
ROUND_CENTS = 10_000
"""Reps type round numbers: amounts are entered to the hundred."""
STAGE_INDEX = {s: k for k, s in enumerate((*OPEN_STAGES, WON_STAGE, LOST_STAGE))}


@dataclass
class DealHistoryBook:
    """The snapshots as a table, and the arrays the forecast calls are computed from."""

    table: pa.Table
    deal: np.ndarray
    """Deal index of each snapshot, sorted by deal and time."""
    seconds: np.ndarray
    close: np.ndarray
    amount_cents: np.ndarray
    category: np.ndarray
    habit: dict[str, str]


def build_deal_history(spec: SynthSpec, org: Any, deals: DealBook) -> DealHistoryBook:
    """Snapshots for every deal, dated by the end of history."""
    rng = rng_for(spec.seed, "deal_history")
    end = day_number(spec.end)
    n = len(deals.created)
    c, d, won = deals.created, deals.close, deals.fate.astype(bool)
    span = d - c
    roomy = span >= 3

    # Slips of the expected close date.
    n_slip = np.minimum(rng.poisson(_by(won, SLIPS_PER_DEAL)), MAX_SLIPS) * roomy
    sk = np.repeat(np.arange(n), n_slip)
    s_day = c[sk] + 1 + np.floor(rng.random(len(sk)) * (span[sk] - 1)).astype(np.int64)
    q_end = _quarter_end(s_day) - rng.integers(0, 7, len(sk))
    push = (rng.random(len(sk)) < QUARTER_END_SLIP_SHARE) & (q_end <= d[sk] - 1) & (q_end > c[sk])
    s_day = np.where(push, q_end, s_day)
    s_sec = s_day * 86_400 + rng.integers(13 * 3600, 18 * 3600, len(sk))
    order = np.lexsort((s_sec, sk))
    sk, s_day, s_sec = sk[order], s_day[order], s_sec[order]
    s_pos = _position(sk, n_slip)

    accurate = np.where(won, d + np.round(rng.normal(0, 5, n)), d + np.abs(rng.normal(0, 20, n)))
    early = c + np.maximum(7, np.round(span * rng.uniform(0.35, 0.85, n)))
    first_close = np.where(n_slip > 0, early, accurate).astype(np.int64)
    target = np.maximum(accurate, first_close + 7 * n_slip).astype(np.int64)
    weight = rng.exponential(1.0, len(sk))
    frac = _group_cumsum(weight, sk, n_slip) / np.repeat(_group_sum(weight, n_slip), n_slip)
    s_close = first_close[sk] + np.round((target - first_close)[sk] * frac).astype(np.int64)
    s_close = np.maximum(s_close, s_day + 7)
    s_close = _group_cummax(s_close, sk) + s_pos + 1

    # Changes of amount: the final amount is the deal's; the first is often higher.
    final = deals.amount_cents
    n_amt = np.minimum(rng.poisson(_by(won, AMOUNT_CHANGES_PER_DEAL)), MAX_AMOUNT_CHANGES)
    n_amt = n_amt * roomy
    shrink = rng.exponential(_by(won, SHRINK_MEAN))
    grow = rng.random(n) < _by(won, GROW_SHARE)
    log_ratio = np.where(grow, -rng.exponential(0.08, n), shrink) * (n_amt > 0)
    first_amount = _round_amount(final * np.exp(log_ratio))
    first_amount = np.where(n_amt > 0, first_amount, final)
    ak = np.repeat(np.arange(n), n_amt)
    a_day = c[ak] + 1 + np.floor(rng.random(len(ak)) * (span[ak] - 1)).astype(np.int64)
    a_sec = a_day * 86_400 + rng.integers(10 * 3600, 18 * 3600, len(ak))
    order = np.lexsort((a_sec, ak))
    ak, a_sec = ak[order], a_sec[order]
    a_last = _position(ak, n_amt) == np.repeat(n_amt, n_amt) - 1
    a_frac = (_position(ak, n_amt) + 1) / np.repeat(np.maximum(n_amt, 1), n_amt)
    a_value = _round_amount(first_amount[ak] * (final[ak] / first_amount[ak]) ** a_frac)
    a_value = np.where(a_last, final[ak], a_value)

    # Stage changes, from the deal's own stage events (creation is the first).
    ev = deals.events
    ek = pd.Index(deals.table["id"].to_numpy(zero_copy_only=False)).get_indexer(
        ev["deal"].to_numpy(zero_copy_only=False)
    )
    e_sec = pc.cast(ev["at"], pa.int64()).to_numpy()
    e_stage = np.array([STAGE_INDEX[s] for s in ev["to_stage"].to_pylist()], dtype=np.int64)
    first_event = np.r_[True, ek[1:] != ek[:-1]]
    decision = e_stage >= STAGE_INDEX[WON_STAGE]

    nan = np.full(len(ek), np.nan)
    frame = pd.DataFrame(
        {
            "k": np.concatenate([ek, sk, ak]),
            "sec": np.concatenate([e_sec, s_sec, a_sec]),
            "stage": np.concatenate([e_stage, np.full(len(sk), np.nan), np.full(len(ak), np.nan)]),
            "close": np.concatenate(
                [
                    np.where(first_event, first_close[ek], np.where(decision, d[ek], nan)),
                    s_close,
                    np.full(len(ak), np.nan),
                ]
            ),
            "amount": np.concatenate(
                [
                    np.where(first_event, first_amount[ek], np.where(decision, final[ek], nan)),
                    np.full(len(sk), np.nan),
                    a_value,
                ]
            ),
        }
    )
    frame = frame[frame["sec"] < (end + 1) * 86_400]
    frame = frame.sort_values(["k", "sec"], kind="stable").reset_index(drop=True)
    # Every deal's first row is its creation, which carries every value: a plain forward fill
    # never reaches across deals.
    frame[["stage", "close", "amount"]] = frame[["stage", "close", "amount"]].ffill()
    k = frame["k"].to_numpy()
    stage = frame["stage"].to_numpy().astype(np.int64)
    close = frame["close"].to_numpy().astype(np.int64)
    amount = frame["amount"].to_numpy().astype(np.int64)

    reps = np.array(org.reps, dtype=np.int64)
    habit_k = rng.choice(list(HABITS), len(reps), p=list(HABITS.values()))
    habit_of = np.full(len(org.person), "standard", dtype=object)
    habit_of[reps] = habit_k
    confident = rng.random(n) < _by(won, CONFIDENT)
    category = _category(stage, habit_of[deals.owner][k], confident[k])

    same = np.r_[False, k[1:] == k[:-1]]
    prev = np.r_[0, np.arange(len(k) - 1)]
    unchanged = (
        same
        & (stage == stage[prev])
        & (close == close[prev])
        & (amount == amount[prev])
        & (category == category[prev])
    )
    keep = ~unchanged
    k, stage, close, amount, category = (
        k[keep],
        stage[keep],
        close[keep],
        amount[keep],
        category[keep],
    )
    sec = frame["sec"].to_numpy()[keep]

    deal_id = deals.table["id"]
    counts = np.bincount(k, minlength=n)
    pos = _position(k, counts) + 1
    ids = pc.binary_join_element_wise(
        pc.take(deal_id, pa.array(k)),
        pc.utf8_lpad(pc.cast(pa.array(pos), pa.string()), width=2, padding="0"),
        "-H",
    )
    stages = [*OPEN_STAGES, WON_STAGE, LOST_STAGE]
    table = pa.table(
        {
            "id": ids,
            "deal": pc.take(deal_id, pa.array(k)),
            "at": arr.timestamps(sec),
            "stage": arr.pick(stages, stage),
            "amount": arr.money(amount),
            "close_date": arr.dates(close),
            "forecast_category": pa.array(category.tolist(), pa.string()),
            "by": arr.pick(org.person, deals.owner[k]),
        }
    )
    habits = {org.person[r]: str(h) for r, h in zip(reps, habit_k, strict=True)}
    return DealHistoryBook(table, k, sec, close, amount, category, habits)


def model_truth() -> dict[str, Any]:
    """How the history was generated, for `synth_truths` key `deal_history_model`."""
    return {
        "slips_per_deal": SLIPS_PER_DEAL,
        "max_slips": MAX_SLIPS,
        "quarter_end_slip_share": QUARTER_END_SLIP_SHARE,
        "amount_changes_per_deal": AMOUNT_CHANGES_PER_DEAL,
        "shrink_mean_log_ratio": SHRINK_MEAN,
        "grow_share": GROW_SHARE,
        "confident": CONFIDENT,
        "habits": HABITS,
        "category_rules": {
            "prospecting, qualification": "pipeline",
            "proposal": "commit if the rep is eager and confident, else best_case",
            "negotiation": "commit if confident and the rep is not cautious, else best_case",
            "won": "closed",
            "lost": "omitted",
        },
        "first_close_date": (
            "without slips: the decision date (won: +- 5 days; lost: up to ~20 days after); "
            "with slips: 35-85% of the way from creation to decision, then moved later"
        ),
    }


def _category(stage: np.ndarray, habit: np.ndarray, confident: np.ndarray) -> np.ndarray:
    proposal, negotiation = STAGE_INDEX["proposal"], STAGE_INDEX["negotiation"]
    return np.select(
        [
            stage < proposal,
            stage == proposal,
            stage == negotiation,
            stage == STAGE_INDEX[WON_STAGE],
        ],
        [
            "pipeline",
            np.where((habit == "eager") & confident, "commit", "best_case"),
            np.where(confident & (habit != "cautious"), "commit", "best_case"),
            "closed",
        ],
        "omitted",
    )


def _by(won: np.ndarray, values: dict[str, float]) -> np.ndarray:
    """Per deal, the value for its outcome (the dicts are keyed by outcome: won, lost)."""
    return np.where(won, values[WON_STAGE], values[LOST_STAGE])


def _round_amount(cents: np.ndarray) -> np.ndarray:
    return np.maximum(ROUND_CENTS, np.round(cents / ROUND_CENTS) * ROUND_CENTS).astype(np.int64)


def _quarter_end(days: np.ndarray) -> np.ndarray:
    """The last day of each day's calendar quarter (day numbers)."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    next_quarter = (months // 3 + 1) * 3
    return next_quarter.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1


def _position(keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal sorted `keys` (`counts` rows per key)."""
    first = np.cumsum(counts) - counts
    return np.arange(len(keys)) - first[keys] if len(keys) else np.zeros(0, dtype=np.int64)


def _group_sum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts))
    np.add.at(out, np.repeat(np.arange(len(counts)), counts), values)
    return out


def _group_cumsum(values: np.ndarray, keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    first = np.cumsum(counts) - counts
    before = np.r_[0.0, total][first[keys]]
    out: np.ndarray = total - before
    return out


def _group_cummax(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    offset = keys.astype(np.int64) * 10**8
    return np.maximum.accumulate(values + offset) - offset if len(values) else values
