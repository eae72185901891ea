"""Read store tables as typed columnar data, for the engines.

The store keeps money as decimal text on SQLite; engines want DECIMAL, DATE and TIMESTAMP columns.
Reads go through ADBC (Arrow straight from the database, no Python object per row), every column
read as text, then cast once inside DuckDB to the type the data model declares.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb
import pyarrow as pa
from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, Numeric, inspect, select
from sqlalchemy.sql.type_api import TypeEngine

from attain.data.schema import Base, UserTable
from attain.data.types import Money

MONEY_DUCKDB = "DECIMAL(24, 6)"

_USER_TYPES = {
    "integer": "BIGINT",
    "decimal": MONEY_DUCKDB,
    "money": MONEY_DUCKDB,
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "text": "VARCHAR",
    "string": "VARCHAR",
    "boolean": "BOOLEAN",
}


def duckdb_type(column_type: TypeEngine[object]) -> str:
    """The DuckDB type for a data-model column type."""
    if isinstance(column_type, Money | Numeric) and not isinstance(column_type, Float):
        return MONEY_DUCKDB
    if isinstance(column_type, DateTime):
        return "TIMESTAMP"
    if isinstance(column_type, Date):
        return "DATE"
    if isinstance(column_type, Integer):
        return "BIGINT"
    if isinstance(column_type, Boolean):
        return "BOOLEAN"
    return "VARCHAR"


def column_types(engine: Engine, table: str) -> dict[str, str]:
    """Column name -> DuckDB type, from the data model, a user table's registry, or the database."""
    model = Base.metadata.tables.get(table)
    if model is not None:
        return {c.name: duckdb_type(c.type) for c in model.columns}
    with engine.connect() as conn:
        registered = conn.execute(select(UserTable.columns).where(UserTable.name == table)).scalar()
    if registered:
        return {
            c["name"]: _USER_TYPES.get(str(c["type"]).lower(), "VARCHAR")
            for c in json.loads(registered)
        }
    cols = inspect(engine).get_columns(table)
    if not cols:
        raise KeyError(f"no table {table!r} in the store")
    return {c["name"]: duckdb_type(c["type"]) for c in cols}


def read_arrow(engine: Engine, table: str, columns: Iterable[str]) -> pa.Table:
    """Every named column of `table` as text, straight from the database through ADBC."""
    cols = list(columns)
    if engine.dialect.name == "sqlite":
        import adbc_driver_sqlite.dbapi as adbc_sqlite

        sql = (
            "SELECT "
            + ", ".join(f'CAST("{c}" AS TEXT) AS "{c}"' for c in cols)
            + f' FROM "{table}"'
        )
        with adbc_sqlite.connect(engine.url.database or ":memory:") as conn, conn.cursor() as cur:
            cur.execute(sql)
            result = cur.fetch_arrow_table()
    else:
        import adbc_driver_postgresql.dbapi as adbc_pg

        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        sql = "SELECT " + ", ".join(f'"{c}"::text AS "{c}"' for c in cols) + f' FROM "{table}"'
        with adbc_pg.connect(url) as conn, conn.cursor() as cur:
            cur.execute(sql)
            result = cur.fetch_arrow_table()
    if result.num_rows == 0:
        result = pa.table({c: pa.array([], pa.string()) for c in cols})
    return result


def load_into_duckdb(
    engine: Engine, con: duckdb.DuckDBPyConnection, tables: Iterable[str]
) -> dict[str, int]:
    """Copy store tables into DuckDB with the data model's types; returns rows per table."""
    counts: dict[str, int] = {}
    for table in tables:
        types = column_types(engine, table)
        data = read_arrow(engine, table, types)
        name = f"__load_{table}"
        con.register(name, data)
        casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types.items())
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT {casts} FROM "{name}"')
        con.unregister(name)
        counts[table] = data.num_rows
    return counts
