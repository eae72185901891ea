"""Live (partial) runs: pay again only the payees a change of deals or orders touches."""

from __future__ import annotations

from attain.comp.live.recalculate import (
    SOURCES,
    LiveResult,
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
    "load_rows_of",
    "recalculate",
    "rows_changed",
    "rows_changed_later",
    "run_plans",
    "touched",
]
