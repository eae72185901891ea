"""A process map on business hours: each case's waits on its own territory's calendar."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from attain.process.calendar import WorkCalendar
from attain.process.discovery import process_map
from attain.process.log import from_arrow

WEEK = frozenset(range(5))
CALENDARS = {
    "berlin": WorkCalendar("berlin", "Europe/Berlin", WEEK, dt.time(9), dt.time(17)),
    "new-york": WorkCalendar("new-york", "America/New_York", WEEK, dt.time(9), dt.time(17)),
}


def test_the_map_measures_each_case_on_its_calendar() -> None:
    """Both tickets wait from Friday 15:00 UTC to Monday 15:00 UTC: 72 elapsed hours; in Berlin
    (16:00 to 16:00 local) that is 1 + 7 business hours, in New York (10:00 to 10:00) 7 + 1; the
    third ticket has no calendar, so its wait stays elapsed."""
    friday, monday = dt.datetime(2026, 12, 4, 15), dt.datetime(2026, 12, 7, 15)
    events = pa.table(
        {
            "case_id": ["b", "b", "n", "n", "x", "x"],
            "activity": ["Opened", "Answered"] * 3,
            "at": [friday, monday, friday, monday, friday, friday + dt.timedelta(hours=8)],
        }
    )
    cases = pa.table(
        {"case_id": ["b", "n", "x"], "calendar": ["berlin", "new-york", None]},
    )
    log = from_arrow("tickets", events, cases, case_label="ticket")
    elapsed = process_map(log).transitions[0]
    business = process_map(log, waiting="business", calendars=CALENDARS).transitions[0]
    assert (elapsed.wait_total_s, elapsed.wait_median_s) == (152 * 3600.0, 72 * 3600.0)
    assert (business.wait_total_s, business.wait_median_s) == (24 * 3600.0, 8 * 3600.0)
    assert business.events == elapsed.events == 3
