"""The amounts and days the engine pays exactly; the store takes nothing outside them.

The engine computes in DECIMAL(38, 12), and an amount times a rate keeps 24 places, so an
amount with more than 12 whole digits (a trillion or more) can overflow a product; periods are
named and stepped through up to 2199. A deal, order or other revenue row outside these ranges
would be kept and then fail every run and simulation over its period, so the API, the actions
and imports refuse it before anything is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

AMOUNT_WHOLE_DIGITS = 12
"""Whole digits of an amount: below one trillion (999,999,999,999.999999 at most)."""
AMOUNT_PLACES = 6
"""Decimal places of an amount (the store's scale)."""
AMOUNT_LIMIT = Decimal(10) ** AMOUNT_WHOLE_DIGITS
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


def amount_problem(value: Decimal) -> str | None:
    """Why an amount cannot be stored (not finite, a trillion or more, too many places), or None."""
    if not value.is_finite():
        return f"{value} is not a finite amount"
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if abs(value) >= AMOUNT_LIMIT:
        return f"{value:,} is too large (amounts stay below {AMOUNT_LIMIT:,})"
    if exponent < -AMOUNT_PLACES and value != value.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
        return f"{value} has more than {AMOUNT_PLACES} decimal places"
    return None


def day_problem(value: dt.date) -> str | None:
    """Why a day cannot be stored (outside 1900-01-01 .. 2199-12-31), or None."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not FIRST_DAY <= value <= LAST_DAY:
        return f"{value.isoformat()} is outside the days attain pays ({FIRST_DAY} to {LAST_DAY})"
    return None
