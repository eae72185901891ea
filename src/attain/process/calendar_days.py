"""The day table business waits are computed from: per calendar and UTC day, the business seconds
before the day and the open intervals within it.

Keying the table by the UTC day lets the database find a timestamp's row with an equality join
on one whole number (the calendar's place times the days, plus the day's index), with no
timezone arithmetic in SQL; the local opening hours are turned into UTC
instants here, by the IANA rules, so a day of 23 or 25 hours at a daylight-saving change is
exact. A UTC day holds up to three intervals (the end of one local working day and the start of
the next, around a short day), so the table has as many interval columns as the busiest day
needs.

Every instant is in whole microseconds since midnight UTC of the first day, the table's origin,
so sums and differences are exact. The business clock of an instant `t` on day `d` is
`before_us(d) + sum(clamp(t - open_k, 0, close_k - open_k))`; a wait is the clock at its end
less the clock at its start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from attain.process.calendar import WorkCalendar

DAY_US = 86_400_000_000
MICROSECOND = dt.timedelta(microseconds=1)


def open_intervals(calendar: WorkCalendar, first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """The calendar's working hours from local day `first - 1` to `last + 1`, as microseconds
    since midnight UTC of `first` (sorted, never overlapping)."""
    from attain.process.calendar import zone

    local = zone(calendar.timezone, calendar.id)
    origin = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    out = []
    day = first - dt.timedelta(days=1)
    while day <= last + dt.timedelta(days=1):
        if calendar.working_day(day):
            opens = dt.datetime.combine(day, calendar.opens, tzinfo=local)
            closes = dt.datetime.combine(day, calendar.closes, tzinfo=local)
            out.append(((opens - origin) // MICROSECOND, (closes - origin) // MICROSECOND))
        day += dt.timedelta(days=1)
    return out


def calendar_days(calendars: Mapping[str, WorkCalendar], first: dt.date, last: dt.date) -> pa.Table:
    """Columns `key, calendar, day, before_us, open_0_us, close_0_us, ...` for each calendar (by
    its key in `calendars`) and each UTC day from `first` to `last`; `key` is the calendar's
    place in `calendars` times the number of days, plus the day's index from `first`."""
    n_days = (last - first).days + 1
    rows: list[tuple[str, int, int, list[tuple[int, int]]]] = []
    for key, calendar in calendars.items():
        pieces: list[list[tuple[int, int]]] = [[] for _ in range(n_days)]
        for opens, closes in open_intervals(calendar, first, last):
            lo, hi = max(opens, 0), min(closes, n_days * DAY_US)
            for d in range(lo // DAY_US, min(-(-hi // DAY_US), n_days)):
                a, b = max(lo, d * DAY_US), min(hi, (d + 1) * DAY_US)
                if a < b:
                    pieces[d].append((a, b))
        before = 0
        for d, found in enumerate(pieces):
            rows.append((key, d, before, found))
            before += sum(b - a for a, b in found)
    slots = max((len(found) for *_, found in rows), default=0)
    columns: dict[str, pa.Array] = {
        "key": pa.array(range(len(rows)), pa.int64()),
        "calendar": pa.array([r[0] for r in rows], pa.string()),
        "day": pa.array([first + dt.timedelta(days=r[1]) for r in rows], pa.date32()),
        "before_us": pa.array([r[2] for r in rows], pa.int64()),
    }
    for k in range(slots):
        found_k = [r[3][k] if k < len(r[3]) else (0, 0) for r in rows]
        columns[f"open_{k}_us"] = pa.array([a for a, _ in found_k], pa.int64())
        columns[f"close_{k}_us"] = pa.array([b for _, b in found_k], pa.int64())
    return pa.table(columns)


def slot_count(days: pa.Table) -> int:
    """How many open-interval columns the day table has."""
    return sum(1 for c in days.column_names if c.startswith("open_"))
