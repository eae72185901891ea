"""Work calendars: when a team is at work, so that a weekend or a holiday is not a delay.

A calendar is a timezone, the working weekdays, the opening hours (the same each working day, in
local time) and the public holidays. `business_wait` measures the time between two instants on
such a clock, in the database: a weekend between Friday 16:00 and Monday 10:00 counts nothing,
and with hours 09:00 to 17:00 that wait is two business hours.

>>> import datetime as dt
>>> cal = WorkCalendar("emea", "Europe/Berlin", frozenset(range(5)), dt.time(9), dt.time(17))
>>> cal.working_day(dt.date(2026, 12, 5))  # a Saturday
False
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ibis
import ibis.expr.datatypes as idt
import sqlalchemy as sa

from attain.data.work_hours import CLOCK, WEEKDAYS, WORKDAYS
from attain.process.calendar_days import DAY_US, calendar_days, slot_count
from attain.process.transitions import seconds_between


class CalendarError(ValueError):
    """A work calendar that cannot be used: the message names the calendar and the column."""


@dataclass(frozen=True)
class WorkCalendar:
    """Working weekdays (0 = Monday .. 6 = Sunday) open from `opens` to `closes` local time in
    `timezone` (IANA), except on `holidays` (local dates)."""

    id: str
    timezone: str
    workdays: frozenset[int]
    opens: dt.time
    closes: dt.time
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        zone(self.timezone, self.id)
        if not self.workdays <= frozenset(range(7)):
            raise CalendarError(f"calendar {self.id}: workdays must be 0 (Monday) to 6 (Sunday)")
        if self.opens >= self.closes:
            raise CalendarError(
                f"calendar {self.id}: opens ({self.opens:%H:%M}) must be before closes "
                f"({self.closes:%H:%M})"
            )

    def working_day(self, day: dt.date) -> bool:
        """Whether the calendar works on `day` (a local date)."""
        return day.weekday() in self.workdays and day not in self.holidays


def zone(name: str, calendar: str) -> ZoneInfo:
    """The IANA timezone `name`, or a CalendarError naming the calendar."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            f"calendar {calendar}: timezone {name!r} is not an IANA timezone "
            "(such as Europe/Berlin, America/New_York)"
        ) from None


def parse_workdays(text: str, calendar: str = "?") -> frozenset[int]:
    """`mon-fri`, `sun-thu` or `mon,tue,thu` (ranges and lists may mix) as weekday numbers.

    >>> sorted(parse_workdays("sun-tue,thu"))
    [0, 1, 3, 6]
    """
    if re.match(WORKDAYS, text) is None:
        raise CalendarError(
            f"calendar {calendar}: workdays {text!r} is not like mon-fri or mon,tue,thu"
        )
    days: set[int] = set()
    for part in re.sub(r"\s", "", text.lower()).split(","):
        ends = part.split("-")
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
    return frozenset(days)


def parse_clock(text: str, calendar: str = "?", column: str = "opens") -> dt.time:
    """`09:00` or `17:30` (or with seconds) as a time of day."""
    found = re.match(CLOCK, text)
    if found is None:
        raise CalendarError(
            f"calendar {calendar}: {column} {text!r} is not a time of day like 09:00"
        )
    hour, minute, second = (int(g) for g in found.groups(default="0"))
    return dt.time(hour, minute, second)


def load_calendars(engine: sa.Engine) -> dict[str, WorkCalendar]:
    """Every work calendar of the store with its holidays, by id."""
    from attain.data.schema import WorkCalendarHoliday, WorkCalendarRow

    with engine.connect() as conn:
        rows = conn.execute(sa.select(WorkCalendarRow.__table__)).mappings().all()
        off = conn.execute(sa.select(WorkCalendarHoliday.calendar, WorkCalendarHoliday.day)).all()
    holidays: dict[str, set[dt.date]] = {}
    for calendar, day in off:
        holidays.setdefault(calendar, set()).add(day)
    return {
        r["id"]: WorkCalendar(
            id=r["id"],
            timezone=r["timezone"],
            workdays=parse_workdays(r["workdays"], r["id"]),
            opens=parse_clock(r["opens"], r["id"], "opens"),
            closes=parse_clock(r["closes"], r["id"], "closes"),
            holidays=frozenset(holidays.get(r["id"], ())),
        )
        for r in rows
    }


DEFAULT = "\x00default"
"""The default calendar's name in the day table (never a calendar id of the store): it comes
after the named calendars."""


def business_wait(
    t: ibis.Table,
    calendars: dict[str, WorkCalendar],
    *,
    start: str = "source_at",
    end: str = "target_at",
    calendar_col: str = "calendar",
    default: WorkCalendar | None = None,
) -> ibis.Table:
    """`t` with `business_wait_s`: the seconds from `start` to `end` that fall in working hours
    of the row's calendar (`calendar_col`, an id of `calendars`).

    A row whose calendar is missing or unknown is measured by `default`, or in elapsed seconds
    when there is none. The work is one query: a small table of UTC days per calendar (business
    seconds before the day, and the day's open intervals as UTC instants, so daylight saving is
    exact) joined to each end of the interval; see docs/process.md, "Business hours".

    >>> import pyarrow as pa
    >>> berlin = WorkCalendar("berlin", "Europe/Berlin", frozenset(range(5)), dt.time(9), dt.time(17))
    >>> friday_4pm, monday_10am = dt.datetime(2026, 12, 4, 15), dt.datetime(2026, 12, 7, 9)  # UTC
    >>> t = ibis.memtable(pa.table({"source_at": [friday_4pm], "target_at": [monday_10am],
    ...                             "calendar": ["berlin"]}))
    >>> business_wait(t, {"berlin": berlin}).business_wait_s.to_pyarrow().to_pylist()
    [7200.0]
    """
    used = dict(calendars)
    if default is not None:
        used[DEFAULT] = default
    if not used:
        return t.mutate(business_wait_s=seconds_between(t[start], t[end]))
    first, last = _span(t, start, end)
    days = calendar_days(used, first, last)
    n_days = (last - first).days + 1
    origin = ibis.literal(dt.datetime.combine(first, dt.time()), type=idt.timestamp)
    fallback = ibis.literal(len(calendars) if default is not None else None, type=idt.int64)
    if calendar_col in t.columns and calendars:
        named = t[calendar_col]
        place = ibis.cases(*((named == c, k) for k, c in enumerate(calendars)), else_=fallback)
    else:
        place = fallback
    keyed = t.mutate(
        _bw_place=place,
        _bws_at_us=t[start].delta(origin, unit="microsecond"),
        _bwe_at_us=t[end].delta(origin, unit="microsecond"),
    )
    out, day_table = keyed, ibis.memtable(days)
    for side in ("s", "e"):
        day_side = day_table.rename(lambda c, side=side: f"_bw{side}_{c}")
        key = out._bw_place * n_days + out[f"_bw{side}_at_us"] // DAY_US
        out = out.left_join(day_side, key == day_side[f"_bw{side}_key"])
    slots = slot_count(days)
    clock = {side: _clock(out, side, out[f"_bw{side}_at_us"], slots) for side in ("s", "e")}
    measured = ibis.cases(
        (out._bw_place.isnull(), seconds_between(out[start], out[end])),
        else_=(clock["e"] - clock["s"]).cast(idt.float64) / 1_000_000,
    )
    return out.select(*t.columns, business_wait_s=measured.cast(idt.float64))


def _clock(t: ibis.Table, side: str, at_us: ibis.Value, slots: int) -> ibis.Value:
    """Business microseconds from the day table's origin to the instant `at_us` (microseconds
    since it)."""
    total = t[f"_bw{side}_before_us"]
    for k in range(slots):
        opens, closes = t[f"_bw{side}_open_{k}_us"], t[f"_bw{side}_close_{k}_us"]
        total = total + ibis.greatest(ibis.least(at_us - opens, closes - opens), 0)
    return total


EMPTY_SPAN = (dt.date(2000, 1, 1), dt.date(2000, 1, 1))


def _span(t: ibis.Table, start: str, end: str) -> tuple[dt.date, dt.date]:
    """The first and last UTC day either end of the rows falls on (any day for an empty table)."""
    found = t.aggregate(
        first=ibis.least(t[start].min(), t[end].min()),
        last=ibis.greatest(t[start].max(), t[end].max()),
    ).to_pyarrow()
    first, last = found["first"][0].as_py(), found["last"][0].as_py()
    if first is None or last is None:
        return EMPTY_SPAN
    return first.date(), last.date()


__all__ = [
    "CalendarError",
    "WorkCalendar",
    "business_wait",
    "load_calendars",
    "parse_clock",
    "parse_workdays",
]
