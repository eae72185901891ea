"""An event log read from a file and mined in place, without importing it: XES by its name
(`.xes`, `.xes.gz`), CSV or Parquet by a column mapping.

    log = open_log_file("helpdesk.xes.gz")          # an EventLog named "helpdesk"
    process_map(log).cases                          # 4580
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ibis

from attain.process.file_log import FileLog
from attain.process.log import EventLog, from_arrow
from attain.process.log_mapping import LogMapping
from attain.process.tabular import TabularError, load_tabular, read_tabular
from attain.process.xes import read_xes

XES_SUFFIXES = (".xes", ".xes.gz")


def is_xes(path: Path | str) -> bool:
    return str(path).lower().endswith(XES_SUFFIXES)


def log_name(path: Path | str) -> str:
    """A log's default name: the file's name without its suffixes (`bpic2012.xes.gz` -> `bpic2012`)."""
    return Path(path).name.split(".", 1)[0]


def read_log_file(
    path: Path | str,
    mapping: LogMapping | None = None,
    *,
    amount: str | None = None,
    keep: Sequence[str] = (),
) -> FileLog:
    """The events and cases of an XES file, or of a CSV or Parquet file by its `mapping`.

    For XES, `amount` names the trace attribute that is the case's amount and `keep` further
    event attributes to keep; a CSV or Parquet file says both in its mapping."""
    if is_xes(path):
        return read_xes(path, keep=keep, amount=amount or (mapping.amount if mapping else None))
    if mapping is None:
        raise TabularError(
            f"{Path(path).name}: a CSV or Parquet log needs a mapping (case, activity, timestamp)"
        )
    return read_tabular(path, mapping)


def open_log_file(
    path: Path | str,
    mapping: LogMapping | None = None,
    *,
    name: str | None = None,
    amount: str | None = None,
    currency: str | None = None,
    case_label: str = "case",
    con: ibis.BaseBackend | None = None,
) -> EventLog:
    """The file as an `EventLog` in an in-memory DuckDB (or `con`), ready to be mined.

    A CSV or Parquet file going into DuckDB is read by DuckDB straight into the log's tables;
    an XES file (or another backend) goes through Arrow."""
    if currency is None and mapping is not None:
        currency = mapping.currency
    backend = con if con is not None else ibis.duckdb.connect()
    if mapping is not None and not is_xes(path) and backend.name == "duckdb":
        return _tabular_log(backend, Path(path), mapping, name, currency, case_label)
    found = read_log_file(path, mapping, amount=amount)
    has_amounts = found.cases.column("amount").null_count < found.cases.num_rows
    return from_arrow(
        name or log_name(path),
        found.events,
        found.cases,
        case_label=case_label,
        currency=currency if has_amounts else None,
        con=backend,
    )


def _tabular_log(
    backend: ibis.BaseBackend,
    path: Path,
    mapping: LogMapping,
    name: str | None,
    currency: str | None,
    case_label: str,
) -> EventLog:
    tables = load_tabular(backend.con, path, mapping)
    cases = backend.table(tables.cases)
    has_amounts = bool(cases.amount.count().execute())
    return EventLog(
        name=name or log_name(path),
        case_label=case_label,
        events=backend.table(tables.events),
        cases=cases,
        currency=currency if has_amounts else None,
    )
