"""One row per case, summarised from its events in the database: the facts that variants and
filters select cases by (first and last event, throughput time, first and last activity, path).

Throughput time is the time from a case's first event to its last (pm4py's case duration).
"""

from __future__ import annotations

import ibis

from attain.process.log import EventLog
from attain.process.transitions import event_steps, seconds_between


def case_summary(log: EventLog) -> ibis.Table:
    """case_id, first_at, last_at, throughput_s, events, first_activity, last_activity."""
    e = event_steps(log)
    by_case = e.group_by("case_id").aggregate(
        first_at=e.at.min(),
        last_at=e.at.max(),
        events=e.count(),
        first_activity=e.activity.max(where=e.is_start),
        last_activity=e.activity.max(where=e.is_end),
    )
    return by_case.mutate(throughput_s=seconds_between(by_case.first_at, by_case.last_at))


def case_paths(log: EventLog) -> ibis.Table:
    """case_id and `path`: the case's activities in order, as an array built in the database."""
    e = log.events
    return e.group_by("case_id").aggregate(path=e.activity.collect(order_by=[e.at, e.position]))
