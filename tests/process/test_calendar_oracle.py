"""Business waits agree with a plain walk, minute by minute, over random intervals: around
daylight-saving changes, holidays, hours that cross midnight UTC and a Sunday-to-Thursday week."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.process.calendar import WorkCalendar, business_wait

CALENDARS = {
    "berlin": WorkCalendar(
        "berlin",
        "Europe/Berlin",
        frozenset(range(5)),
        dt.time(8, 30),
        dt.time(17),
        frozenset({dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 10, 26)}),
    ),
    "new-york": WorkCalendar(
        "new-york", "America/New_York", frozenset({6, 0, 1, 2, 3}), dt.time(9), dt.time(17, 30)
    ),
    "los-angeles": WorkCalendar(
        "los-angeles", "America/Los_Angeles", frozenset(range(6)), dt.time(7), dt.time(23, 45)
    ),
    "auckland": WorkCalendar(
        "auckland",
        "Pacific/Auckland",
        frozenset(range(5)),
        dt.time(9),
        dt.time(17, 30),
        frozenset({dt.date(2026, 4, 6)}),
    ),
}
"""Spring 2026 holds the US (8 March), EU (29 March) and New Zealand (5 April) changes; autumn
the New Zealand (27 September), EU (25 October) and US (1 November) ones."""

WINDOWS = (dt.datetime(2026, 3, 1), dt.datetime(2026, 9, 20))
MINUTE = dt.timedelta(minutes=1)


def walked(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """The oracle: count each UTC minute from start to end whose local time is working time."""
    if end < start:
        return -walked(calendar, end, start)
    zone, seconds, at = ZoneInfo(calendar.timezone), 0.0, start
    while at < end:
        local = at.replace(tzinfo=dt.UTC).astimezone(zone)
        if calendar.working_day(local.date()) and calendar.opens <= local.time() < calendar.closes:
            seconds += 60
        at += MINUTE
    return seconds


instants = st.builds(
    lambda window, minutes: window + minutes * MINUTE,
    st.sampled_from(WINDOWS),
    st.integers(0, 50 * 24 * 60),
)
pairs = st.tuples(st.sampled_from(sorted(CALENDARS)), instants, st.integers(-24 * 60, 4 * 24 * 60))


@settings(max_examples=25, deadline=None)
@given(st.lists(pairs, min_size=1, max_size=4))
def test_business_wait_matches_a_minute_by_minute_walk(
    drawn: list[tuple[str, dt.datetime, int]],
) -> None:
    starts = [start for _, start, _ in drawn]
    ends = [start + minutes * MINUTE for _, start, minutes in drawn]
    rows = pa.table(
        {
            "row": list(range(len(drawn))),
            "calendar": [name for name, _, _ in drawn],
            "source_at": pa.array(starts, pa.timestamp("us")),
            "target_at": pa.array(ends, pa.timestamp("us")),
        }
    )
    got = business_wait(ibis.memtable(rows), CALENDARS).order_by("row").to_pyarrow()
    expected = [
        walked(CALENDARS[name], s, e)
        for (name, _, _), s, e in zip(drawn, starts, ends, strict=True)
    ]
    assert got["business_wait_s"].to_pylist() == expected
