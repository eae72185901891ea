"""Reading an event log from a CSV or Parquet file, by a mapping of its columns.

DuckDB reads the file straight into the tables of the log (CSV as text, so no value is guessed
into a type behind the mapping's back; Parquet's typed columns kept as they are): one statement
for the events, one for the cases, no copy through Python. A cheap look at the loaded rows then
tells whether any required value is missing or unreadable; only then are the checks run one by
one, to report the first bad value as `file:row:column: reason`, rows counted as a spreadsheet
shows them (the header is row 1). Timestamps are ISO 8601 by default (offsets converted to UTC),
or the mapping's format; amounts are exact decimals.

    log = read_tabular("tickets.csv", LogMapping(case="Ticket", activity="Status",
                                                 timestamp="Changed at"))
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from attain.process.file_log import CASE_COLUMNS, FileLog
from attain.process.log_mapping import LogMapping


class TabularError(ValueError):
    """A CSV or Parquet log that cannot be read by its mapping: names file, row and column."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def _scan(path: Path) -> str:
    """The file's rows with `__position`, their order in the file (Parquet's row numbers; a CSV
    is numbered as it streams in, which keeps its order)."""
    if _is_parquet(path):
        return (
            f"SELECT * EXCLUDE (file_row_number), file_row_number AS __position "
            f"FROM read_parquet({_text(str(path))}, file_row_number = true)"
        )
    return (
        f"SELECT *, row_number() OVER () - 1 AS __position "
        f"FROM read_csv({_text(str(path))}, header = true, all_varchar = true)"
    )


@dataclass(frozen=True)
class LoadedTables:
    """Where `load_tabular` put a file's log: the names of its events and cases tables."""

    events: str
    cases: str


def load_tabular(
    con: duckdb.DuckDBPyConnection, path: Path | str, mapping: LogMapping
) -> LoadedTables:
    """The file's events and cases as two new tables of `con`, in the canonical columns."""
    path = Path(path)
    if not path.is_file():
        raise TabularError(f"{path.name}: no such file")
    con.execute("SET TimeZone = 'UTC'")
    tag = uuid.uuid4().hex[:10]
    source = f"process_file_source_{tag}"
    try:
        con.execute(f"CREATE TEMP VIEW {source} AS {_scan(path)}")
        types = dict(
            con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {source})").fetchall()
        )
    except duckdb.Error as exc:
        con.execute(f"DROP VIEW IF EXISTS {source}")
        kind = "Parquet" if _is_parquet(path) else "CSV"
        first = str(exc).strip().splitlines()[0]
        raise TabularError(f"{path.name}: cannot be read as {kind}: {first}") from None
    tables = LoadedTables(f"process_file_events_{tag}", f"process_file_cases_{tag}")
    try:
        _Parsed(con, path.name, source, types, mapping, 1 if _is_parquet(path) else 2).load(tables)
    except BaseException:
        con.execute(f"DROP TABLE IF EXISTS {tables.events}")
        con.execute(f"DROP TABLE IF EXISTS {tables.cases}")
        raise
    finally:
        con.execute(f"DROP VIEW IF EXISTS {source}")
    return tables


def read_tabular(path: Path | str, mapping: LogMapping) -> FileLog:
    """The events and cases of a CSV or Parquet file, by `mapping`, as Arrow tables."""
    con = duckdb.connect()
    tables = load_tabular(con, path, mapping)
    events = con.sql(f'SELECT * FROM {tables.events} ORDER BY "position"').to_arrow_table()
    return FileLog(events, con.sql(f"SELECT * FROM {tables.cases}").to_arrow_table())


class _Parsed:
    """The file's mapped columns as typed SQL, and the checks that name the first bad value."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        file: str,
        source: str,
        types: dict[str, str],
        mapping: LogMapping,
        first_row: int,
    ) -> None:
        self.con, self.file, self.source, self.mapping = con, file, source, mapping
        self.first_row = first_row
        m = mapping
        wanted = {**m.columns(), **{f"attribute {k}": v for k, v in m.attributes.items()}}
        missing = sorted({c for c in wanted.values() if c not in types})
        if missing:
            shown = ", ".join(c for c in types if c != "__position")
            raise TabularError(f"{file}: no column {', '.join(missing)} (it has: {shown})")
        self.text = {k: _as_text(_q(c), types[c]) for k, c in m.columns().items()}
        self.at = _timestamp(m, types[m.timestamp], self.text["timestamp"])
        self.amount = "NULL::DECIMAL(24, 6)"
        if m.amount is not None:
            self.amount = f"TRY_CAST({self.text['amount']} AS DECIMAL(24, 6))"

    def load(self, tables: LoadedTables) -> None:
        """Create the two tables, then check them (the file again only if something is off)."""
        m, text = self.mapping, self.text
        lifecycle = f"lower({text['lifecycle']})" if m.lifecycle else "NULL::VARCHAR"
        resource = text.get("resource", "NULL::VARCHAR")
        self._run(
            f"""CREATE TABLE {tables.events} AS SELECT
                {text["case"]} AS case_id, {text["activity"]} AS activity, {self.at} AS "at",
                __position AS "position", {resource} AS resource, {lifecycle} AS lifecycle,
                NULL::VARCHAR AS resource_team
            FROM {self.source}"""
        )
        (unusable,) = self.con.execute(
            f'SELECT count(*) FILTER (WHERE case_id IS NULL OR activity IS NULL OR "at" IS NULL) '
            f"FROM {tables.events}"
        ).fetchone() or (0,)
        if unusable:
            self._check_required()
        if m.amount is not None:
            self._check_amounts()
        self._run(f"CREATE TABLE {tables.cases} AS {self._cases(tables.events)}")

    def _check_required(self) -> None:
        """Raise for the first missing or unreadable required value, check by check."""
        m, text = self.mapping, self.text
        for required in ("case", "activity", "timestamp"):
            self._refuse(f"{text[required]} IS NULL", getattr(m, required), "is empty")
        self._refuse(
            f"{self.at} IS NULL", m.timestamp, _time_reason(m.timestamp_format), shown=True
        )

    def _check_amounts(self) -> None:
        """Raise for the first amount that is given but is no number."""
        m, text = self.mapping, self.text
        if m.amount is not None:
            self._refuse(
                f"{text['amount']} IS NOT NULL AND {self.amount} IS NULL",
                m.amount,
                "is not a number",
                shown=True,
            )

    def _cases(self, events: str) -> str:
        """One row per case in order of first appearance: its first amount and attribute values
        (read from the file only when the mapping names an amount or attributes)."""
        m = self.mapping
        if m.amount is None and not m.attributes:
            nulls = ", ".join(f"NULL::VARCHAR AS {_q(c)}" for c in CASE_COLUMNS)
            return (
                f"SELECT case_id, NULL::DECIMAL(24, 6) AS amount, {nulls} FROM {events} "
                'GROUP BY case_id ORDER BY min("position")'
            )
        values = {"amount": self.amount}
        values |= {f"a:{k}": f"CAST({_q(c)} AS VARCHAR)" for k, c in m.attributes.items()}
        firsts = [
            f"arg_min({v}, __position) FILTER (WHERE {v} IS NOT NULL) AS {_q(k)}"
            for k, v in values.items()
        ]
        grouped = (
            f"SELECT {self.text['case']} AS case_id, {', '.join(firsts)} FROM {self.source} "
            f"GROUP BY 1 ORDER BY min(__position)"
        )
        given = set(m.attributes)
        columns = ["case_id", "amount"]
        columns += [_q(f"a:{c}") + f" AS {_q(c)}" if c in given else f"NULL::VARCHAR AS {_q(c)}"
                    for c in CASE_COLUMNS]  # fmt: skip
        columns += [f"{_q('a:' + k)} AS {_q(k)}" for k in m.attributes if k not in CASE_COLUMNS]
        return f"SELECT {', '.join(columns)} FROM ({grouped})"

    def _run(self, sql: str) -> None:
        try:
            self.con.execute(sql)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise TabularError(f"{self.file}: {first}") from None

    def _refuse(self, bad: str, column: str, reason: str, *, shown: bool = False) -> None:
        """Raise for the first row where `bad` holds, naming its row and column."""
        try:
            found = self.con.execute(
                f"SELECT __position, CAST({_q(column)} AS VARCHAR) FROM {self.source} "
                f"WHERE {bad} ORDER BY __position LIMIT 1"
            ).fetchone()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise TabularError(f"{self.file}: column {column}: {first}") from None
        if found is not None:
            value = f" ({found[1]!r})" if shown else ""
            row = int(found[0]) + self.first_row
            raise TabularError(f"{self.file}:{row}:{column}: {reason}{value}")


def _as_text(column: str, kind: str) -> str:
    """A mapped column as trimmed text, empty text as NULL (text columns are not cast)."""
    value = column if kind == "VARCHAR" else f"CAST({column} AS VARCHAR)"
    return f"nullif(trim({value}), '')"


def _timestamp(m: LogMapping, kind: str, text: str) -> str:
    """The mapped timestamp as naive UTC: typed columns cast, text parsed."""
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return f"CAST({_q(m.timestamp)} AS TIMESTAMP)"
    fmt = m.timestamp_format
    if fmt:
        return f"CAST(TRY_STRPTIME({text}, {_text(fmt)}) AS TIMESTAMP)"
    return f"CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP)"


def _time_reason(fmt: str | None) -> str:
    if fmt:
        return f"is not a date-time written {fmt}"
    return "is not a date-time (like 2024-03-01 09:30:00, or give timestamp_format)"
