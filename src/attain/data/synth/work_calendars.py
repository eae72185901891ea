"""The demo company's work calendars: one per region, in its timezone, with its public holidays.

Nothing here is random: the hours are each office's and the holidays follow the published rules
(fixed days, days counted from Easter, the n-th weekday of a month, and days in lieu when a
holiday falls on a weekend), for every year of history and the year either side.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from attain.data.synth.spec import SynthSpec

OFFICES = {
    "NA": ("North America office hours (New York)", "America/New_York", "09:00", "17:30"),
    "EMEA": ("EMEA office hours (Berlin)", "Europe/Berlin", "08:30", "17:00"),
    "UK": ("UK office hours (London)", "Europe/London", "09:00", "17:30"),
}
"""Region -> calendar name, timezone, opening and closing time (Monday to Friday)."""


def calendar_id(region: str) -> str:
    """The id of the region's calendar (what its territories point at)."""
    return f"hours-{region.lower()}"


def easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus, the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th `weekday` (0 = Monday) of the month; n = -1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def us_holidays(year: int) -> dict[dt.date, str]:
    """US federal holidays; one on a Saturday is kept the Friday before, a Sunday the Monday."""

    def observed(day: dt.date) -> dt.date:
        shift = {5: -1, 6: 1}.get(day.weekday(), 0)
        return day + dt.timedelta(days=shift)

    return {
        observed(dt.date(year, 1, 1)): "New Year's Day",
        nth_weekday(year, 1, 0, 3): "Martin Luther King Jr. Day",
        nth_weekday(year, 2, 0, 3): "Washington's Birthday",
        nth_weekday(year, 5, 0, -1): "Memorial Day",
        observed(dt.date(year, 6, 19)): "Juneteenth",
        observed(dt.date(year, 7, 4)): "Independence Day",
        nth_weekday(year, 9, 0, 1): "Labor Day",
        nth_weekday(year, 11, 3, 4): "Thanksgiving Day",
        observed(dt.date(year, 12, 25)): "Christmas Day",
    }


def uk_holidays(year: int) -> dict[dt.date, str]:
    """Bank holidays of England and Wales; one on a weekend moves to the next free weekday."""
    e = easter(year)
    days = {
        e - dt.timedelta(days=2): "Good Friday",
        e + dt.timedelta(days=1): "Easter Monday",
        nth_weekday(year, 5, 0, 1): "Early May bank holiday",
        nth_weekday(year, 5, 0, -1): "Spring bank holiday",
        nth_weekday(year, 8, 0, -1): "Summer bank holiday",
    }
    fixed = [
        (dt.date(year, 1, 1), "New Year's Day"),
        (dt.date(year, 12, 25), "Christmas Day"),
        (dt.date(year, 12, 26), "Boxing Day"),
    ]
    days.update({day: name for day, name in fixed if day.weekday() < 5})
    for day, name in fixed:
        if day.weekday() >= 5:
            while day.weekday() >= 5 or day in days:
                day += dt.timedelta(days=1)
            days[day] = f"{name} (substitute day)"
    return days


def german_holidays(year: int) -> dict[dt.date, str]:
    """Germany's nationwide public holidays (no days in lieu)."""
    e = easter(year)
    return {
        dt.date(year, 1, 1): "Neujahr",
        e - dt.timedelta(days=2): "Karfreitag",
        e + dt.timedelta(days=1): "Ostermontag",
        dt.date(year, 5, 1): "Tag der Arbeit",
        e + dt.timedelta(days=39): "Christi Himmelfahrt",
        e + dt.timedelta(days=50): "Pfingstmontag",
        dt.date(year, 10, 3): "Tag der Deutschen Einheit",
        dt.date(year, 12, 25): "1. Weihnachtstag",
        dt.date(year, 12, 26): "2. Weihnachtstag",
    }


HOLIDAYS = {"NA": us_holidays, "EMEA": german_holidays, "UK": uk_holidays}


def build_work_calendars(spec: SynthSpec) -> tuple[pa.Table, pa.Table]:
    """The `work_calendars` and `work_calendar_holidays` rows for every region."""
    calendars = pa.table(
        {
            "id": pa.array([calendar_id(r) for r in OFFICES], pa.string()),
            "name": pa.array([o[0] for o in OFFICES.values()], pa.string()),
            "timezone": pa.array([o[1] for o in OFFICES.values()], pa.string()),
            "workdays": pa.array(["mon-fri"] * len(OFFICES), pa.string()),
            "opens": pa.array([o[2] for o in OFFICES.values()], pa.string()),
            "closes": pa.array([o[3] for o in OFFICES.values()], pa.string()),
        }
    )
    rows = sorted(
        (calendar_id(region), day, name)
        for region, rule in HOLIDAYS.items()
        for year in range(spec.start.year - 1, spec.end.year + 2)
        for day, name in rule(year).items()
    )
    holidays = pa.table(
        {
            "calendar": pa.array([r[0] for r in rows], pa.string()),
            "day": pa.array([r[1] for r in rows], pa.date32()),
            "name": pa.array([r[2] for r in rows], pa.string()),
        }
    )
    return calendars, holidays
