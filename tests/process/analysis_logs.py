"""Small event logs written out by hand, so that every figure of rework, bottlenecks and
resources over them can be worked out on paper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import ibis
import pyarrow as pa

from attain.process.log import EventLog, from_arrow

T0 = dt.datetime(2026, 3, 2, 9, 0)

Event = tuple[str, str, float, str | None, str | None]
"""(case, activity, hours after T0, resource, team)."""


def make_log(
    events: Sequence[Event],
    *,
    amounts: dict[str, Decimal] | None = None,
    owners: dict[str, str] | None = None,
    teams: dict[str, str] | None = None,
    calendars: dict[str, str] | None = None,
    name: str = "handmade",
    con: ibis.BaseBackend | None = None,
) -> EventLog:
    """A log of `events` in the given order (position = index), with optional case amounts
    (USD), owners, teams and work calendars, in `con` (a new in-memory DuckDB by default)."""
    table = pa.table(
        {
            "case_id": pa.array([e[0] for e in events], pa.string()),
            "activity": pa.array([e[1] for e in events], pa.string()),
            "at": pa.array([T0 + dt.timedelta(hours=e[2]) for e in events], pa.timestamp("us")),
            "position": pa.array(range(len(events)), pa.int64()),
            "resource": pa.array([e[3] for e in events], pa.string()),
            "lifecycle": pa.array([None] * len(events), pa.string()),
            "resource_team": pa.array([e[4] for e in events], pa.string()),
        }
    )
    ids = sorted({e[0] for e in events})
    cases = pa.table(
        {
            "case_id": pa.array(ids, pa.string()),
            "amount": pa.array([(amounts or {}).get(c) for c in ids], pa.decimal128(24, 6)),
            "owner": pa.array([(owners or {}).get(c) for c in ids], pa.string()),
            "team": pa.array([(teams or {}).get(c) for c in ids], pa.string()),
            "territory": pa.array([None] * len(ids), pa.string()),
            "calendar": pa.array([(calendars or {}).get(c) for c in ids], pa.string()),
            "outcome": pa.array([None] * len(ids), pa.string()),
        }
    )
    return from_arrow(name, table, cases, currency="USD" if amounts else None, con=con)
