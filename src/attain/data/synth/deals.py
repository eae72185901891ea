"""B2B deals and their stage history.

Per rep and month, the number of deals that reach a decision follows the territory's potential,
the seasonality profile, company growth and the rep's ramp; each is won with a probability set
by the rep's skill. Deals still undecided at the end of history are open pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.data.synth import _arrow as arr
from attain.data.synth.accounts import Accounts
from attain.data.synth.calendar import B2B_MONTHS, trend
from attain.data.synth.catalog import B2B_PRODUCTS
from attain.data.synth.org import B2B_RAMP_MONTHS, Org, ramp
from attain.data.synth.spec import SynthSpec, day_number, month_starts, rng_for

OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")
WON_STAGE, LOST_STAGE = "won", "lost"
STAGE_PROBABILITY = ("0.10", "0.25", "0.50", "0.75")
"""The demo CRM's default win chance of a deal in each open stage."""
BASE_WIN_RATE = 0.27
SKILL_ON_WIN = 1.1
"""log-odds of winning rise by this much per unit of log(skill)."""
DEAL_SIZE_SHARE = 1.5
"""A deal is worth this many times its account's annual potential, on average."""
CYCLE_DAYS = {"SMB": 35.0, "Mid-Market": 70.0, "Enterprise": 120.0}
"""Median days from creation to decision, by segment."""
PIPELINE_MONTHS = 4
"""Months beyond the end of history that are generated, so deals are still open at the end."""
RENEWAL_WIN_RATE = 0.85
CANCEL_RATE = 0.04
PAID_RATE = 0.93


def stage_catalog_table() -> pa.Table:
    """The demo CRM's stage catalog (`deal_stages`): its open stages in order, then won, lost."""
    names = [*OPEN_STAGES, WON_STAGE, LOST_STAGE]
    return pa.table(
        {
            "name": names,
            "position": pa.array(range(1, len(names) + 1), pa.int64()),
            "category": ["open"] * len(OPEN_STAGES) + ["won", "lost"],
            "probability": pa.array(
                [Decimal(p) for p in (*STAGE_PROBABILITY, "1.00", "0.00")], arr.MONEY_2
            ),
        }
    )


def win_probability(skill: np.ndarray) -> np.ndarray:
    base = np.log(BASE_WIN_RATE / (1 - BASE_WIN_RATE))
    p: np.ndarray = 1.0 / (1.0 + np.exp(-(base + SKILL_ON_WIN * np.log(skill))))
    return p


@dataclass
class DealBook:
    """The deals as arrays, for the parts generated after them (leads, quotas)."""

    table: pa.Table
    events: pa.Table
    splits: pa.Table
    owner: np.ndarray
    """Person index of each deal's owner."""
    kind: np.ndarray
    created: np.ndarray
    close: np.ndarray
    won: np.ndarray
    """Won and decided by the end of history."""
    amount_cents: np.ndarray
    """In the deal's (= owner's) currency."""
    fate: np.ndarray
    """Won when decided, also for deals still open at the end of history (their future)."""


def build_deals(
    spec: SynthSpec, org: Org, accounts: Accounts, usd_per_unit: dict[str, np.ndarray]
) -> DealBook:
    rng = rng_for(spec.seed, "deals")
    start, end = day_number(spec.start), day_number(spec.end)
    n_months = spec.years * 12 + PIPELINE_MONTHS
    m_start = month_starts(spec.start, n_months + 1)
    m_len = np.diff(m_start)
    calendar_month = (np.arange(n_months) + spec.start.month - 1) % 12
    growth = trend((m_start[:-1] - start) / 365.25)
    reps = np.array(org.reps, dtype=np.int64)
    hired = np.array(org.hired)[reps]
    skill = np.array(org.skill)[reps]
    territory = np.array(org.territory)[reps]

    # Deals decided per rep and month.
    expected_size = np.zeros(len(reps))
    by_territory: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k, t in enumerate(territory):
        members = np.flatnonzero(accounts.territory == t)
        weights = accounts.potential[members] / accounts.potential[members].sum()
        by_territory[int(t)] = (members, weights)
        expected_size[k] = DEAL_SIZE_SHARE * float((weights * accounts.potential[members]).sum())
    potential = np.array(org.territory_potential)[territory]
    months_in = (m_start[None, :-1] - hired[:, None]) / 30.44
    rate = (
        (potential / (12 * BASE_WIN_RATE * expected_size))[:, None]
        * B2B_MONTHS[calendar_month][None, :]
        * growth[None, :]
        * ramp(months_in, B2B_RAMP_MONTHS)
        * (m_start[None, 1:] > hired[:, None])
    )
    counts = rng.poisson(rate)
    rep_k, month_k = np.nonzero(counts)
    per = counts[rep_k, month_k]
    rep_k, month_k = np.repeat(rep_k, per), np.repeat(month_k, per)
    n = len(rep_k)
    quarter_end = (calendar_month[month_k] % 3) == 2
    # Deals bunch up at the end of each quarter: reps push to close before the books shut.
    within = np.where(quarter_end, rng.beta(2.6, 1.0, n), rng.random(n))
    close = m_start[month_k] + np.minimum(
        (within * m_len[month_k]).astype(np.int64), m_len[month_k] - 1
    )
    close = np.maximum(close, hired[rep_k] + 14)
    account = np.empty(n, dtype=np.int64)
    for k in np.unique(rep_k):
        rows = np.flatnonzero(rep_k == k)
        members, weights = by_territory[int(territory[k])]
        account[rows] = rng.choice(members, size=len(rows), p=weights)
    segment = accounts.segment[account]
    is_new = rng.random(n) < 0.7
    size_usd = DEAL_SIZE_SHARE * accounts.potential[account] * rng.lognormal(-0.125, 0.5, n)
    size_usd = np.where(is_new, size_usd, size_usd * 0.45)
    kind = np.where(is_new, "new", "expansion")
    won = rng.random(n) < win_probability(skill[rep_k])
    term = np.where(is_new, rng.choice([12, 24, 36], n, p=[0.7, 0.18, 0.12]), 12)
    product = np.where(
        is_new,
        np.select([segment == "SMB", segment == "Mid-Market"], ["PLT-STD", "PLT-PRO"], "PLT-ENT"),
        rng.choice(["ADD-ANL", "ADD-SEC", "SRV-ONB"], n),
    )
    cycle = np.array([CYCLE_DAYS[s] for s in ("SMB", "Mid-Market", "Enterprise")])
    seg_k = np.select([segment == "SMB", segment == "Mid-Market"], [0, 1], 2)
    days = np.maximum(7, (cycle[seg_k] * rng.lognormal(0.0, 0.4, n))).astype(np.int64)
    created = np.maximum(close - days, hired[rep_k])

    # Renewals: a won one-year contract comes up for renewal a year after it closed.
    cols = [rep_k, account, kind, size_usd, won, term, product, created, close]
    cancelled = np.where(won & (rng.random(n) < CANCEL_RATE), close + rng.integers(15, 150, n), -1)
    parts = [(*cols, cancelled)]
    horizon = m_start[-1]
    current = parts[0]
    while True:
        c_rep, c_acc, _, c_usd, c_won, c_term, c_prod, _, c_close, c_cancel = current
        due = c_won & (c_term == 12) & (c_cancel < 0) & (c_close + 365 < horizon)
        if not due.any():
            break
        m = int(due.sum())
        r_close = c_close[due] + 365
        r_won = rng.random(m) < RENEWAL_WIN_RATE
        r_cancel = np.where(
            r_won & (rng.random(m) < CANCEL_RATE / 2), r_close + rng.integers(15, 150, m), -1
        )
        current = (
            c_rep[due],
            c_acc[due],
            np.full(m, "renewal"),
            c_usd[due] * rng.uniform(0.98, 1.12, m),
            r_won,
            np.full(m, 12),
            c_prod[due],
            r_close - 75,
            r_close,
            r_cancel,
        )
        parts.append(current)
    (rep_k, account, kind, size_usd, won, term, product, created, close, cancelled) = [
        np.concatenate([p[i] for p in parts]) for i in range(10)
    ]
    keep = created <= end
    order = np.argsort(created[keep], kind="stable")
    pick = np.flatnonzero(keep)[order]
    rep_k, account, kind, size_usd, won, term, product, created, close, cancelled = arr.take(
        pick, rep_k, account, kind, size_usd, won, term, product, created, close, cancelled
    )
    n = len(pick)
    owner = reps[rep_k]
    currency = np.array(org.currency)[owner]
    month_of_close = np.clip(
        np.searchsorted(m_start, close, side="right") - 1, 0, spec.years * 12 - 1
    )
    rate_usd = np.ones(n)
    for c, values in usd_per_unit.items():
        rate_usd = np.where(currency == c, values[month_of_close], rate_usd)
    amount_cents = np.maximum(500, np.round(size_usd / rate_usd / 10.0)).astype(np.int64) * 1000
    decided = close <= end
    is_won = won & decided

    deal_id = arr.ids("D", np.arange(1, n + 1), 6)
    events, stage = _stage_events(rng, deal_id, owner, org, created, close, won, decided, kind, end)
    cancelled_ok = is_won & (cancelled >= 0) & (cancelled <= end)
    paid_day = close + rng.integers(10, 80, n)
    paid_ok = is_won & ~cancelled_ok & (rng.random(n) < PAID_RATE) & (paid_day <= end)
    product_name = {p[0]: p[1] for p in B2B_PRODUCTS}
    names = [
        f"{accounts.name[a]} - {product_name[p]}" for a, p in zip(account, product, strict=True)
    ]
    table = pa.table(
        {
            "id": deal_id,
            "name": pa.array(names, pa.string()),
            "owner": arr.pick(org.person, owner),
            "account": pa.array(accounts.id[account].tolist(), pa.string()),
            "product": pa.array(product.tolist(), pa.string()),
            "type": pa.array(kind.tolist(), pa.string()),
            "amount": arr.money(amount_cents),
            "currency": pa.array(currency.tolist(), pa.string()),
            "stage": stage,
            "created": arr.dates(created),
            "close_date": arr.dates(close),
            "term_months": pa.array(term.astype(np.int64), pa.int64()),
            "cancelled_date": arr.dates(np.maximum(cancelled, 0), ~cancelled_ok),
            "paid_date": arr.dates(paid_day, ~paid_ok),
        }
    )
    splits = _splits(rng, org, deal_id, owner, is_won & (kind == "new"))
    return DealBook(table, events, splits, owner, kind, created, close, is_won, amount_cents, won)


def _stage_events(
    rng: np.random.Generator,
    deal_id: pa.Array,
    owner: np.ndarray,
    org: Org,
    created: np.ndarray,
    close: np.ndarray,
    won: np.ndarray,
    decided: np.ndarray,
    kind: np.ndarray,
    end: int,
) -> tuple[pa.Table, pa.Array]:
    """Each deal climbs the open stages and ends won or lost; only what happened by `end` is kept."""
    n = len(created)
    renewal = kind == "renewal"
    # Won deals and renewals pass every open stage; lost new business drops out along the way.
    reached = np.where(
        won | renewal, len(OPEN_STAGES), 1 + rng.choice(4, n, p=[0.35, 0.3, 0.2, 0.15])
    )
    n_events = reached + 1
    deal_k = np.repeat(np.arange(n), n_events)
    first = np.cumsum(n_events) - n_events
    pos = np.arange(len(deal_k)) - np.repeat(first, n_events)
    gaps = np.where(pos == 0, 0.0, rng.exponential(1.0, len(deal_k)))
    running = np.cumsum(gaps)
    before = np.repeat(running[first] - gaps[first], n_events)
    total = np.repeat(np.add.reduceat(gaps, first), n_events)
    frac = (running - before) / total
    span = (close - created)[deal_k]
    last = pos == n_events[deal_k] - 1
    day = np.where(last, close[deal_k], created[deal_k] + np.floor(frac * span).astype(np.int64))
    # Working hours, and later steps of a deal later in the day: events stay in order.
    seconds = day * 86_400 + (8 + pos) * 3600 + rng.integers(0, 3600, len(deal_k))
    stages = np.array([*OPEN_STAGES, WON_STAGE, LOST_STAGE])
    to_k = np.where(last, np.where(won[deal_k], 4, 5), pos)
    from_k = np.where(last, reached[deal_k] - 1, pos - 1)
    keep = day <= end
    happened = np.bincount(deal_k[keep], minlength=n)
    latest = first + happened - 1
    stage_now = np.where(decided, np.where(won, WON_STAGE, LOST_STAGE), stages[to_k[latest]])
    ev_deal = deal_k[keep]
    ids = pc.binary_join_element_wise(
        pc.take(deal_id, pa.array(ev_deal)), pc.cast(pa.array(pos[keep] + 1), pa.string()), "-"
    )
    events = pa.table(
        {
            "id": ids,
            "deal": pc.take(deal_id, pa.array(ev_deal)),
            "from_stage": arr.pick(stages.tolist(), from_k[keep]),
            "to_stage": arr.pick(stages.tolist(), to_k[keep]),
            "at": arr.timestamps(seconds[keep]),
            "by": arr.pick(org.person, owner[ev_deal]),
        }
    )
    return events, pa.array(stage_now.tolist(), pa.string())


def _splits(
    rng: np.random.Generator, org: Org, deal_id: pa.Array, owner: np.ndarray, eligible: np.ndarray
) -> pa.Table:
    """A few won new deals are shared half and half with a colleague in the same region."""
    chosen = np.flatnonzero(eligible & (rng.random(len(owner)) < 0.05))
    region = np.array([org.territory_region[org.territory[r]] for r in org.reps])
    reps = np.array(org.reps)
    partner = np.full(len(chosen), -1)
    for k, d in enumerate(chosen):
        mates = reps[(region == org.territory_region[org.territory[owner[d]]]) & (reps != owner[d])]
        if len(mates):
            partner[k] = mates[int(rng.integers(0, len(mates)))]
    chosen, partner = chosen[partner >= 0], partner[partner >= 0]
    deals = pc.take(deal_id, pa.array(np.concatenate([chosen, chosen])))
    payees = np.concatenate([owner[chosen], partner])
    return pa.table(
        {
            "deal": deals,
            "payee": arr.pick(org.person, payees),
            "share": arr.money(np.full(len(payees), 500_000), scale=6),
        }
    )
