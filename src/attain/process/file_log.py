"""An event log read from a file (XES, CSV or Parquet), before it is kept in the store or mined
in place: its events and cases as Arrow tables in the canonical columns."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

CASE_COLUMNS = ("owner", "team", "territory", "calendar", "outcome")
"""The canonical case string columns a file's case attribute of the same name fills."""


@dataclass(frozen=True)
class FileLog:
    """A file's events and cases, as Arrow tables in the canonical event-log columns."""

    events: pa.Table
    cases: pa.Table
