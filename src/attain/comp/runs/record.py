"""Keeping a run in the store: the run, its credits and its payout lines, in one transaction.

Nothing here walks the lines or credits in Python: the trace JSON (with the line's credit ids)
is finished in an in-process DuckDB over the result's Arrow tables, and both tables go to the
store through the bulk loader (decimal text on SQLite, COPY into NUMERIC on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine, func, insert, select

from attain.comp.engine import Result
from attain.comp.engine.scratch import scratch
from attain.comp.engine.trace_json import trace_json
from attain.comp.runs.schema import CompRun, RunCredit
from attain.data.bulk import CHUNK_ROWS, bulk_insert
from attain.data.schema import Base

__all__ = ["record_run", "stored_credits", "stored_lines", "trace_json"]


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def stored_lines(result: Result, run_id: str) -> pa.Table:
    """The lines as `comp_payout_lines` rows: the trace JSON gains `credit_ids` when it has any."""
    con = scratch()
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


def stored_credits(result: Result, run_id: str) -> Iterator[pa.Table]:
    """The credits as `comp_run_credits` rows, in key order (so the key index grows at its end),
    a chunk at a time: only the order is computed up front, never a sorted copy of them all.

    Arrow sorts the ids in place (positions only, 80 MB for 10 million credits) where a DuckDB
    sort would copy every id first: a few seconds slower on the biggest runs, hundreds of MB
    less at the run's peak."""
    credits = result.credit_rows
    order = pc.sort_indices(credits.column("credit_id"))
    for start in range(0, credits.num_rows, CHUNK_ROWS):
        chunk = credits.take(order.slice(start, CHUNK_ROWS))
        run = pa.array([run_id] * chunk.num_rows, pa.string())
        yield chunk.add_column(0, "run_id", run)


REBUILD_FROM = 200_000
"""Credits from which a SQLite store rebuilds the payee index rather than growing it row by row."""


@contextmanager
def _payee_index_deferred(conn: Connection, new_rows: int) -> Iterator[None]:
    """On SQLite, a big run's credits go in with the payee index dropped, rebuilt after.

    Credits are written in key order, so the primary key grows at its end; the payee index would
    take each row at a random place, which costs SQLite several times the insert itself. Sorting
    the index anew (CREATE INDEX) is much cheaper, as long as the run is at least as big as what
    the store already holds (so the rebuild costs at most twice the run). All of it inside the
    caller's transaction: on error the index is back as it was.
    """
    if conn.dialect.name != "sqlite" or new_rows < REBUILD_FROM:
        yield
        return
    stored = conn.execute(select(func.count()).select_from(RunCredit)).scalar_one()
    if stored > new_rows:
        yield
        return
    table = Base.metadata.tables[RunCredit.__tablename__]
    (index,) = [i for i in table.indexes if i.name == "ix_comp_run_credits_payee"]
    index.drop(conn)
    yield
    index.create(conn)


def record_run(
    engine: Engine,
    run: dict[str, Any],
    result: Result,
) -> None:
    """Write the run row, its credits and its lines; all of it or (on any error) none of it."""
    lines = stored_lines(result, run["id"])
    with engine.begin() as conn:
        conn.execute(insert(CompRun).values(**run))
        with _payee_index_deferred(conn, result.credit_count):
            for chunk in stored_credits(result, run["id"]):
                bulk_insert(conn, "comp_run_credits", chunk)
        bulk_insert(conn, "comp_payout_lines", lines)
