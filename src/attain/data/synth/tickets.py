"""Support tickets and their process steps, with one injected bottleneck.

Every ticket walks the same steps; the wait before each step is drawn around a median. One step,
chosen by the seed, waits far longer than any other: process mining should find it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from attain.data.synth import _arrow as arr
from attain.data.synth.accounts import Accounts
from attain.data.synth.calendar import trend
from attain.data.synth.org import Org
from attain.data.synth.spec import SynthSpec, day_number, month_starts, rng_for

STEPS = (
    "opened",
    "triaged",
    "assigned",
    "investigating",
    "waiting_on_customer",
    "resolved",
    "closed",
)
MEDIAN_WAIT_HOURS = {
    "triaged": 1.5,
    "assigned": 3.0,
    "investigating": 5.0,
    "waiting_on_customer": 14.0,
    "resolved": 8.0,
    "closed": 20.0,
}
"""Median hours a ticket waits before reaching each step (when nothing is stuck)."""
BOTTLENECK_CANDIDATES = ("assigned", "investigating", "resolved")
BOTTLENECK_MEDIAN_HOURS = 72.0
WAITING_ON_CUSTOMER_SHARE = 0.45
TICKETS_PER_ACCOUNT_MONTH = 0.12
PRIORITY_SPEED = {"urgent": 0.4, "high": 0.7, "normal": 1.0, "low": 1.4}


def build_tickets(
    spec: SynthSpec, org: Org, accounts: Accounts
) -> tuple[pa.Table, pa.Table, dict[str, object]]:
    rng = rng_for(spec.seed, "tickets")
    bottleneck = BOTTLENECK_CANDIDATES[int(rng.integers(0, len(BOTTLENECK_CANDIDATES)))]
    medians = dict(MEDIAN_WAIT_HOURS)
    medians[bottleneck] = BOTTLENECK_MEDIAN_HOURS
    start, end = day_number(spec.start), day_number(spec.end)
    m_start = month_starts(spec.start, spec.years * 12 + 1)
    per_month = rng.poisson(
        TICKETS_PER_ACCOUNT_MONTH * len(accounts.id) * trend((m_start[:-1] - start) / 365.25)
    )
    opened = np.concatenate(
        [
            m_start[m] * 86_400 + rng.integers(0, (m_start[m + 1] - m_start[m]) * 86_400, k)
            for m, k in enumerate(per_month)
        ]
    )
    opened.sort()
    n = len(opened)
    weight = np.power(accounts.size, 0.3)
    account = rng.choice(len(accounts.id), n, p=weight / weight.sum())
    priorities = np.array(list(PRIORITY_SPEED))
    priority = priorities[rng.choice(4, n, p=[0.05, 0.2, 0.55, 0.2])]
    channel = np.array(["email", "web", "chat", "phone"])[
        rng.choice(4, n, p=[0.35, 0.3, 0.2, 0.15])
    ]
    agents = np.array(org.support_agents, dtype=np.int64)
    hired = np.array(org.hired)[agents]
    pool = np.argsort(hired)
    available = np.maximum(np.searchsorted(hired[pool], opened // 86_400, side="right"), 1)
    owner = agents[pool[(rng.random(n) * available).astype(np.int64)]]

    waits_customer = rng.random(n) < WAITING_ON_CUSTOMER_SHARE
    n_events = np.where(waits_customer, len(STEPS), len(STEPS) - 1)
    k = np.repeat(np.arange(n), n_events)
    first = np.cumsum(n_events) - n_events
    pos = np.arange(len(k)) - np.repeat(first, n_events)
    step_k = np.where(~waits_customer[k] & (pos >= 4), pos + 1, pos)
    steps = np.array(STEPS)
    median = np.array([0.0, *(medians[s] for s in STEPS[1:])])[step_k]
    speed = np.vectorize(PRIORITY_SPEED.__getitem__, otypes=[float])(priority)[k]
    wait = np.where(pos == 0, 0.0, median * speed * rng.lognormal(0.0, 0.6, len(k)) * 3600)
    running = np.cumsum(wait)
    at = opened[k] + (running - np.repeat(running[first], n_events)).astype(np.int64)
    keep = at < (end + 1) * 86_400
    last_at = at[first + n_events - 1]
    closed = last_at < (end + 1) * 86_400
    happened = np.bincount(k[keep], minlength=n)
    status = np.where(closed, "closed", steps[step_k[first + happened - 1]])
    ticket_id = arr.ids("TK", np.arange(1, n + 1), 6)
    tickets = pa.table(
        {
            "id": ticket_id,
            "account": pa.array(accounts.id[account].tolist(), pa.string()),
            "opened": arr.timestamps(opened),
            "closed": arr.timestamps(last_at, ~closed),
            "priority": pa.array(priority.tolist(), pa.string()),
            "channel": pa.array(channel.tolist(), pa.string()),
            "owner": arr.pick(org.person, owner),
            "status": pa.array(status.tolist(), pa.string()),
        }
    )
    ev = k[keep]
    by = np.where(step_k[keep] == 0, -1, owner[ev])
    events = pa.table(
        {
            "id": pc.binary_join_element_wise(
                pc.take(ticket_id, pa.array(ev)), pc.cast(pa.array(pos[keep] + 1), pa.string()), "-"
            ),
            "ticket": pc.take(ticket_id, pa.array(ev)),
            "at": arr.timestamps(at[keep]),
            "activity": pa.array(steps[step_k[keep]].tolist(), pa.string()),
            "by": arr.pick(org.person, by),
        }
    )
    truth: dict[str, object] = {
        "kind": "step",
        "step": bottleneck,
        "median_wait_hours": {s: medians[s] for s in STEPS[1:]},
        "note": "median hours waited before each step (normal priority); the bottleneck step waits longest",
    }
    return tickets, events, truth
