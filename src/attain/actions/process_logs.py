"""Process log actions: an event log file imported into the store under a name.

The whole log is written in one transaction with its audit entry (which names the file, the
name, the rows and who did it): importing the same name again replaces the log at once, two
imports of one name at the same moment run one after the other (the later replacing the
earlier), and a file that cannot be read writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, delete, insert

from attain.actions.core import audit, lock_key, require, transaction, user_action
from attain.audit.actor import Actor
from attain.data.bulk import bulk_insert
from attain.process.files import log_name, read_log_file
from attain.process.imported import BUILT_IN_NAMES, attribute_names, case_rows, event_rows
from attain.process.log_mapping import LogMapping
from attain.process.schema import ProcessCase, ProcessEvent, ProcessLog

CAPABILITY = "imports"
NAME_LENGTH = 64


class LogNameError(ValueError):
    """A log name that cannot be used (empty, too long, or a built-in log's)."""


@dataclass(frozen=True)
class LogImported:
    """What an import wrote."""

    name: str
    source: str
    events: int
    cases: int
    replaced: bool


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise LogNameError(f"a log name is 1 to {NAME_LENGTH} characters, not {name!r}")
    if name in BUILT_IN_NAMES:
        raise LogNameError(f"{name!r} is a built-in log; import under another name")
    return name


def _sqlite_times(rows: pa.Table) -> pa.Table:
    """`at` as the text SQLAlchemy keeps on SQLite, to the microsecond."""
    i = rows.column_names.index("at")
    text = pc.strftime(rows.column("at"), format="%Y-%m-%d %H:%M:%S")
    return rows.set_column(i, "at", text)


@user_action("process.import", capability=CAPABILITY)
def import_log(
    engine: Engine,
    actor: Actor,
    path: Path | str,
    *,
    name: str | None = None,
    mapping: LogMapping | None = None,
    amount: str | None = None,
    keep: Sequence[str] = (),
    currency: str | None = None,
    case_label: str = "case",
) -> LogImported:
    """Import an XES, CSV or Parquet log as `name` (default: the file's name), replacing a log
    of that name in the same transaction."""
    require(actor, CAPABILITY)
    path = Path(path)
    name = _checked_name(name or log_name(path))
    found = read_log_file(path, mapping, amount=amount, keep=keep)
    if currency is None and mapping is not None:
        currency = mapping.currency
    events, cases = event_rows(name, found), case_rows(name, found, currency)
    row = {
        "name": name,
        "source": path.name,
        "case_label": case_label,
        "currency": currency,
        "imported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        "imported_by": actor.name,
        "events": events.num_rows,
        "cases": cases.num_rows,
        "attributes": json.dumps(attribute_names(found.cases)),
    }
    with transaction(engine) as conn:
        lock_key(conn, f"process_log:{name}")  # a second import of the name waits, then replaces
        gone = conn.execute(delete(ProcessLog).where(ProcessLog.name == name)).rowcount
        conn.execute(delete(ProcessEvent).where(ProcessEvent.log == name))
        conn.execute(delete(ProcessCase).where(ProcessCase.log == name))
        conn.execute(insert(ProcessLog).values(**row))
        if conn.dialect.name == "sqlite":
            events = _sqlite_times(events)
        bulk_insert(conn, "process_events", events)
        bulk_insert(conn, "process_cases", cases)
        audit(
            conn,
            actor,
            "process.import",
            "process_log",
            name,
            after={
                "file": path.name,
                "events": row["events"],
                "cases": row["cases"],
                "replaced": bool(gone),
                "mapping": _mapping(mapping, amount, keep),
            },
        )
    return LogImported(name, path.name, events.num_rows, cases.num_rows, bool(gone))


def _mapping(mapping: LogMapping | None, amount: str | None, keep: Sequence[str]) -> object:
    if mapping is None:
        return {"amount": amount, "keep": list(keep)}
    return {**mapping.columns(), "attributes": dict(mapping.attributes)}
