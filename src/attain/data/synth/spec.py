"""What to generate: the knobs of `attain synth`, and the calendar they imply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

EPOCH = dt.date(1970, 1, 1)
ORDERS_PER_ASSOCIATE_YEAR = 500
"""B2C orders a fully ramped, average associate rings up in a year, when no total is asked for."""


@dataclass(frozen=True)
class SynthSpec:
    """A company to generate. The same spec (seed included) always gives the same company."""

    seed: int = 7
    b2b_reps: int = 0
    b2c_associates: int = 0
    years: int = 2
    start: dt.date = dt.date(2024, 1, 1)
    orders: int | None = None
    """B2C order rows wanted in all (returns included); default from the associates and years."""

    def __post_init__(self) -> None:
        if self.b2b_reps < 0 or self.b2c_associates < 0:
            raise ValueError("the number of reps cannot be negative")
        if self.b2b_reps == 0 and self.b2c_associates == 0:
            raise ValueError("ask for at least one rep or associate")
        if self.years < 1:
            raise ValueError("ask for at least one year of history")
        if self.start.day != 1:
            raise ValueError("the history starts on the first day of a month")

    @property
    def end(self) -> dt.date:
        """The last day of history (inclusive): `years` whole years after `start`."""
        return dt.date(self.start.year + self.years, self.start.month, 1) - dt.timedelta(days=1)

    @property
    def order_target(self) -> int:
        if self.orders is not None:
            return self.orders
        return self.b2c_associates * self.years * ORDERS_PER_ASSOCIATE_YEAR


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01, the unit every generator computes in."""
    return (day - EPOCH).days


def month_starts(first: dt.date, count: int) -> np.ndarray:
    """The first day (as a day number) of `count` months from `first`."""
    months = np.arange(count) + (first.year * 12 + first.month - 1)
    return np.array(
        [day_number(dt.date(int(m // 12), int(m % 12) + 1, 1)) for m in months], dtype=np.int64
    )


def last_complete_month_start(today: dt.date, years: int) -> dt.date:
    """The start that makes `years` of history end with the last complete month before `today`."""
    return dt.date(today.year - years, today.month, 1)


def rng_for(seed: int, part: str) -> np.random.Generator:
    """An independent stream per part of the company, so one part's draws never shift another's."""
    key = sum((i + 1) * ord(c) for i, c in enumerate(part))
    return np.random.default_rng([seed, key])
