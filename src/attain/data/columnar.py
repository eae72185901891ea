"""Read store tables as typed columnar data, for the engines.

The store keeps money as decimal text on SQLite; engines want DECIMAL, DATE and TIMESTAMP columns.
Reads go through ADBC (Arrow straight from the database, no Python object per row), every column
read as text, then cast once inside DuckDB to the type the data model declares.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, Numeric, inspect, select
from sqlalchemy.sql.type_api import TypeEngine

from attain.data.reader_process import READER
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


def _text_select(table: str, cols: list[str], cast: str) -> str:
    return "SELECT " + ", ".join(cast.format(c=c) for c in cols) + f' FROM "{table}"'


def read_arrow_tables(engine: Engine, wanted: dict[str, list[str]]) -> dict[str, pa.Table]:
    """Every named column of each table as text, straight from the database through ADBC.

    SQLite is read in a child process that stays up between reads (see
    `attain.data.sqlite_reader` for why, `attain.data.reader_process` for how); PostgreSQL in
    this one.
    """
    out: dict[str, pa.Table] = {}
    if engine.dialect.name == "sqlite":
        queries = [
            {
                "name": f"t{i}",
                "sql": _text_select(t, cols, 'CAST("{c}" AS TEXT) AS "{c}"'),
                "columns": cols,
            }
            for i, (t, cols) in enumerate(wanted.items())
        ]
        with tempfile.TemporaryDirectory(prefix="attain-read-") as tmp:
            READER.read(engine.url.database or "", queries, Path(tmp))
            for i, table in enumerate(wanted):
                with pa.memory_map(str(Path(tmp) / f"t{i}.arrow")) as source:
                    out[table] = pa.ipc.open_file(source).read_all()
    else:
        import adbc_driver_postgresql.dbapi as adbc_pg

        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with adbc_pg.connect(url) as conn, conn.cursor() as cur:
            for table, cols in wanted.items():
                cur.execute(_text_select(table, cols, '"{c}"::text AS "{c}"'))
                out[table] = cur.fetch_arrow_table()
    for table, cols in wanted.items():
        if out[table].num_rows == 0:
            out[table] = pa.table({c: pa.array([], pa.string()) for c in cols})
    return out


def load_into_duckdb(
    engine: Engine, con: duckdb.DuckDBPyConnection, tables: Iterable[str]
) -> dict[str, int]:
    """Copy store tables into DuckDB with the data model's types; returns rows per table."""
    counts: dict[str, int] = {}
    types_of = {table: column_types(engine, table) for table in tables}
    read = read_arrow_tables(engine, {t: list(types) for t, types in types_of.items()})
    for table, types in types_of.items():
        data = read[table]
        name = f"__load_{table}"
        con.register(name, data)
        casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in types.items())
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT {casts} FROM "{name}"')
        con.unregister(name)
        counts[table] = data.num_rows
    return counts
