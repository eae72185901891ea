""" "This period" for everyone: one period per period kind, the same on every page."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from attain.comp.engine.periods import period_of
from attain.comp.runs.schema import CompRun
from attain.pay.line_units import RunUnits, run_units
from attain.pay.periods import parse_period


def current_periods(run: CompRun | None, today: dt.date) -> dict[str, str]:
    """Period kind -> "this period" for everyone: the period of that kind holding the run's
    last day, or today when the run reaches past it (`{"month": "2026-11", "week": ...}`)."""
    if run is None:
        return {}
    day = min(run.span_to, today)
    return {kind: period_of(day, kind).key for kind in sorted(set(run_units(run).kinds.values()))}


@functools.lru_cache(maxsize=4096)
def _start(period: str) -> dt.date:
    return parse_period(period).start


def started(period: str, today: dt.date) -> bool:
    """Whether a period has begun by `today` (a run may reach into later periods)."""
    return _start(period) <= today


def year_fraction(period: str) -> Decimal:
    """How far through its year a period ends: 2027-03 -> 0.25, 2027-Q2 -> 0.5, 2027-W13 -> 0.25."""
    rest = period[5:]
    if not rest:
        return Decimal(1)
    if rest.startswith("Q"):
        return Decimal(int(rest[1:])) / 4
    if rest.startswith("W"):
        return min(Decimal(1), Decimal(int(rest[1:])) / 52)
    return Decimal(int(rest)) / 12


def this_period(
    units: RunUnits, current: dict[str, str], plans: set[str]
) -> tuple[str | None, set[str]]:
    """The periods a payee's plans call "this period" (one per kind), and a name for them."""
    periods = {current[k] for p in plans if (k := units.kinds.get(p)) in current}
    return (" + ".join(sorted(periods)) or None), periods
