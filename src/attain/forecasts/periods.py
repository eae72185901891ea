"""Forecast periods: a quarter (`2026-Q4`) or a month (`2026-12`), and the same point of an
earlier period, which is what a forecast made at week 4 learns from."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ForecastPeriod:
    """A period forecast as a whole: its key, first and last day, and length in months."""

    key: str
    start: dt.date
    end: dt.date
    months: int

    def shifted(self, periods: int) -> ForecastPeriod:
        """The period `periods` earlier (positive) or later (negative) of the same length."""
        index = self.start.year * 12 + self.start.month - 1 - periods * self.months
        return _from_month_index(index, self.months)

    def same_point(self, day: dt.date, periods: int) -> dt.date:
        """The day as far into the period `periods` earlier as `day` is into this one."""
        earlier = self.shifted(periods)
        return min(earlier.start + (day - self.start), earlier.end)

    def week_day(self, week: int) -> dt.date:
        """The last day of week `week` (1-based) of the period: a forecast "at week 4"."""
        return min(self.start + dt.timedelta(days=7 * week - 1), self.end)


def _from_month_index(index: int, months: int) -> ForecastPeriod:
    year, month = divmod(index, 12)
    start = dt.date(year, month + 1, 1)
    nxt = index + months
    end = dt.date(nxt // 12, nxt % 12 + 1, 1) - dt.timedelta(days=1)
    key = f"{year}-Q{month // 3 + 1}" if months == 3 else f"{year}-{month + 1:02d}"
    return ForecastPeriod(key, start, end, months)


def parse_period(key: str) -> ForecastPeriod:
    """`2026-Q4` or `2026-12`; anything else is refused with the forms that are accepted."""
    text = key.strip()
    if m := _QUARTER.match(text):
        return _from_month_index(int(m[1]) * 12 + 3 * (int(m[2]) - 1), 3)
    if m := _MONTH.match(text):
        return _from_month_index(int(m[1]) * 12 + int(m[2]) - 1, 1)
    raise ValueError(f"period {key!r}: give a quarter (2026-Q4) or a month (2026-12)")


def quarter_of(day: dt.date) -> ForecastPeriod:
    """The quarter holding `day`."""
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
