"""Fetching many rows from PostgreSQL as Arrow: COPY to CSV, parsed by Arrow.

Ibis fetches PostgreSQL results row by row into Python tuples, which costs seconds per million
credits; `COPY (query) TO STDOUT` streams them as CSV that Arrow parses in C, typed by the
schema (decimals exact, NULL apart from the empty string). Arrays (the credit ids behind a line)
travel as JSON text and are parsed back by DuckDB.
"""

from __future__ import annotations

import io
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv

from attain.comp.engine.scratch import scratch


def to_arrow(con: ibis.BaseBackend, table: ibis.Table, schema: pa.Schema | None = None) -> pa.Table:
    """`table`'s rows as Arrow: of `schema` (its columns, in its order) or of the table's own."""
    if schema is not None:
        table = table.select(*schema.names)
    if con.name != "postgres":
        out = table.to_pyarrow()
        return out.cast(schema) if schema is not None else out
    con._run_pre_execute_hooks(table)  # creates its memtables
    return run_sql(con, con.compile(table), schema or table.schema().to_pyarrow())


def run_sql(con: ibis.BaseBackend, sql: str, target: pa.Schema) -> pa.Table:
    """The rows of compiled `sql` (its tables already in the backend) as Arrow, of `target`."""
    raw: Any = con.con
    if con.name != "postgres":
        return raw.sql(sql).to_arrow_table().cast(target)
    lists = [f.name for f in target if pa.types.is_list(f.type)]
    columns = ", ".join(
        f'array_to_json(t."{n}")::text AS "{n}"' if n in lists else f't."{n}"' for n in target.names
    )
    sql = f"SELECT {columns} FROM ({sql}) AS t"
    buf = io.BytesIO()
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            buf.write(chunk)
    if not buf.getbuffer().nbytes:
        return target.empty_table()
    buf.seek(0)
    as_text = pa.schema([pa.field(f.name, pa.string()) if f.name in lists else f for f in target])
    out = pacsv.read_csv(
        buf,
        read_options=pacsv.ReadOptions(column_names=target.names),
        convert_options=pacsv.ConvertOptions(
            column_types=as_text,
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            null_values=[""],
            true_values=["t"],
            false_values=["f"],
        ),
    )
    return _parsed_lists(out, lists).cast(target) if lists else out


def _parsed_lists(table: pa.Table, lists: list[str]) -> pa.Table:
    """JSON arrays of strings (as text) back into list columns."""
    local = scratch()
    try:
        local.register("_t", table)
        parsed = ", ".join(
            f'''from_json("{n}", '["VARCHAR"]') AS "{n}"''' if n in lists else f'"{n}"'
            for n in table.column_names
        )
        return local.sql(f"SELECT {parsed} FROM _t").to_arrow_table()
    finally:
        local.close()
