"""A log prepared for many maps: its directly-follows pairs computed once and kept as a table,
so the map of any part of it (a manager's cases, a quarter, a variant) is a semi-join and a
group-by instead of a window over every event again.

`map_of(prepared, part)` is `process_map(part)` for any `part` cut from the prepared log by
cases (`visible`, `filtered`, `for_cases`): the same figures, by the same definitions
(`attain.process.discovery`), from the kept tables.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import duckdb
import ibis

from attain.process.discovery import (
    ActivityStats,
    ProcessMap,
    TransitionStats,
    activity_table,
    transition_table,
)
from attain.process.log import EventLog, from_arrow
from attain.process.transitions import transitions


@dataclass(frozen=True)
class PreparedLog:
    """The log in a DuckDB of its own, with its directly-follows pairs kept beside it.

    Many requests read one prepared log at once: `map_of` and `cases_of_transition` run
    their queries on a cursor of their own (a DuckDB connection serves one query at a time;
    its cursors share its tables); anything else that queries the log holds `lock`.
    """

    log: EventLog
    pairs: ibis.Table
    built_s: float
    raw: duckdb.DuckDBPyConnection
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)


def prepare(source: EventLog) -> PreparedLog:
    """Copy `source` (from any backend) into an in-memory DuckDB and keep its pairs."""
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
    pairs = con.create_table(f"process_pairs_{tag}", transitions(log))
    return PreparedLog(log, pairs, time.perf_counter() - began, con.con)


def _rows(prepared: PreparedLog, table: ibis.Table) -> list[dict[str, Any]]:
    """The rows of `table`, queried on a cursor of this call's own."""
    cursor = prepared.raw.cursor()
    try:
        found = cursor.sql(ibis.to_sql(table, dialect="duckdb")).to_arrow_table()
    finally:
        cursor.close()
    return found.to_pylist()  # type: ignore[no-any-return]


def _of_part(prepared: PreparedLog, part: EventLog, table: ibis.Table) -> ibis.Table:
    if part.cases is prepared.log.cases:
        return table  # the whole log: nothing to cut
    return table.semi_join(part.cases.select("case_id"), "case_id")


def map_of(prepared: PreparedLog, part: EventLog) -> ProcessMap:
    """The process map of `part` (a part of the prepared log, by cases) from the kept pairs,
    by `process_map`'s definitions: an activity's starts are its events less its incoming
    transitions, its ends its events less its outgoing ones."""
    pairs = _of_part(prepared, part, prepared.pairs)
    edges = sorted(
        _rows(prepared, transition_table(pairs)),
        key=lambda r: (-r["events"], r["source"], r["target"]),
    )
    outgoing: dict[str, int] = {}
    incoming: dict[str, int] = {}
    for r in edges:
        outgoing[r["source"]] = outgoing.get(r["source"], 0) + int(r["events"])
        incoming[r["target"]] = incoming.get(r["target"], 0) + int(r["events"])
    activities = [
        ActivityStats(
            name=r["name"],
            events=int(r["events"]),
            cases=int(r["cases"]),
            starts=int(r["events"]) - incoming.get(r["name"], 0),
            ends=int(r["events"]) - outgoing.get(r["name"], 0),
            service_median_s=r["service_median_s"],
            service_mean_s=r["service_mean_s"],
        )
        for r in sorted(
            _rows(prepared, activity_table(part)), key=lambda r: (-r["events"], r["name"])
        )
    ]
    return ProcessMap(
        log=part.name,
        case_label=part.case_label,
        cases=_count_cases(prepared, part),
        events=sum(a.events for a in activities),
        activities=tuple(activities),
        transitions=tuple(
            TransitionStats(**{**r, "events": int(r["events"]), "cases": int(r["cases"])})
            for r in edges
        ),
        starts={a.name: a.starts for a in activities if a.starts},
        ends={a.name: a.ends for a in activities if a.ends},
        waiting="elapsed",
    )


def _count_cases(prepared: PreparedLog, part: EventLog) -> int:
    counted = part.events.aggregate(cases=part.events.case_id.nunique())
    return int(_rows(prepared, counted)[0]["cases"] or 0)


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
    return _rows(prepared, out.limit(limit))
