"""Business waits by hand: a weekend, a holiday, daylight saving, hours outside the day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import ibis
import pyarrow as pa
import pytest

from attain.process.calendar import (
    CalendarError,
    WorkCalendar,
    business_wait,
    parse_clock,
    parse_workdays,
)

WEEK = frozenset(range(5))
BERLIN = WorkCalendar("berlin", "Europe/Berlin", WEEK, dt.time(9), dt.time(17))
NEW_YORK = WorkCalendar("new-york", "America/New_York", WEEK, dt.time(9), dt.time(17, 30))
HOUR = 3600.0


def utc(zone: str, *parts: int) -> dt.datetime:
    """A local wall-clock time in `zone` as the naive UTC timestamp event logs hold."""
    local = dt.datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def waits(
    pairs: list[tuple[dt.datetime | None, dt.datetime | None, str | None]],
    calendars: dict[str, WorkCalendar],
    default: WorkCalendar | None = None,
) -> list[float | None]:
    rows = pa.table(
        {
            "case_id": [f"c{k}" for k in range(len(pairs))],
            "source_at": pa.array([p[0] for p in pairs], pa.timestamp("us")),
            "target_at": pa.array([p[1] for p in pairs], pa.timestamp("us")),
            "calendar": pa.array([p[2] for p in pairs], pa.string()),
        }
    )
    out = business_wait(ibis.memtable(rows), calendars, default=default).to_pyarrow()
    assert out.column_names == [*rows.column_names, "business_wait_s"]
    by_case = dict(zip(out["case_id"].to_pylist(), out["business_wait_s"].to_pylist(), strict=True))
    return [by_case[f"c{k}"] for k in range(len(pairs))]


def berlin(*parts: int) -> dt.datetime:
    return utc("Europe/Berlin", *parts)


def new_york(*parts: int) -> dt.datetime:
    return utc("America/New_York", *parts)


def test_a_weekend_is_not_a_delay() -> None:
    friday_4pm, monday_10am = berlin(2026, 12, 4, 16), berlin(2026, 12, 7, 10)
    assert waits([(friday_4pm, monday_10am, "berlin")], {"berlin": BERLIN}) == [2 * HOUR]


def test_a_holiday_is_not_a_delay() -> None:
    with_holiday = WorkCalendar(
        "berlin", "Europe/Berlin", WEEK, dt.time(9), dt.time(17), frozenset({dt.date(2026, 12, 3)})
    )
    wednesday_4pm, friday_10am = berlin(2026, 12, 2, 16), berlin(2026, 12, 4, 10)
    assert waits([(wednesday_4pm, friday_10am, "b")], {"b": with_holiday}) == [2 * HOUR]
    assert waits([(wednesday_4pm, friday_10am, "b")], {"b": BERLIN}) == [10 * HOUR]


def test_daylight_saving_starts_in_berlin() -> None:
    """Clocks go forward on Sunday 29 March 2026: Monday's 09:00 is 07:00 UTC, not 08:00."""
    friday_4pm = berlin(2026, 3, 27, 16)
    monday = dt.datetime(2026, 3, 30, 7, 30)  # 09:30 CEST
    assert waits([(friday_4pm, monday, "berlin")], {"berlin": BERLIN}) == [1.5 * HOUR]


def test_daylight_saving_ends_in_new_york() -> None:
    """Clocks go back on Sunday 1 November 2026: Monday's 09:00 is 14:00 UTC, not 13:00."""
    friday_5pm = new_york(2026, 10, 30, 17)
    monday = dt.datetime(2026, 11, 2, 14, 30)  # 09:30 EST
    assert waits([(friday_5pm, monday, "ny")], {"ny": NEW_YORK}) == [HOUR]


def test_start_and_end_outside_hours_and_the_same_day() -> None:
    cals = {"berlin": BERLIN}
    assert waits(
        [
            (berlin(2026, 12, 1, 7), berlin(2026, 12, 1, 20), "berlin"),  # before and after
            (berlin(2026, 12, 1, 10, 15), berlin(2026, 12, 1, 11, 45), "berlin"),  # within
            (berlin(2026, 12, 5, 10), berlin(2026, 12, 6, 15), "berlin"),  # a weekend only
            (berlin(2026, 12, 1, 18), berlin(2026, 12, 2, 8), "berlin"),  # overnight
            (berlin(2026, 11, 30, 9), berlin(2026, 12, 7, 9), "berlin"),  # a whole week
        ],
        cals,
    ) == [8 * HOUR, 1.5 * HOUR, 0.0, 0.0, 40 * HOUR]


def test_exact_below_the_second() -> None:
    start = berlin(2026, 12, 1, 10) + dt.timedelta(microseconds=250_000)
    end = berlin(2026, 12, 2, 9) + dt.timedelta(milliseconds=1)
    assert waits([(start, end, "berlin")], {"berlin": BERLIN}) == [7 * HOUR - 0.249]


def test_hours_that_cross_midnight_utc() -> None:
    """Auckland's 09:00-17:30 is 20:00-04:30 UTC: one working day spans two UTC days."""
    auckland = WorkCalendar("akl", "Pacific/Auckland", WEEK, dt.time(9), dt.time(17, 30))
    start = utc("Pacific/Auckland", 2026, 12, 1, 16)  # Tuesday, 03:00 UTC
    end = utc("Pacific/Auckland", 2026, 12, 2, 10)  # Wednesday, 21:00 UTC the day before
    assert waits([(start, end, "akl")], {"akl": auckland}) == [2.5 * HOUR]


def test_a_case_without_a_calendar_uses_the_default_or_elapsed_time() -> None:
    start, end = berlin(2026, 12, 4, 16), berlin(2026, 12, 7, 10)
    elapsed = (end - start).total_seconds()
    pairs = [(start, end, None), (start, end, "nowhere"), (start, end, "berlin")]
    assert waits(pairs, {"berlin": BERLIN}) == [elapsed, elapsed, 2 * HOUR]
    late = WorkCalendar("late", "Europe/Berlin", WEEK, dt.time(15), dt.time(17))
    assert waits(pairs, {"berlin": BERLIN}, default=late) == [HOUR, HOUR, 2 * HOUR]
    assert waits(pairs, {}) == [elapsed] * 3


def test_a_missing_timestamp_gives_no_wait() -> None:
    start = berlin(2026, 12, 4, 16)
    assert waits([(start, None, "berlin"), (None, None, None)], {"berlin": BERLIN}) == [None, None]


def test_no_calendar_column_means_the_default_for_every_row() -> None:
    rows = pa.table(
        {"started": [berlin(2026, 12, 4, 16)], "ended": [berlin(2026, 12, 7, 10)]},
    )
    out = business_wait(
        ibis.memtable(rows), {"berlin": BERLIN}, start="started", end="ended", default=BERLIN
    ).to_pyarrow()
    assert out["business_wait_s"].to_pylist() == [2 * HOUR]


def test_workdays_and_clock_times_are_read_as_written() -> None:
    assert parse_workdays("mon-fri") == WEEK
    assert parse_workdays("Sun-Thu") == frozenset({6, 0, 1, 2, 3})
    assert parse_workdays("mon,wed, fri") == frozenset({0, 2, 4})
    assert parse_workdays("sat") == frozenset({5})
    assert parse_clock("9:05") == dt.time(9, 5)
    assert parse_clock(" 08:30 ") == dt.time(8, 30)
    assert parse_clock("17:30:15") == dt.time(17, 30, 15)
    with pytest.raises(CalendarError, match="calendar x: workdays 'mon-fry'"):
        parse_workdays("mon-fry", "x")
    with pytest.raises(CalendarError, match="calendar x: closes '25:00' is not a time of day"):
        parse_clock("25:00", "x", "closes")


def test_a_calendar_that_cannot_work_is_refused() -> None:
    with pytest.raises(CalendarError, match="calendar x: timezone 'Europe/Berln'"):
        WorkCalendar("x", "Europe/Berln", WEEK, dt.time(9), dt.time(17))
    with pytest.raises(CalendarError, match=r"calendar x: opens \(17:00\) must be before"):
        WorkCalendar("x", "UTC", WEEK, dt.time(17), dt.time(9))
    with pytest.raises(CalendarError, match="0 \\(Monday\\) to 6"):
        WorkCalendar("x", "UTC", frozenset({7}), dt.time(9), dt.time(17))


def test_an_empty_table_gets_the_column() -> None:
    assert waits([], {"berlin": BERLIN}) == []
