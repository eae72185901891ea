"""Fetching many rows from PostgreSQL as Arrow: COPY to CSV, parsed by Arrow.

Ibis fetches PostgreSQL results row by row into Python tuples, which costs seconds per million
credits; `COPY (query) TO STDOUT` streams them as CSV that Arrow parses in C, typed by the
schema given (decimals exact, NULL apart from the empty string).
"""

from __future__ import annotations

import io
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv


def to_arrow(con: ibis.BaseBackend, table: ibis.Table, schema: pa.Schema) -> pa.Table:
    """`table`'s rows (columns in `schema`'s order) as Arrow of that schema."""
    table = table.select(*schema.names)
    if con.name != "postgres":
        return table.to_pyarrow().cast(schema)
    sql = str(con.compile(table))
    buf = io.BytesIO()
    raw: Any = con.con
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            buf.write(chunk)
    buf.seek(0)
    if not buf.getbuffer().nbytes:
        return schema.empty_table()
    return pacsv.read_csv(
        buf,
        read_options=pacsv.ReadOptions(column_names=schema.names),
        convert_options=pacsv.ConvertOptions(
            column_types=schema,
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            null_values=[""],
        ),
    )
