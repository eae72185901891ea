"""Seasonality and growth: when in the year things are sold.

B2B bookings peak in the last month of each quarter (deals pushed to quarter end) and most in
Q4 (budget flush); retail peaks in November and December and at weekends.
"""

from __future__ import annotations

import numpy as np

MONTH_OF_QUARTER = np.array([0.78, 0.95, 1.42])
QUARTER = np.array([0.9, 1.0, 0.92, 1.3])
B2B_MONTHS = np.tile(MONTH_OF_QUARTER, 4) * np.repeat(QUARTER, 3)
B2B_MONTHS = B2B_MONTHS / B2B_MONTHS.mean()
"""Relative B2B close volume for January..December (mean 1)."""

RETAIL_MONTHS = np.array([0.82, 0.8, 0.92, 0.95, 1.0, 0.98, 1.0, 1.04, 0.94, 0.98, 1.22, 1.55])
RETAIL_MONTHS = RETAIL_MONTHS / RETAIL_MONTHS.mean()
"""Relative retail volume for January..December (mean 1)."""

RETAIL_WEEKDAYS = np.array([0.82, 0.8, 0.86, 0.92, 1.14, 1.48, 0.98])
RETAIL_WEEKDAYS = RETAIL_WEEKDAYS / RETAIL_WEEKDAYS.mean()
"""Relative retail volume Monday..Sunday (mean 1)."""

ANNUAL_GROWTH = 0.12
"""The company's underlying growth per year, in volume."""


def trend(years_since_start: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.power(1.0 + ANNUAL_GROWTH, years_since_start)
    return out


def month_of(days: np.ndarray) -> np.ndarray:
    """Calendar month 1..12 of day numbers."""
    return (
        np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    ) + 1


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers (a sortable month key)."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def weekday_of(days: np.ndarray) -> np.ndarray:
    """0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days) + 3) % 7


def profile_truth() -> dict[str, object]:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return {
        "b2b_month": {n: round(float(v), 4) for n, v in zip(names, B2B_MONTHS, strict=True)},
        "retail_month": {n: round(float(v), 4) for n, v in zip(names, RETAIL_MONTHS, strict=True)},
        "retail_weekday": {
            n: round(float(v), 4) for n, v in zip(days, RETAIL_WEEKDAYS, strict=True)
        },
        "annual_growth": ANNUAL_GROWTH,
        "note": "relative volume, mean 1: B2B closes peak in each quarter's last month and in Q4",
    }
