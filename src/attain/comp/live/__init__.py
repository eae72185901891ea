"""Live (partial) runs: pay again only the payees a change touches (deals, orders, the
hierarchy, quotas, exchange rates)."""

from __future__ import annotations

from attain.comp.live.changes import ever_above, fx_changed, people_changed, quotas_changed
from attain.comp.live.recalculate import (
    SOURCES,
    LiveResult,
    in_background,
    load_rows_of,
    recalculate,
    rows_changed,
    rows_changed_later,
    run_plans,
    touched,
)
from attain.comp.live.schema import LIVE_INDEXES, LiveLine, LivePayee

__all__ = [
    "LIVE_INDEXES",
    "SOURCES",
    "LiveLine",
    "LivePayee",
    "LiveResult",
    "ever_above",
    "fx_changed",
    "in_background",
    "load_rows_of",
    "people_changed",
    "quotas_changed",
    "recalculate",
    "rows_changed",
    "rows_changed_later",
    "run_plans",
    "touched",
]
