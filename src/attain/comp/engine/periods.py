"""Payout periods: `2027-W05` (ISO week), `2027-01`, `2027-Q1`, `2027`.

A period's year is the year in its name (for weeks, the ISO week-year); the year-to-date
window of a period runs from the first day of the first period of that year to the period's
last day (for weeks, from the Monday of week 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date
    year: str
    year_start: date


def _week_start(iso_year: int, week: int) -> date:
    return date.fromisocalendar(iso_year, week, 1)


def period_of(day: date, kind: str) -> Period:
    """The period of `kind` that contains `day`."""
    if kind == "week":
        y, w, _ = day.isocalendar()
        start = _week_start(y, w)
        return Period(f"{y}-W{w:02d}", start, start + timedelta(days=6), str(y), _week_start(y, 1))
    if kind == "month":
        start = day.replace(day=1)
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return Period(
            f"{day:%Y-%m}", start, nxt - timedelta(days=1), str(day.year), date(day.year, 1, 1)
        )
    if kind == "quarter":
        q = (day.month - 1) // 3
        start = date(day.year, 3 * q + 1, 1)
        nxt = date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1)
        return Period(
            f"{day.year}-Q{q + 1}",
            start,
            nxt - timedelta(days=1),
            str(day.year),
            date(day.year, 1, 1),
        )
    if kind == "year":
        start = date(day.year, 1, 1)
        return Period(str(day.year), start, date(day.year, 12, 31), str(day.year), start)
    raise ValueError(f"unknown period kind {kind!r}")


def kind_of(key: str) -> str:
    """`2027-W05` -> week, `2027-Q1` -> quarter, `2027-01` -> month, `2027` -> year."""
    if "-W" in key:
        return "week"
    if "-Q" in key:
        return "quarter"
    return "year" if len(key) == 4 else "month"


def period_named(key: str) -> Period:
    """The period named `key`; a ValueError for a name the engine would never produce."""
    kind = kind_of(key)
    try:
        if kind == "week":
            y, w = key.split("-W")
            first = _week_start(int(y), int(w))
        elif kind == "quarter":
            y, q = key.split("-Q")
            first = date(int(y), 3 * (int(q) - 1) + 1, 1)
        elif kind == "year":
            first = date(int(key), 1, 1)
        else:
            first = date.fromisoformat(key + "-01")
    except ValueError:
        raise ValueError(f"not a period name: {key!r} (like 2027-01, 2027-Q1, 2027-W05)") from None
    found = period_of(first, kind)
    if found.key != key:
        raise ValueError(f"not a period name: {key!r}")
    return found


def periods_between(kind: str, start: date, end: date) -> list[Period]:
    """Every period of `kind` from the one containing `start` to the one containing `end`."""
    out: list[Period] = []
    if end < start:
        return out
    p = period_of(start, kind)
    while p.start <= end:
        out.append(p)
        p = period_of(p.end + timedelta(days=1), kind)
    return out


def periods_table(periods: list[Period]) -> ibis.Table:
    """The periods as a table: period, start, end, year, year_start, seq (order)."""
    return ibis.memtable(
        {
            "period": [p.key for p in periods],
            "start": [p.start for p in periods],
            "end": [p.end for p in periods],
            "year": [p.year for p in periods],
            "year_start": [p.year_start for p in periods],
            "seq": list(range(len(periods))),
        },
        schema=ibis.schema(
            {
                "period": dt.string,
                "start": dt.date,
                "end": dt.date,
                "year": dt.string,
                "year_start": dt.date,
                "seq": dt.int64,
            }
        ),
    )
