"""What a scan of an XES document found, as arrays: the form both scans hand over (expat's,
`attain.process.xes_scan`, in one or two parts; and the regular shape's,
`attain.process.xes_regular`), so the log is built the same way whichever read the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from attain.process.xes_scan import Scan


@dataclass(frozen=True)
class ScanColumns:
    """Every event attribute as one row (event, key, value), in file order, and the traces."""

    event_of: np.ndarray
    """For every event attribute, the index of its event ..."""
    keys: pa.Array
    """... its key ..."""
    values: pa.Array
    """... and its value."""
    lines: np.ndarray
    """The line of every event."""
    first_event: np.ndarray
    """The index of every trace's first event (its events follow, up to the next trace's)."""
    traces: list[dict[str, str]]
    """The attributes of every trace."""
    trace_lines: np.ndarray
    """The line of every trace."""


def of_scans(parts: Sequence[Scan], line_offsets: Sequence[int]) -> ScanColumns:
    """The parts of one document, scanned apart, as one: each part's events and lines follow
    the ones before it (`line_offsets` is the line each part starts after)."""
    events = np.cumsum([0, *(len(p.lines) for p in parts)])

    def joined(per_part: Sequence[list[int]], offsets: Sequence[int] | np.ndarray) -> np.ndarray:
        return np.concatenate(
            [np.asarray(p, dtype=np.int64) + o for p, o in zip(per_part, offsets, strict=False)]
        )

    return ScanColumns(
        event_of=joined([p.event_of for p in parts], events),
        keys=pa.chunked_array(
            [pa.array(p.keys, pa.string()) for p in parts], pa.string()
        ).combine_chunks(),
        values=pa.chunked_array(
            [pa.array(p.values, pa.string()) for p in parts], pa.string()
        ).combine_chunks(),
        lines=joined([p.lines for p in parts], line_offsets),
        first_event=joined([p.first_event for p in parts], events),
        traces=[t for p in parts for t in p.traces],
        trace_lines=joined([p.trace_lines for p in parts], line_offsets),
    )
