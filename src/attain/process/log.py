"""The event log: one table of events (what happened to which case, when, by whom) and one of
cases (what each case is worth, whose it is), as Ibis tables on whichever backend holds them.

Every producer (the store's deals, leads and tickets, an XES file, a CSV with a mapping) emits
the same columns, so the map, variants, rework and conformance are written once. Ordering within
a case is always by `(at, position)`: the timestamp, then the event's order in its source.

>>> import pyarrow as pa, datetime as dt
>>> log = from_arrow("demo", pa.table({"case_id": ["c1"], "activity": ["Open"],
...                                    "at": [dt.datetime(2026, 1, 5, 9)]}))
>>> log.events.count().execute()
1
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    from attain.access.scope import Scope
    from attain.process.filters import Filter

AMOUNT = dt.Decimal(24, 6)
EVENT_COLUMNS: dict[str, dt.DataType] = {
    "case_id": dt.String(nullable=False),
    "activity": dt.String(nullable=False),
    "at": dt.Timestamp(scale=6),
    "position": dt.Int64(nullable=False),
    "resource": dt.string,
    "lifecycle": dt.string,
    "resource_team": dt.string,
}
"""The canonical event columns, in order; a log may carry more after them."""
CASE_COLUMNS: dict[str, dt.DataType] = {
    "case_id": dt.string,
    "amount": AMOUNT,
    "owner": dt.string,
    "team": dt.string,
    "territory": dt.string,
    "calendar": dt.string,
    "outcome": dt.string,
}
"""The canonical case columns, in order; other case attributes follow them as strings."""


@dataclass(frozen=True)
class EventLog:
    """A process's events and cases, named as the surfaces speak of it ("deals", "bpic2012")."""

    name: str
    case_label: str
    events: ibis.Table
    cases: ibis.Table
    currency: str | None

    def filtered(self, f: Filter) -> EventLog:
        """The cases the filter selects (see `attain.process.filters`)."""
        from attain.process.filters import apply_filter

        kept: EventLog = apply_filter(self, f)
        return kept

    def for_cases(self, case_ids: ibis.Table | list[str]) -> EventLog:
        """The same log kept to some cases: a table with a `case_id` column, or a list of ids."""
        if isinstance(case_ids, list):
            if not case_ids:
                return self._kept(ibis.literal(False), ibis.literal(False))
            return self._kept(self.events.case_id.isin(case_ids), self.cases.case_id.isin(case_ids))
        ids = case_ids.select("case_id").distinct()
        return replace(
            self,
            events=self.events.semi_join(ids, "case_id"),
            cases=self.cases.semi_join(ids, "case_id"),
        )

    def _kept(self, on_events: Any, on_cases: Any) -> EventLog:
        return replace(
            self, events=self.events.filter(on_events), cases=self.cases.filter(on_cases)
        )


def visible(log: EventLog, scope: Scope) -> EventLog:
    """The part of the log a viewer may see: everyone-scope sees all; anyone else only the cases
    owned by a payee in their scope (so an imported log without owners shows them nothing)."""
    if scope.everyone:
        return log
    payees = sorted(scope.payees or ())
    if not payees:
        return log._kept(ibis.literal(False), ibis.literal(False))
    mine = log.cases.filter(log.cases.owner.isin(payees)).select("case_id")
    return log.for_cases(mine)


class EventLogError(ValueError):
    """Events that cannot make a log: the message names the row and the column."""


def _require_columns(raw: ibis.Table) -> None:
    missing = [c for c in ("case_id", "activity", "at", "position") if c not in raw.columns]
    if missing:
        raise EventLogError(
            f"an event log needs case_id, activity, at, position; missing {', '.join(missing)}"
        )


def canonical_events(raw: ibis.Table) -> ibis.Table:
    """`raw` with the canonical event columns first (typed, lifecycle lower-cased; optional ones
    null when absent), then its other columns."""
    _require_columns(raw)
    cols: dict[str, Any] = {}
    for name, typ in EVENT_COLUMNS.items():
        present = name in raw.columns
        value = raw[name].cast(typ.copy(nullable=True)) if present else ibis.null(typ)
        if name == "lifecycle":
            value = value.lower()
        cols[name] = value
    extras = [c for c in raw.columns if c not in cols]
    return raw.select(**cols, **{c: raw[c] for c in extras})


def first_bad_event(raw: ibis.Table, *, rows_numbered: bool) -> str | None:
    """Why the first unusable event of `raw` is unusable (an empty case_id, activity or at, or
    an `at` text that is no timestamp), or None; rows are counted from 1 when `position` is the
    row order (`rows_numbered`), else named by their position."""
    at_text = raw.at.type().is_string()
    parsed = raw.at.try_cast(dt.timestamp) if at_text else raw.at
    problems = [(raw[c].isnull(), f"{c} is empty") for c in ("case_id", "activity", "at")]
    if at_text:
        problems.append((parsed.isnull(), "not a timestamp"))
    bad = ibis.cases(*problems, else_=ibis.null(dt.string))
    found = raw.mutate(_why=bad).filter(lambda t: t._why.notnull()).order_by("position")
    rows = found.select("position", "at", "_why").limit(1).to_pyarrow().to_pylist()
    if not rows:
        return None
    row = rows[0]
    where = (
        f"events row {row['position'] + 1}"
        if rows_numbered
        else f"event at position {row['position']}"
    )
    if row["_why"] == "not a timestamp":
        return (
            f"{where}: at {row['at']!r} is not a timestamp (ISO 8601, such as 2026-03-02T09:00:00)"
        )
    return f"{where}: {row['_why']}"


def canonical_cases(raw: ibis.Table | None, events: ibis.Table) -> ibis.Table:
    """`raw` with the canonical case columns first (null when absent), then its other attributes
    as strings; without `raw`, one row per case of `events` with null attributes."""
    if raw is None:
        raw = events.select("case_id").distinct()
    cols: dict[str, Any] = {
        name: raw[name].cast(typ) if name in raw.columns else ibis.null(typ)
        for name, typ in CASE_COLUMNS.items()
    }
    extras = {c: raw[c].cast(dt.string) for c in raw.columns if c not in cols}
    return raw.select(**cols, **extras)


def _utc_naive(table: pa.Table, column: str) -> pa.Table:
    """A timestamp column as naive UTC microseconds. Arrow keeps zoned values in UTC, so dropping
    the zone keeps the instant; ISO text is parsed here, its offsets applied (text all with or
    all without offsets; other text is left for the database to parse, or to refuse by row)."""
    if column not in table.column_names:
        return table
    i = table.column_names.index(column)
    values = table.column(i)
    typ = values.type
    if pa.types.is_timestamp(typ) and (typ.tz is not None or typ.unit != "us"):
        return table.set_column(i, column, values.cast(pa.timestamp("us"), safe=False))
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        for parsed_as in (pa.timestamp("us", tz="UTC"), pa.timestamp("us")):
            try:
                parsed = values.cast(parsed_as, safe=False)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            return table.set_column(i, column, parsed.cast(pa.timestamp("us")))
    return table


def _with_position(table: pa.Table) -> pa.Table:
    """The table with a `position` column: the row order, when it has none."""
    if "position" in table.column_names:
        return table
    return table.append_column("position", pa.array(np.arange(table.num_rows, dtype=np.int64)))


def _typed_nulls(table: pa.Table) -> pa.Table:
    """Columns with nothing but nulls (Arrow type `null`) as strings: a database needs a type."""
    for i, f in enumerate(table.schema):
        if pa.types.is_null(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.string()))
    return table


def from_arrow(
    name: str,
    events: pa.Table,
    cases: pa.Table | None = None,
    *,
    case_label: str = "case",
    currency: str | None = None,
    con: ibis.BaseBackend | None = None,
) -> EventLog:
    """An event log from Arrow tables, stored in `con` (a new in-memory DuckDB by default).

    `events` needs case_id, activity and at (a timestamp, or ISO text); position, resource,
    lifecycle and resource_team are optional (position defaults to the row order). Cases
    without a table get null attributes. The data is copied into `con` once, already typed.
    """
    backend = con if con is not None else ibis.duckdb.connect()
    tag = uuid.uuid4().hex[:10]
    numbered = "position" not in events.column_names
    raw_events = ibis.memtable(_with_position(_utc_naive(_typed_nulls(events), "at")))
    _require_columns(raw_events)
    why = first_bad_event(raw_events, rows_numbered=numbered)
    if why is not None:
        raise EventLogError(f"log {name}: {why}")
    ev = backend.create_table(f"process_log_events_{tag}", canonical_events(raw_events))
    raw_cases = ibis.memtable(_typed_nulls(cases)) if cases is not None else None
    cs = backend.create_table(f"process_log_cases_{tag}", canonical_cases(raw_cases, ev))
    return EventLog(name=name, case_label=case_label, events=ev, cases=cs, currency=currency)
