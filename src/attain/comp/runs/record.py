"""Keeping a run in the store: the run, its credits and its payout lines, in one transaction.

Nothing here walks the lines or credits in Python: the trace JSON (with the line's credit ids)
is finished in an in-process DuckDB over the result's Arrow tables, and both tables go to the
store through the bulk loader (decimal text on SQLite, COPY into NUMERIC on PostgreSQL).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import Engine, insert

from attain.comp.engine import Result
from attain.comp.engine.trace_json import trace_json
from attain.comp.runs.schema import CompRun
from attain.data.bulk import bulk_insert

__all__ = ["record_run", "stored_lines", "trace_json"]


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def stored_lines(result: Result, run_id: str) -> pa.Table:
    """The lines as `comp_payout_lines` rows: the trace JSON gains `credit_ids` when it has any."""
    con = duckdb.connect()
    try:
        con.register("_lines", result.line_rows)
        return con.sql(
            f"""SELECT {_text(run_id)} AS run_id, plan, payee, period, component, amount,
                CASE WHEN len(credit_ids) > 0
                     THEN left(trace, length(trace) - 1) || ',"credit_ids":'
                          || CAST(to_json(list_sort(list_distinct(credit_ids))) AS VARCHAR)
                          || '}}'
                     ELSE trace END AS trace
                FROM _lines"""
        ).to_arrow_table()
    finally:
        con.close()


def stored_credits(result: Result, run_id: str) -> pa.Table:
    """The credits as `comp_run_credits` rows, in key order (the index is built in order)."""
    con = duckdb.connect()
    try:
        con.register("_credits", result.credit_rows)
        return con.sql(
            f"SELECT {_text(run_id)} AS run_id, * FROM _credits ORDER BY credit_id"
        ).to_arrow_table()
    finally:
        con.close()


def record_run(
    engine: Engine,
    run: dict[str, Any],
    result: Result,
) -> None:
    """Write the run row, its credits and its lines; all of it or (on any error) none of it."""
    credits = stored_credits(result, run["id"])
    lines = stored_lines(result, run["id"])
    with engine.begin() as conn:
        conn.execute(insert(CompRun).values(**run))
        bulk_insert(conn, "comp_run_credits", credits)
        bulk_insert(conn, "comp_payout_lines", lines)
