"""attain's "today": the real date, unless `--as-of` or ATTAIN_TODAY pins another.

The demo company's history ends with the month before today, a period can be prepared once it is
over, and pages show "this period": every "today" of the generator, the pay lifecycle and the
web app comes from here, so a test, a screenshot or a bug report can see attain as it was (or
will be) on another day.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "ATTAIN_TODAY"


def today(as_of: str | None = None) -> dt.date:
    """`as_of` (YYYY-MM-DD), else ATTAIN_TODAY, else the real date; a bad value is a ValueError."""
    source = "--as-of" if as_of else TODAY_VARIABLE
    pinned = as_of or os.environ.get(TODAY_VARIABLE, "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{source} {pinned!r} is not a date (YYYY-MM-DD)") from None


def now(*, whole_seconds: bool = False) -> dt.datetime:
    """The moment, in UTC without a zone (as the store keeps every timestamp); `whole_seconds`
    drops the microseconds, for records people compare by eye."""
    moment = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0) if whole_seconds else moment
