"""How a work calendar's text is written (`mon-fri`, `09:00`, `Europe/Berlin`): one spelling,
checked on import and read by the engines (`attain.process.calendar`).
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import pyarrow as pa

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as calendars write them; a weekday's number is its index (0 = Monday)."""

_DAY = "(?:" + "|".join(WEEKDAYS) + ")"
_SPAN = f"{_DAY}(?:-{_DAY})?"
WORKDAYS = rf"(?i)^\s*{_SPAN}(?:\s*,\s*{_SPAN})*\s*$"
"""Working weekdays: a range `mon-fri`, a list `mon,tue,thu`, or both `mon-wed,fri`."""

CLOCK = r"^\s*([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\s*$"
"""A time of day, `09:00` or `17:30` (seconds allowed)."""

FORMATS = {
    "timezone": "{value} is not an IANA timezone (such as Europe/Berlin, America/New_York)",
    "workdays": "{value} is not a list of weekdays like mon-fri or mon,tue,thu",
    "clock": "{value} is not a time of day like 09:00 or 17:30",
}
"""The formats a column of the data model may declare (`info={"format": ...}`), with the reason
an import gives for a value written otherwise."""


@cache
def timezone_names() -> pa.Array:
    """Every IANA timezone name this machine knows, as a value set for vectorised lookups."""
    return pa.array(sorted(available_timezones()), pa.string())
