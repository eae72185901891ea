"""A fast loader for freshly generated rows: one Arrow table straight into a store table.

This is not the user-facing importer (no validation, no upsert): it is for data attain made
itself, such as the demo company, where millions of rows must land in seconds. SQLite gets
`executemany` in the caller's transaction, PostgreSQL gets `COPY`. Values are written in the
same form the ORM writes them, so the ORM reads them back unchanged (money as exact decimals).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Engine

from attain.data.schema import Base

CHUNK_ROWS = 200_000
"""Rows converted and sent per round trip: big enough to be fast, small enough to bound memory."""


def bulk_insert(target: Engine | Connection, table_name: str, rows: pa.Table) -> int:
    """Append `rows` to `table_name` and return how many were written.

    Given an Engine, it runs in its own transaction; given a Connection, it joins the caller's
    transaction (so a replace can clear and reload in one transaction).
    """
    if table_name not in Base.metadata.tables:
        raise ValueError(f"unknown table {table_name!r}")
    known = set(Base.metadata.tables[table_name].columns.keys())
    unknown = [c for c in rows.column_names if c not in known]
    if unknown:
        raise ValueError(f"{table_name} has no column(s) {', '.join(unknown)}")
    if rows.num_rows == 0:
        return 0
    if isinstance(target, Engine):
        with target.begin() as conn:
            return _insert(conn, table_name, rows)
    return _insert(target, table_name, rows)


@contextmanager
def loading(conn: Connection) -> Iterator[None]:
    """Around a whole load, outside its transaction: SQLite skips fsyncs until it is done.

    Safe for a loader: a crash mid-load rolls back with the transaction anyway, and the store's
    usual durability is restored afterwards.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA synchronous=OFF")
    conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
    conn.commit()
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        conn.commit()


def _insert(conn: Connection, table_name: str, rows: pa.Table) -> int:
    if conn.dialect.name == "sqlite":
        return _insert_sqlite(conn, table_name, rows)
    if conn.dialect.name == "postgresql":
        return _copy_postgres(conn, table_name, rows)
    raise NotImplementedError(f"bulk loading into {conn.dialect.name} is not supported")


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _insert_sqlite(conn: Connection, table_name: str, rows: pa.Table) -> int:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur: Any = dbapi.cursor()
    cur.execute("PRAGMA cache_size=-262144")
    if not dbapi.in_transaction:
        cur.execute("PRAGMA temp_store=MEMORY")  # not allowed inside a transaction
    names = rows.column_names
    sql = f'INSERT INTO "{table_name}" ({_quoted(names)}) VALUES ({", ".join("?" * len(names))})'
    for batch in rows.to_batches(max_chunksize=CHUNK_ROWS):
        columns = [_sqlite_values(batch.column(i)) for i in range(batch.num_columns)]
        cur.executemany(sql, zip(*columns, strict=True))
    cur.close()
    return int(rows.num_rows)


def sqlite_text(values: pa.Array) -> pa.Array:
    """Values in the text form SQLAlchemy stores on SQLite (money, dates, date-times)."""
    kind = values.type
    if pa.types.is_decimal(kind):
        # Canonical decimal text, as `Money` writes it: no trailing zeros ("12.50" -> "12.5").
        text = pc.cast(values, pa.string())
        return pc.replace_substring_regex(text, pattern=r"\.?0+$", replacement="")
    if pa.types.is_date(kind):
        return _by_distinct(
            values, lambda u: pc.strftime(pc.cast(u, pa.timestamp("s")), "%Y-%m-%d")
        )
    if pa.types.is_timestamp(kind):
        return _by_distinct(
            values,
            lambda u: pc.binary_join_element_wise(
                pc.strftime(pc.cast(u, pa.timestamp("s")), "%Y-%m-%d %H:%M:%S"), ".000000", ""
            ),
        )
    return values


def _by_distinct(values: pa.Array, render: object) -> pa.Array:
    """Render each distinct value once: dates repeat a lot, so this is much faster."""
    distinct = pc.unique(values)
    rendered = render(distinct)  # type: ignore[operator]
    return pc.take(rendered, pc.index_in(values, value_set=distinct))


def _sqlite_values(values: pa.Array) -> list[object]:
    return sqlite_text(values).to_pylist()  # type: ignore[no-any-return]


def _copy_postgres(conn: Connection, table_name: str, rows: pa.Table) -> int:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    names = rows.column_names
    options = pacsv.WriteOptions(include_header=False)
    with dbapi.cursor() as cur:  # type: ignore[attr-defined]
        sql = f'COPY "{table_name}" ({_quoted(names)}) FROM STDIN (FORMAT csv)'
        with cur.copy(sql) as copy:
            for batch in rows.to_batches(max_chunksize=CHUNK_ROWS):
                buf = io.BytesIO()
                pacsv.write_csv(pa.Table.from_batches([batch]), buf, write_options=options)
                copy.write(buf.getvalue())
    return int(rows.num_rows)
