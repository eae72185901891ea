"""The demo company's work calendars: one per region, in its timezone, with its public holidays,
and every territory working by its region's calendar."""

from __future__ import annotations

import datetime as dt

from test_synth_shared import company, frame

from attain.data.synth.work_calendars import easter, german_holidays, uk_holidays, us_holidays
from attain.process.calendar import WorkCalendar, parse_clock, parse_workdays


def test_every_territory_works_by_its_regions_calendar() -> None:
    territories, calendars = frame("territories"), frame("work_calendars").set_index("id")
    zones = territories.calendar.map(calendars.timezone)
    assert zones.notna().all()
    expected = {"NA": "America/New_York", "EMEA": "Europe/Berlin", "UK": "Europe/London"}
    assert (zones == territories.region.map(expected)).all()


def test_the_calendars_are_usable_and_hold_the_years_holidays() -> None:
    holidays = frame("work_calendar_holidays")
    for row in frame("work_calendars").itertuples():
        days = frozenset(holidays[holidays.calendar == row.id].day)
        WorkCalendar(
            row.id,
            row.timezone,
            parse_workdays(row.workdays, row.id),
            parse_clock(row.opens, row.id),
            parse_clock(row.closes, row.id),
            days,
        )
        years = range(company().spec.start.year, company().spec.end.year + 1)
        assert all(dt.date(y, 12, 25) in days or row.id == "hours-na" for y in years), row.id
    off = set(zip(holidays.calendar, holidays.day, strict=True))
    assert ("hours-na", dt.date(2024, 11, 28)) in off  # Thanksgiving
    assert ("hours-na", dt.date(2024, 7, 4)) in off
    assert ("hours-emea", dt.date(2025, 5, 29)) in off  # Ascension Day
    assert ("hours-uk", dt.date(2025, 4, 18)) in off  # Good Friday
    assert ("hours-uk", dt.date(2025, 12, 25)) in off


def test_holiday_rules_on_known_years() -> None:
    assert [easter(y) for y in (2024, 2025, 2026, 2038)] == [
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
        dt.date(2026, 4, 5),
        dt.date(2038, 4, 25),
    ]
    uk_2027 = uk_holidays(2027)  # Christmas on a Saturday, Boxing Day on a Sunday
    assert uk_2027[dt.date(2027, 12, 27)] == "Christmas Day (substitute day)"
    assert uk_2027[dt.date(2027, 12, 28)] == "Boxing Day (substitute day)"
    uk_2022 = uk_holidays(2022)  # Christmas on a Sunday: Boxing Day stays, Christmas moves on
    assert uk_2022[dt.date(2022, 12, 26)] == "Boxing Day"
    assert uk_2022[dt.date(2022, 12, 27)] == "Christmas Day (substitute day)"
    us_2027 = us_holidays(2027)  # Independence Day on a Sunday, Christmas on a Saturday
    assert dt.date(2027, 7, 5) in us_2027 and dt.date(2027, 12, 24) in us_2027
    assert all(
        d.weekday() < 5 for y in range(2020, 2040) for d in [*uk_holidays(y), *us_holidays(y)]
    )
    assert len(german_holidays(2026)) == 9
