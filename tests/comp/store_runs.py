"""A full run's lines over the store's data as it stands, on an in-memory DuckDB (nothing kept):
what the live and what-if tests compare their figures with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import ibis
import pyarrow as pa
from sqlalchemy import Engine, select

from attain.comp.engine import calculate
from attain.comp.language import Plan
from attain.comp.runs import store_assignments, tables_read
from attain.data.columnar import column_types
from attain.data.schema import Base

Key = tuple[str, str, str, str]  # payee, plan, period, component


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def engine_lines(
    engine: Engine, plans: Sequence[Plan], start: dt.date, end: dt.date
) -> dict[Key, Decimal]:
    """Every non-zero line of a full run of `plans` from `start` to `end`, by its key."""
    con = ibis.duckdb.connect()
    try:
        for table in tables_read(list(plans)):
            types = column_types(engine, table)
            with engine.connect() as conn:
                rows = conn.execute(select(Base.metadata.tables[table])).mappings().all()
            data = pa.table({c: pa.array([_text(r[c]) for r in rows], pa.string()) for c in types})
            con.create_table(f"_{table}", data)
            casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types.items())
            con.raw_sql(f'CREATE TABLE "{table}" AS SELECT {casts} FROM "_{table}"')
        assignments = store_assignments(engine, {p.id for p in plans})
        result = calculate(con, list(plans), assignments, start, end)
        return {
            (ln.payee, ln.plan, ln.period, ln.component): ln.amount
            for ln in result.lines
            if ln.amount != 0
        }
    finally:
        con.disconnect()
