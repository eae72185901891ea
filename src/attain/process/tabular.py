"""Reading an event log from a CSV or Parquet file, by a mapping of its columns.

DuckDB reads the file (CSV as text, so no value is guessed into a type behind the mapping's
back), and every check and conversion is one query over all rows: required values present,
timestamps parsed (ISO 8601 by default, offsets converted to UTC; or the mapping's format),
amounts exact decimals. The first bad value is reported as `file:row:column: reason`, rows
counted as a spreadsheet shows them (the header is row 1).

    log = read_tabular("tickets.csv", LogMapping(case="Ticket", activity="Status",
                                                 timestamp="Changed at"))
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from attain.process.file_log import CASE_COLUMNS, FileLog
from attain.process.log_mapping import LogMapping


class TabularError(ValueError):
    """A CSV or Parquet log that cannot be read by its mapping: names file, row and column."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def _read(con: duckdb.DuckDBPyConnection, path: Path) -> pa.Table:
    try:
        if _is_parquet(path):
            return con.read_parquet(str(path)).to_arrow_table()
        return con.read_csv(str(path), header=True, all_varchar=True).to_arrow_table()
    except duckdb.Error as exc:
        kind = "Parquet" if _is_parquet(path) else "CSV"
        first = str(exc).strip().splitlines()[0]
        raise TabularError(f"{path.name}: cannot be read as {kind}: {first}") from None


def read_tabular(path: Path | str, mapping: LogMapping) -> FileLog:
    """The events and cases of a CSV or Parquet file, by `mapping`."""
    path = Path(path)
    if not path.is_file():
        raise TabularError(f"{path.name}: no such file")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    raw = _read(con, path)
    first_row = 1 if _is_parquet(path) else 2
    wanted = {**mapping.columns(), **{f"attribute {k}": v for k, v in mapping.attributes.items()}}
    missing = sorted({c for c in wanted.values() if c not in raw.column_names})
    if missing:
        shown = ", ".join(raw.column_names)
        raise TabularError(f"{path.name}: no column {', '.join(missing)} (it has: {shown})")
    raw = raw.append_column("__position", pa.array(np.arange(raw.num_rows, dtype=np.int64)))
    con.register("source", raw)
    parsed = _Parsed(con, path.name, raw.schema, mapping, first_row)
    return FileLog(parsed.events(), parsed.cases())


class _Parsed:
    """The file's rows with the mapped columns typed, checked for the first bad value."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        file: str,
        schema: pa.Schema,
        mapping: LogMapping,
        first_row: int,
    ) -> None:
        self.con, self.file, self.mapping, self.first_row = con, file, mapping, first_row
        m = mapping
        text = {k: f"nullif(trim(CAST({_q(c)} AS VARCHAR)), '')" for k, c in m.columns().items()}
        for required in ("case", "activity", "timestamp"):
            self._refuse(f"{text[required]} IS NULL", getattr(m, required), "is empty")
        at = self._timestamp(schema.field(m.timestamp).type, text["timestamp"])
        self._refuse(f"{at} IS NULL", m.timestamp, _time_reason(m.timestamp_format), shown=True)
        amount = "NULL::DECIMAL(24, 6)"
        if m.amount is not None:
            amount = f"TRY_CAST({text['amount']} AS DECIMAL(24, 6))"
            self._refuse(
                f"{text['amount']} IS NOT NULL AND {amount} IS NULL",
                m.amount,
                "is not a number",
                shown=True,
            )
        lifecycle = f"lower({text['lifecycle']})" if m.lifecycle else "NULL::VARCHAR"
        resource = text.get("resource", "NULL::VARCHAR")
        attributes = ", ".join(
            f"CAST({_q(c)} AS VARCHAR) AS {_q('a:' + k)}" for k, c in m.attributes.items()
        )
        con.execute(
            f"""CREATE TEMP TABLE parsed AS SELECT
                {text["case"]} AS case_id, {text["activity"]} AS activity, {at} AS "at",
                __position AS "position", {resource} AS resource, {lifecycle} AS lifecycle,
                {amount} AS amount {", " + attributes if attributes else ""}
            FROM source"""
        )

    def _timestamp(self, kind: pa.DataType, text: str) -> str:
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            return f"CAST({_q(self.mapping.timestamp)} AS TIMESTAMP)"
        fmt = self.mapping.timestamp_format
        if fmt:
            return f"CAST(TRY_STRPTIME({text}, '{fmt.replace(chr(39), chr(39) * 2)}') AS TIMESTAMP)"
        return f"CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP)"

    def _refuse(self, bad: str, column: str, reason: str, *, shown: bool = False) -> None:
        """Raise for the first row where `bad` holds, naming its row and column."""
        try:
            found = self.con.execute(
                f"SELECT __position, CAST({_q(column)} AS VARCHAR) FROM source "
                f"WHERE {bad} ORDER BY __position LIMIT 1"
            ).fetchone()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise TabularError(f"{self.file}: column {column}: {first}") from None
        if found is not None:
            value = f" ({found[1]!r})" if shown else ""
            row = int(found[0]) + self.first_row
            raise TabularError(f"{self.file}:{row}:{column}: {reason}{value}")

    def events(self) -> pa.Table:
        return self.con.sql(
            'SELECT case_id, activity, "at", "position", resource, lifecycle, '
            'NULL::VARCHAR AS resource_team FROM parsed ORDER BY "position"'
        ).to_arrow_table()

    def cases(self) -> pa.Table:
        """One row per case in order of first appearance: its first amount and attribute values."""
        firsts = ['arg_min(amount, "position") FILTER (WHERE amount IS NOT NULL) AS amount']
        names = list(self.mapping.attributes)
        firsts += [
            f'arg_min({_q("a:" + k)}, "position") FILTER (WHERE {_q("a:" + k)} IS NOT NULL) '
            f"AS {_q('a:' + k)}"
            for k in names
        ]
        grouped = self.con.sql(
            f"SELECT case_id, {', '.join(firsts)} FROM parsed "
            'GROUP BY case_id ORDER BY min("position")'
        ).to_arrow_table()
        n = grouped.num_rows
        columns: dict[str, pa.Array | pa.ChunkedArray] = {
            "case_id": grouped.column("case_id"),
            "amount": grouped.column("amount").cast(pa.decimal128(24, 6)),
        }
        for c in CASE_COLUMNS:
            given = f"a:{c}"
            columns[c] = (
                grouped.column(given) if given in grouped.column_names else pa.nulls(n, pa.string())
            )
        for k in names:
            if k not in columns:
                columns[k] = grouped.column(f"a:{k}")
        return pa.table(columns)


def _time_reason(fmt: str | None) -> str:
    if fmt:
        return f"is not a date-time written {fmt}"
    return "is not a date-time (like 2024-03-01 09:30:00, or give timestamp_format)"
