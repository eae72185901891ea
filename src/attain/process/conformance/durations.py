"""Durations as rules write them: `4h`, `30m`, `2d`, `1w`, `1d 12h`, `90 minutes`.

A bare number is refused: "within 4" could mean hours or days, and a rule that reads one way and
runs another is worse than an error.
"""

from __future__ import annotations

import re
from decimal import Decimal

UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86_400,
    "day": 86_400,
    "days": 86_400,
    "w": 604_800,
    "week": 604_800,
    "weeks": 604_800,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", re.IGNORECASE)


class DurationError(ValueError):
    """A duration that cannot be read; the message says what is expected."""


def duration_seconds(text: str) -> int:
    """Whole seconds of a duration (`"4h"` -> 14400, `"1d 12h"` -> 129600, `"1.5h"` -> 5400).

    >>> duration_seconds("2d")
    172800
    """
    expected = "expected a duration such as 4h, 30m, 2d or 1d 12h"
    text = text.strip()
    if not text:
        raise DurationError(f"empty duration; {expected}")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise DurationError(f"a duration needs a unit: {text!r} (e.g. {text}h or {text}d)")
    total = Decimal(0)
    at = 0
    while at < len(text):
        match = _PART.match(text, at)
        if match is None or match.end() == at:
            raise DurationError(f"not a duration: {text!r}; {expected}")
        unit = UNIT_SECONDS.get(match.group(2).lower())
        if unit is None:
            units = "s, m, h, d, w"
            raise DurationError(f"unknown unit {match.group(2)!r} in {text!r}; units are {units}")
        total += Decimal(match.group(1)) * unit
        at = match.end()
    if total <= 0:
        raise DurationError(f"a duration must be longer than zero: {text!r}")
    if total != total.to_integral_value():
        raise DurationError(f"a duration is whole seconds: {text!r}")
    return int(total)
