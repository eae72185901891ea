"""A log prepared for many maps: its events' steps and its directly-follows pairs computed once
and kept as tables, so the map of any part of it (a manager's cases, a quarter, a variant) is a
semi-join and a group-by instead of a window over every event again.

`map_of(prepared, part)` is `process_map(part)` for any `part` cut from the prepared log by
cases (`visible`, `filtered`, `for_cases`): the same figures, by the same definitions
(`attain.process.discovery`), from the kept tables.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import ibis

from attain.process.discovery import (
    ActivityStats,
    ProcessMap,
    TransitionStats,
    service_times,
    transition_table,
)
from attain.process.log import EventLog, from_arrow
from attain.process.transitions import event_steps, transitions


@dataclass(frozen=True)
class PreparedLog:
    """The log in a DuckDB of its own, with its steps and pairs kept beside it."""

    log: EventLog
    steps: ibis.Table
    pairs: ibis.Table
    built_s: float


def prepare(source: EventLog) -> PreparedLog:
    """Copy `source` (from any backend) into an in-memory DuckDB and keep its steps and pairs."""
    began = time.perf_counter()
    con = ibis.duckdb.connect()
    log = from_arrow(
        source.name,
        source.events.to_pyarrow(),
        source.cases.to_pyarrow(),
        case_label=source.case_label,
        currency=source.currency,
        con=con,
    )
    tag = uuid.uuid4().hex[:10]
    steps = con.create_table(f"process_steps_{tag}", event_steps(log))
    pairs = con.create_table(f"process_pairs_{tag}", transitions(log))
    return PreparedLog(log, steps, pairs, time.perf_counter() - began)


def _rows(table: ibis.Table) -> list[dict[str, Any]]:
    return table.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def _of_part(prepared: PreparedLog, part: EventLog, table: ibis.Table) -> ibis.Table:
    if part.cases is prepared.log.cases:
        return table  # the whole log: nothing to cut
    return table.semi_join(part.cases.select("case_id"), "case_id")


def map_of(prepared: PreparedLog, part: EventLog) -> ProcessMap:
    """The process map of `part` (a part of the prepared log, by cases) from the kept tables."""
    steps = _of_part(prepared, part, prepared.steps)
    pairs = _of_part(prepared, part, prepared.pairs)
    counts = steps.group_by("activity").aggregate(
        events=steps.count(),
        cases=steps.case_id.nunique(),
        starts=steps.is_start.cast("int64").sum(),
        ends=steps.is_end.cast("int64").sum(),
    )
    service = service_times(part)
    service = service.group_by("activity").aggregate(
        service_median_s=service.service_s.median(), service_mean_s=service.service_s.mean()
    )
    joined = counts.left_join(service, "activity")
    activities = sorted(
        _rows(
            joined.select(
                name=joined.activity,
                events=joined.events,
                cases=joined.cases,
                starts=joined.starts,
                ends=joined.ends,
                service_median_s=joined.service_median_s,
                service_mean_s=joined.service_mean_s,
            )
        ),
        key=lambda r: (-r["events"], r["name"]),
    )
    edges = sorted(
        _rows(transition_table(pairs)), key=lambda r: (-r["events"], r["source"], r["target"])
    )
    cases = int(steps.case_id.nunique().to_pyarrow().as_py() or 0)
    return ProcessMap(
        log=part.name,
        case_label=part.case_label,
        cases=cases,
        events=sum(int(r["events"]) for r in activities),
        activities=tuple(
            ActivityStats(**{**r, "events": int(r["events"]), "cases": int(r["cases"])})
            for r in activities
        ),
        transitions=tuple(
            TransitionStats(**{**r, "events": int(r["events"]), "cases": int(r["cases"])})
            for r in edges
        ),
        starts={r["name"]: int(r["starts"]) for r in activities if r["starts"]},
        ends={r["name"]: int(r["ends"]) for r in activities if r["ends"]},
        waiting="elapsed",
    )


def cases_of_transition(
    prepared: PreparedLog, part: EventLog, source: str, target: str, *, limit: int = 200
) -> list[dict[str, Any]]:
    """`discovery.cases_of_transition(part, ...)` from the kept pairs: the cases in which
    `target` directly followed `source`, each at its longest wait there, slowest first."""
    pairs = _of_part(prepared, part, prepared.pairs)
    pairs = pairs.filter((pairs.source == source) & (pairs.target == target))
    w = ibis.window(group_by="case_id", order_by=[ibis.desc("wait_s"), "source_position"])
    slowest = pairs.mutate(rank=ibis.row_number().over(w)).filter(lambda t: t["rank"] == 0)
    joined = slowest.left_join(part.cases.select("case_id", "amount", "owner"), "case_id")
    out = joined.select(
        case_id=joined.case_id,
        wait_s=joined.wait_s,
        source_at=joined.source_at,
        target_at=joined.target_at,
        amount=joined.amount,
        owner=joined.owner,
    ).order_by(ibis.desc("wait_s"), "case_id")
    return _rows(out.limit(limit))
