"""Work calendars kept in the store: read back on each store, refused when unusable, and the same
business waits computed inside PostgreSQL as in DuckDB."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import ibis
import pyarrow as pa
import pytest
import sqlalchemy as sa

from attain.data.schema import Territory, WorkCalendarHoliday, WorkCalendarRow
from attain.data.store import get_engine, session
from attain.process.calendar import CalendarError, WorkCalendar, business_wait, load_calendars


def _store(url: str) -> sa.Engine:
    """A Berlin calendar with Christmas off and a Sunday-to-Thursday one in Dubai."""
    with session(url) as s:
        s.add(
            WorkCalendarRow(
                id="berlin",
                name="Berlin office",
                timezone="Europe/Berlin",
                workdays="mon-fri",
                opens="08:30",
                closes="17:00",
            )
        )
        s.add(
            WorkCalendarRow(
                id="dubai", timezone="Asia/Dubai", workdays="sun-thu", opens="9:00", closes="18:00"
            )
        )
        s.add(
            WorkCalendarHoliday(
                calendar="berlin", day=dt.date(2026, 12, 25), name="1. Weihnachtstag"
            )
        )
        s.add(WorkCalendarHoliday(calendar="berlin", day=dt.date(2026, 12, 26)))
        s.add(Territory(id="emea-north", region="EMEA", calendar="berlin"))
    return get_engine(url)


def test_calendars_read_back_from_each_store(store_url: str) -> None:
    found = load_calendars(_store(store_url))
    assert found == {
        "berlin": WorkCalendar(
            "berlin",
            "Europe/Berlin",
            frozenset(range(5)),
            dt.time(8, 30),
            dt.time(17),
            frozenset({dt.date(2026, 12, 25), dt.date(2026, 12, 26)}),
        ),
        "dubai": WorkCalendar(
            "dubai", "Asia/Dubai", frozenset({6, 0, 1, 2, 3}), dt.time(9), dt.time(18)
        ),
    }


def test_an_unusable_calendar_is_named(sqlite_url: str) -> None:
    engine = _store(sqlite_url)
    with session(sqlite_url) as s:
        s.add(
            WorkCalendarRow(
                id="moon", timezone="Moon/Base", workdays="mon", opens="9:00", closes="17:00"
            )
        )
    with pytest.raises(CalendarError, match="calendar moon: timezone 'Moon/Base'"):
        load_calendars(engine)


def test_an_empty_store_has_no_calendars(sqlite_url: str) -> None:
    assert load_calendars(get_engine(sqlite_url)) == {}


WAITS = pa.table(
    {
        "case_id": ["a", "b", "c", "d"],
        "source_at": pa.array(
            [
                dt.datetime(2026, 12, 24, 15),  # Thursday 16:00 in Berlin, then two holidays
                dt.datetime(2026, 12, 3, 12),  # Thursday 16:00 in Dubai, then its weekend
                dt.datetime(2026, 12, 3, 12),
                dt.datetime(2026, 3, 27, 15),  # Friday before Berlin's clocks go forward
            ],
            pa.timestamp("us"),
        ),
        "target_at": pa.array(
            [
                dt.datetime(2026, 12, 28, 8, 30),
                dt.datetime(2026, 12, 6, 6, 30),
                dt.datetime(2026, 12, 6, 6, 30),
                dt.datetime(2026, 3, 30, 7, 30),
            ],
            pa.timestamp("us"),
        ),
        "calendar": ["berlin", "dubai", None, "berlin"],
    }
)
EXPECTED = [2 * 3600.0, 3.5 * 3600.0, (2 * 24 + 18.5) * 3600.0, 2.0 * 3600.0]
"""a: 16:00-17:00 on the 24th, 08:30-09:30 on the 28th; b: 16:00-18:00 Thursday and 09:00-10:30
Sunday; c: no calendar, elapsed; d: 16:00-17:00 CET Friday, 08:30-09:30 CEST Monday."""


def _waits(table: ibis.Table, calendars: dict[str, WorkCalendar]) -> list[float]:
    out = business_wait(table, calendars).order_by("case_id").to_pyarrow()
    return out["business_wait_s"].to_pylist()


def test_the_same_waits_inside_postgresql(postgres_url: str) -> None:
    calendars = load_calendars(_store(postgres_url))
    assert _waits(ibis.memtable(WAITS), calendars) == EXPECTED
    parts = urlsplit(postgres_url)
    con = ibis.postgres.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        database=parts.path.lstrip("/"),
    )
    try:
        con.create_table("transition_waits", WAITS)
        assert _waits(con.table("transition_waits"), calendars) == EXPECTED
    finally:
        con.disconnect()
