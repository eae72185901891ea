"""How much business-hours waiting costs over elapsed waiting, on DuckDB.

10 million transitions (quick: 1 million) between random instants over two years, each case on
one of the demo company's three calendars (New York, Berlin, London, with their holidays). Timed
in the same run: the sum of elapsed waits, and the sum of business waits (`business_wait`, the
day table joined to both ends); and, as the baseline, a Python loop over the first 20,000 rows
that cuts each local working day to the interval, scaled to the whole table.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import ibis
import numpy as np
import pyarrow as pa

from attain.data.synth import SynthSpec
from attain.data.synth.work_calendars import OFFICES, build_work_calendars, calendar_id
from attain.process.calendar import WorkCalendar, business_wait, parse_clock, parse_workdays
from attain.process.transitions import seconds_between

BASELINE_ROWS = 20_000


def demo_calendars() -> dict[str, WorkCalendar]:
    rows, holidays = build_work_calendars(SynthSpec(seed=1, b2b_reps=1, years=2))
    off: dict[str, set[dt.date]] = {}
    for cal, day in zip(holidays["calendar"].to_pylist(), holidays["day"].to_pylist(), strict=True):
        off.setdefault(cal, set()).add(day)
    return {
        r["id"]: WorkCalendar(
            r["id"],
            r["timezone"],
            parse_workdays(r["workdays"]),
            parse_clock(r["opens"]),
            parse_clock(r["closes"]),
            frozenset(off[r["id"]]),
        )
        for r in rows.to_pylist()
    }


def transitions_table(n: int) -> pa.Table:
    rng = np.random.default_rng(1)
    origin = np.datetime64("2024-01-01T00:00:00", "us")
    start = origin + rng.integers(0, 2 * 365 * 86_400_000_000, n).astype("timedelta64[us]")
    wait = rng.exponential(2 * 86_400_000_000, n).astype(np.int64).astype("timedelta64[us]")
    ids = np.array([calendar_id(r) for r in OFFICES])
    return pa.table(
        {
            "source_at": pa.array(start),
            "target_at": pa.array(start + wait),
            "calendar": pa.array(ids[rng.integers(0, len(ids), n)]),
        }
    )


def python_wait(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> float:
    zone = ZoneInfo(calendar.timezone)
    s, e = start.replace(tzinfo=dt.UTC), end.replace(tzinfo=dt.UTC)
    day, total = s.astimezone(zone).date(), 0.0
    while day <= e.astimezone(zone).date():
        if calendar.working_day(day):
            opens = dt.datetime.combine(day, calendar.opens, tzinfo=zone)
            closes = dt.datetime.combine(day, calendar.closes, tzinfo=zone)
            total += max(0.0, (min(closes, e) - max(opens, s)).total_seconds())
        day += dt.timedelta(days=1)
    return total


def main(quick: bool) -> None:
    n = 1_000_000 if quick else 10_000_000
    calendars = demo_calendars()
    rows = transitions_table(n)
    con = ibis.duckdb.connect()
    t = con.create_table("transitions", rows)
    print(f"{n:,} transitions over 2 years, {len(calendars)} calendars")

    start = time.perf_counter()
    elapsed = seconds_between(t.source_at, t.target_at).sum().execute()
    elapsed_s = time.perf_counter() - start
    start = time.perf_counter()
    business = business_wait(t, calendars).business_wait_s.sum().execute()
    business_s = time.perf_counter() - start
    print(f"elapsed waits:  {elapsed_s:6.2f} s  (total {elapsed / 3600 / n:6.2f} h a transition)")
    print(f"business waits: {business_s:6.2f} s  (total {business / 3600 / n:6.2f} h a transition)")

    sample = rows.slice(0, BASELINE_ROWS).to_pylist()
    start = time.perf_counter()
    for r in sample:
        python_wait(calendars[r["calendar"]], r["source_at"], r["target_at"])
    per_row = (time.perf_counter() - start) / len(sample)
    print(f"baseline (Python loop, {len(sample):,} rows): {per_row * n:8.1f} s for all {n:,}")
    print(f"business waits vs the Python loop: {per_row * n / business_s:.0f}x faster")
