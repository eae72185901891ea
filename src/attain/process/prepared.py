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
    ProcessMap,
    activity_table,
    assemble_map,
    slowest_cases,
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
    assembled as `process_map` assembles its own rows."""
    pairs = _of_part(prepared, part, prepared.pairs)
    with prepared.lock:  # building the table looks for `start` events on the log's connection
        activities = activity_table(part)
    return assemble_map(
        part,
        _rows(prepared, transition_table(pairs)),
        _rows(prepared, activities),
        _count_cases(prepared, part),
        "elapsed",
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
    return _rows(prepared, slowest_cases(pairs, part.cases, source, target, limit=limit))
