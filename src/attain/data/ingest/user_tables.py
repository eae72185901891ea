"""Tables the data model does not define, created by `attain import --new-table`.

Column types are inferred from every value in the file (integer, decimal as exact money, date,
date-time, else text); the `id` column is the primary key. Each table is registered in
`user_tables` with its columns, so plans can read it and later imports validate against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from attain.clock import now
from attain.data.ingest.mapping import ColumnPlan
from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.source import Source
from attain.data.ingest.target import Target, describe
from attain.data.ingest.values import looks_like, trim
from attain.data.schema import DATA_TABLES, Base
from attain.data.types import Money

COLUMN_TYPES: dict[str, Callable[[], sa.types.TypeEngine[Any]]] = {
    "text": sa.Text,
    "integer": sa.BigInteger,
    "decimal": Money,
    "date": sa.Date,
    "datetime": sa.DateTime,
}
"""The types a user table's column can have, by the name kept in `user_tables.columns`."""

INFERRED_IN_ORDER = ("integer", "decimal", "date", "datetime")
RESERVED = {"user_tables", "synth_truths", "alembic_version"}
TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

REGISTRY = Base.metadata.tables["user_tables"]


def user_table_names(conn: Connection) -> list[str]:
    return sorted(conn.execute(sa.select(REGISTRY.c.name)).scalars())


def build_table(name: str, columns: list[dict[str, str]]) -> sa.Table:
    """The SQLAlchemy table for a registered user table (`id` is the primary key)."""
    table_columns = []
    for column in columns:
        kind = COLUMN_TYPES[column["type"]]()
        key = column["name"] == "id"
        table_columns.append(sa.Column(column["name"], kind, primary_key=key, nullable=not key))
    return sa.Table(name, sa.MetaData(), *table_columns)


def registered_target(conn: Connection, name: str) -> Target | None:
    """The user table `name` as an import target, or None when no such table is registered."""
    row = conn.execute(sa.select(REGISTRY.c.columns).where(REGISTRY.c.name == name)).first()
    if row is None:
        return None
    return describe(build_table(name, json.loads(row[0])), user_table=True)


def check_new_name(name: str) -> None:
    if name in RESERVED or name in DATA_TABLES or not TABLE_NAME.match(name):
        raise ImportFailed(
            f"{name!r} cannot name a new table (use lower-case letters, digits and _, "
            "starting with a letter, and not a name attain uses)"
        )


def infer_columns(
    source: Source, plan: ColumnPlan, date_format: str | None
) -> list[dict[str, str]]:
    """Each mapped column's type: the first of integer, decimal, date, date-time that every value
    in the file fits, else text. `id` is always text, so keys keep their leading zeros."""
    possible = {m.target: set(INFERRED_IN_ORDER) for m in plan.columns}
    seen_any = dict.fromkeys(possible, False)
    for batch in source.batches():
        for m in plan.columns:
            values = trim(batch.columns[m.index])
            if values.null_count == len(values):
                continue
            seen_any[m.target] = True
            for kind in list(possible[m.target]):
                if not looks_like(kind, values, date_format):
                    possible[m.target].discard(kind)
    columns = []
    for m in plan.columns:
        kinds = [k for k in INFERRED_IN_ORDER if k in possible[m.target]]
        kind = kinds[0] if kinds and seen_any[m.target] and m.target != "id" else "text"
        columns.append({"name": m.target, "type": kind})
    columns.sort(key=lambda c: c["name"] != "id")
    return columns


def create_user_table(conn: Connection, name: str, columns: list[dict[str, str]]) -> Target:
    """Register and create the table inside the import's transaction (both undone on failure)."""
    conn.execute(
        sa.insert(REGISTRY).values(
            name=name,
            columns=json.dumps(columns),
            created_at=now(),
        )
    )
    table = build_table(name, columns)
    table.create(conn)
    return describe(table, user_table=True)
