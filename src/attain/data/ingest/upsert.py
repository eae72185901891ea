"""Writing checked rows by primary key: new keys are inserted, changed rows updated, and rows
that already hold the same values are left alone (so importing a file twice changes nothing).

The statement is SQLAlchemy Core's dialect-specific `INSERT ... ON CONFLICT DO UPDATE ... WHERE`
(some column differs), compiled once, and fed by each database's bulk path:
- SQLite: the driver's `executemany` with plain tuples;
- PostgreSQL: `COPY` into a temporary stage table, then one `INSERT ... SELECT` from it.
Both run inside the import's transaction.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.target import Target

STAGE = "attain_import_stage"
"""The temporary table a PostgreSQL import copies each batch into (dropped at commit)."""


class Upsert:
    """One table's upsert for a fixed set of columns; `write` returns rows inserted or updated."""

    def __init__(self, conn: Connection, target: Target, columns: list[str]) -> None:
        self.conn = conn
        self.columns = columns
        if conn.dialect.name == "sqlite":
            self.sql, self.order = _sqlite_upsert(target, columns, conn)
        elif conn.dialect.name == "postgresql":
            self.sql, self.order = _postgres_upsert_from_stage(conn, target, columns)
        else:
            raise ImportFailed(f"importing into a {conn.dialect.name} store is not supported")

    def write(self, values: dict[str, pa.Array]) -> int:
        """Upsert one batch (store-ready values by column); the rows it inserted or changed."""
        columns = [values[c].to_pylist() for c in self.order]
        rows = list(zip(*columns, strict=True))
        if not rows:
            return 0
        if self.conn.dialect.name == "postgresql":
            return self._copy_then_upsert(rows)
        result = self.conn.exec_driver_sql(self.sql, rows)
        return max(result.rowcount, 0)

    def _copy_then_upsert(self, rows: list[tuple[Any, ...]]) -> int:
        cursor = self.conn.connection.cursor()
        try:
            cursor.execute(f"TRUNCATE {STAGE}")
            names = ", ".join(_quote(self.conn, c) for c in self.order)
            with cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(self.sql)
            return max(cursor.rowcount, 0)
        finally:
            cursor.close()


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _on_conflict(
    statement: sqlite.Insert | postgresql.Insert, target: Target, columns: list[str]
) -> sqlite.Insert | postgresql.Insert:
    """Update the columns that differ on a key that exists; otherwise leave the row alone."""
    table = target.table
    key = list(target.primary_key)
    changeable = [c for c in columns if c not in key]
    if not changeable:
        return statement.on_conflict_do_nothing(index_elements=key)
    changed = sa.or_(*(table.c[c].is_distinct_from(statement.excluded[c]) for c in changeable))
    return statement.on_conflict_do_update(
        index_elements=key, set_={c: statement.excluded[c] for c in changeable}, where=changed
    )


def _sqlite_upsert(target: Target, columns: list[str], conn: Connection) -> tuple[str, list[str]]:
    """The upsert with one `?` per column, and the columns in the order of the `?`s."""
    values: dict[str, Any] = {c: sa.bindparam(c) for c in columns}
    statement = _on_conflict(sqlite.insert(target.table).values(values), target, columns)
    compiled = statement.compile(dialect=conn.dialect)
    return compiled.string, list(compiled.positiontup or columns)


def _postgres_upsert_from_stage(
    conn: Connection, target: Target, columns: list[str]
) -> tuple[str, list[str]]:
    """Create the stage table (the written columns, with their types) and the upsert from it."""
    names = ", ".join(_quote(conn, c) for c in columns)
    table = _quote(conn, target.table.name)
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ON COMMIT DROP "
        f"AS SELECT {names} FROM {table} WITH NO DATA"
    )
    stage = sa.table(STAGE, *(sa.column(c) for c in columns))
    rows = sa.select(*(stage.c[c] for c in columns))
    statement = _on_conflict(
        postgresql.insert(target.table).from_select(columns, rows), target, columns
    )
    return statement.compile(dialect=conn.dialect).string, columns


def count_rows(conn: Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def hold_write_lock(conn: Connection) -> None:
    """Start the write transaction now, so what the import reads stays true until it commits.

    SQLite's Python driver opens a transaction only at the first data change (and runs DDL such
    as CREATE TABLE outside any transaction before that); a no-op change opens it at once.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DELETE FROM user_tables WHERE 1 = 0")
