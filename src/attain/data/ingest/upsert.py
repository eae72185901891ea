"""Writing checked rows by primary key: new keys are inserted, changed rows updated, and rows
that already hold the same values are left alone (so importing a file twice changes nothing).

The statement is SQLAlchemy Core's dialect-specific `INSERT ... ON CONFLICT DO UPDATE ... WHERE`
(some column differs), compiled once and executed per batch through the driver's executemany
with plain tuples: the bulk path of each database, without per-value Python conversions.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.target import Target


class Upsert:
    """One table's upsert for a fixed set of columns; `write` returns rows inserted or updated."""

    def __init__(self, conn: Connection, target: Target, columns: list[str]) -> None:
        self.conn = conn
        self.sql, self.order = _compiled_upsert(conn, target, columns)

    def write(self, values: dict[str, pa.Array]) -> int:
        """Upsert one batch (store-ready values by column); the rows it inserted or changed."""
        columns = [values[c].to_pylist() for c in self.order]
        rows = list(zip(*columns, strict=True))
        if not rows:
            return 0
        result = self.conn.exec_driver_sql(self.sql, rows)
        return max(result.rowcount, 0)


def _compiled_upsert(conn: Connection, target: Target, columns: list[str]) -> tuple[str, list[str]]:
    """The upsert's SQL for this store, with its parameters in the order they appear."""
    table = target.table
    key = list(target.primary_key)
    changeable = [c for c in columns if c not in key]
    values: dict[str, Any] = {c: sa.bindparam(c) for c in columns}
    statement: sqlite.Insert | postgresql.Insert
    if conn.dialect.name == "sqlite":
        statement = sqlite.insert(table).values(values)
        dialect = conn.dialect
    elif conn.dialect.name == "postgresql":
        statement = postgresql.insert(table).values(values)
        dialect = postgresql.psycopg.dialect(paramstyle="format")  # type: ignore[no-untyped-call]
    else:
        raise ImportFailed(f"importing into a {conn.dialect.name} store is not supported")
    if changeable:
        changed = sa.or_(*(table.c[c].is_distinct_from(statement.excluded[c]) for c in changeable))
        statement = statement.on_conflict_do_update(
            index_elements=key, set_={c: statement.excluded[c] for c in changeable}, where=changed
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=key)
    compiled = statement.compile(dialect=dialect)
    return compiled.string, list(compiled.positiontup or columns)


def count_rows(conn: Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def hold_write_lock(conn: Connection) -> None:
    """Start the write transaction now, so what the import reads stays true until it commits.

    SQLite's Python driver opens a transaction only at the first data change (and runs DDL such
    as CREATE TABLE outside any transaction before that); a no-op change opens it at once.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DELETE FROM user_tables WHERE 1 = 0")
