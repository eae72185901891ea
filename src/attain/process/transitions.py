"""Directly-follows pairs: each event with the next one of its case, as one windowed query.

A transition A -> B is counted every time B is the very next event after A in a case, ordered by
`(at, position)`: the timestamp, then the source order for ties. That is pm4py's default
directly-follows graph (every lifecycle event counts), so its figures can be checked against it.
The wait of a transition is the time from A to B, in seconds, to the microsecond.

>>> import pyarrow as pa, datetime as dt
>>> from attain.process.log import from_arrow
>>> log = from_arrow("demo", pa.table({"case_id": ["c1", "c1"], "activity": ["Open", "Close"],
...     "at": [dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 1, 5, 10)]}))
>>> transitions(log).select("source", "target", "wait_s").to_pyarrow().to_pylist()
[{'source': 'Open', 'target': 'Close', 'wait_s': 3600.0}]
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt

from attain.process.log import EventLog


def case_order() -> ibis.expr.types.generic.Value:
    """The window of a case's events in their order, `(at, position)`."""
    return ibis.window(group_by="case_id", order_by=["at", "position"])


def seconds_between(start: ibis.Value, end: ibis.Value) -> ibis.Value:
    """Seconds from `start` to `end` (float, exact to the microsecond) on every backend."""
    return end.delta(start, unit="microsecond").cast(dt.float64) / 1_000_000


def event_steps(log: EventLog) -> ibis.Table:
    """The log's events with `step` (0-based index in its case), `is_start` and `is_end`."""
    w = case_order()
    e = log.events
    return e.mutate(
        step=ibis.row_number().over(w),
        is_start=e.position.lag().over(w).isnull(),
        is_end=e.position.lead().over(w).isnull(),
    )


def transitions(log: EventLog) -> ibis.Table:
    """One row per directly-follows pair inside a case (see the module's docstring)."""
    w = case_order()
    e = log.events
    pairs = e.select(
        case_id=e.case_id,
        source=e.activity,
        target=e.activity.lead().over(w),
        source_at=e.at,
        target_at=e.at.lead().over(w),
        source_position=e.position,
        target_position=e.position.lead().over(w),
        source_resource=e.resource,
        target_resource=e.resource.lead().over(w),
        source_team=e.resource_team,
        target_team=e.resource_team.lead().over(w),
        step=ibis.row_number().over(w),
    )
    pairs = pairs.filter(pairs.target_position.notnull())
    pairs = pairs.mutate(wait_s=seconds_between(pairs.source_at, pairs.target_at))
    return pairs.relocate("wait_s", before="step")
