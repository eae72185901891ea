"""Event logs kept in the store: the rows an import writes, and each log opened by name.

An imported log is three tables (`process_logs`, `process_events`, `process_cases`, see
`attain.process.schema`); the import itself is the action `process.import`
(`attain.actions.process_logs`). Opened, a log is an `EventLog` like the built-in ones: a SQLite
store is copied into an in-memory DuckDB, a PostgreSQL store is queried in place.

    imported_log(get_engine(url), "bpic2012").events.count().execute()  # 262200
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import ibis
import ibis.expr.datatypes as idt
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, select

from attain.process.builtin_logs import BUILT_IN
from attain.process.file_log import FileLog
from attain.process.log import CASE_COLUMNS, EventLog, canonical_cases, canonical_events
from attain.process.schema import ProcessLog

TABLES = ("process_events", "process_cases")
BUILT_IN_NAMES = tuple(BUILT_IN)
"""The store's own logs: no imported log may take their names."""


@dataclass(frozen=True)
class ImportedLog:
    """What the store says of an imported log (a row of `process_logs`)."""

    name: str
    source: str
    case_label: str
    currency: str | None
    imported_at: dt.datetime
    imported_by: str
    events: int
    cases: int
    attributes: tuple[str, ...]


def imported_logs(engine: Engine) -> list[ImportedLog]:
    """Every imported log, by name."""
    with engine.connect() as conn:
        rows = conn.execute(select(ProcessLog).order_by(ProcessLog.name)).all()
    return [
        ImportedLog(
            name=r.name,
            source=r.source,
            case_label=r.case_label,
            currency=r.currency,
            imported_at=r.imported_at,
            imported_by=r.imported_by,
            events=r.events,
            cases=r.cases,
            attributes=tuple(json.loads(r.attributes)),
        )
        for r in rows
    ]


def imported_log_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(ProcessLog.name).order_by(ProcessLog.name)).scalars())


def _info(engine: Engine, name: str) -> ImportedLog | None:
    return next((log for log in imported_logs(engine) if log.name == name), None)


def attribute_names(cases: pa.Table) -> list[str]:
    """The case columns kept as attributes: every column but the case id and the amount."""
    return [c for c in cases.column_names if c not in ("case_id", "amount")]


def event_rows(name: str, found: FileLog) -> pa.Table:
    """`process_events` rows for a file's events."""
    e = found.events
    return pa.table(
        {
            "log": pa.array([name] * e.num_rows, pa.string()),
            "position": e.column("position"),
            "case_id": e.column("case_id"),
            "activity": e.column("activity"),
            "at": e.column("at"),
            "resource": e.column("resource"),
            "lifecycle": e.column("lifecycle"),
        }
    )


def case_rows(name: str, found: FileLog, currency: str | None) -> pa.Table:
    """`process_cases` rows for a file's cases: attributes as one JSON object per case, built
    in DuckDB over the whole table at once."""
    cases = found.cases
    names = attribute_names(cases)
    con = duckdb.connect()
    con.register("cases", cases.select(["case_id", *names]))
    if names:
        pairs = ", ".join(f"'{_sql_text(n)}', {_q(n)}" for n in names)
        attributes = f"CAST(json_object({pairs}) AS VARCHAR)"
    else:
        attributes = "'{}'"
    text = con.sql(f"SELECT {attributes} AS attributes FROM cases").to_arrow_table()
    has_amount = pc.is_valid(cases.column("amount"))
    return pa.table(
        {
            "log": pa.array([name] * cases.num_rows, pa.string()),
            "case_id": cases.column("case_id"),
            "amount": cases.column("amount"),
            "currency": pc.if_else(has_amount, pa.scalar(currency, pa.string()), None),
            "attributes": text.column("attributes"),
        }
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def store_backend(engine: Engine) -> ibis.BaseBackend:
    """An Ibis backend over the imported logs: a copy in DuckDB for SQLite, PostgreSQL itself."""
    from attain.process.store_logs import store_backend as backend

    return backend(engine, TABLES)


def imported_log(engine: Engine, name: str) -> EventLog | None:
    """The imported log called `name` as an EventLog, or None when there is none."""
    info = _info(engine, name)
    if info is None:
        return None
    con = store_backend(engine)
    events = con.table("process_events")
    events = events.filter(events.log == name).drop("log")
    cases = con.table("process_cases")
    cases = cases.filter(cases.log == name)
    as_json = cases.attributes.cast(idt.JSON())
    attributes = {a: as_json[a].unwrap_as(idt.string) for a in info.attributes}
    known = {c: attributes.pop(c) for c in list(attributes) if c in CASE_COLUMNS}
    cases = cases.select("case_id", "amount", **known, **attributes)
    return EventLog(
        name=name,
        case_label=info.case_label,
        events=canonical_events(events),
        cases=canonical_cases(cases, events),
        currency=info.currency,
    )
