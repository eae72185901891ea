"""Where a generated company goes: into a store (one transaction) or into a folder of CSV files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Engine, MetaData, text

from attain.data.bulk import bulk_insert, loading
from attain.data.schema import DATA_TABLES, Base
from attain.data.synth.company import Company
from attain.data.synth.truths import truths_table

SYNTH_TABLES: tuple[str, ...] = (*DATA_TABLES, "synth_truths")
"""What a synth writes (`--replace` clears the whole store first)."""


class StoreNotEmpty(Exception):
    """The store already holds data, and nobody asked to replace it."""


def conform(name: str, rows: pa.Table | None) -> pa.Table:
    """`rows` with exactly the schema's columns, in the schema's order (absent ones null)."""
    columns = list(Base.metadata.tables[name].columns.keys())
    rows = rows if rows is not None else pa.table({c: pa.array([], pa.string()) for c in columns})
    out = {}
    for c in columns:
        out[c] = rows[c] if c in rows.column_names else pa.nulls(rows.num_rows, pa.string())
    return pa.table(out)


def store_tables(conn: Connection) -> list[str]:
    """Every table the store holds, of every module (runs, ledger, periods, approvals, disputes,
    audit, live lines, users, plan versions, user tables...), parents before children."""
    found = MetaData()
    found.reflect(conn)
    return [t.name for t in found.sorted_tables if t.name != "alembic_version"]


def occupied(conn: Connection) -> dict[str, int]:
    """Tables of the store that already hold rows (counted up to a thousand, for a message)."""
    held = {}
    for name in store_tables(conn):
        n = conn.execute(
            text(f'SELECT COUNT(*) FROM (SELECT 1 FROM "{name}" LIMIT 1000) AS t')
        ).scalar_one()
        if n:
            held[name] = int(n)
    return held


def rebuild(conn: Connection) -> None:
    """Drop the whole store and migrate it afresh, inside the caller's transaction.

    A replaced company leaves no runs, ledger, closed periods, disputes, logins or audit log
    behind to be read against new people. Dropping (not deleting rows) is what the ledger's and
    audit log's guards allow: closed periods and the audit trail refuse a DELETE, by design.
    """
    from attain.data.migrate import upgrade_within

    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and raw is not None and not raw.in_transaction:
        # pysqlite opens a transaction only before DML: begin it now, so the drops and the
        # migrations roll back with the rest if anything fails.
        conn.exec_driver_sql("BEGIN")
    found = MetaData()
    found.reflect(conn)
    cascade = " CASCADE" if conn.dialect.name == "postgresql" else ""
    for table in reversed(found.sorted_tables):
        conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}"{cascade}'))
    if conn.dialect.name == "postgresql":
        for function in conn.execute(text(OWN_FUNCTIONS)).scalars().all():
            conn.execute(text(f"DROP FUNCTION IF EXISTS {function} CASCADE"))
    upgrade_within(conn)


OWN_FUNCTIONS = """
SELECT p.oid::regprocedure::text FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema()
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
"""The store schema's own functions (the pay lifecycle's guards), not those of extensions."""


def write_store(
    company: Company,
    engine: Engine,
    *,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Load the company into the store in one transaction; refuse a store that holds data.

    With `replace`, the whole store (every module's tables) is emptied first, in the same
    transaction: on any error the store is left exactly as it was.
    """
    say = progress or (lambda _: None)
    written: dict[str, int] = {}
    with engine.connect() as conn, loading(conn), conn.begin():
        held = occupied(conn)
        if held and not replace:
            listed = ", ".join(f"{t} ({'1000+' if n >= 1000 else n} rows)" for t, n in held.items())
            raise StoreNotEmpty(
                f"the store already holds data: {listed}; pass --replace to empty the whole "
                "store and write the generated company instead"
            )
        if held:
            say("dropping and recreating the store")
            rebuild(conn)
        tables = {**company.tables, "synth_truths": truths_table(company.truths)}
        for name in SYNTH_TABLES:
            if name in tables and tables[name].num_rows:
                say(f"writing {name} ({tables[name].num_rows:,} rows)")
                written[name] = bulk_insert(conn, name, conform(name, tables[name]))
    return written


def write_csv(company: Company, folder: Path) -> dict[str, int]:
    """One CSV per data table (headers are the schema's columns) plus `truths.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in DATA_TABLES:
        rows = conform(name, company.tables.get(name))
        pacsv.write_csv(rows, folder / f"{name}.csv")
        written[name] = rows.num_rows
    (folder / "truths.json").write_text(json.dumps(company.truths, indent=2, sort_keys=True) + "\n")
    return written
