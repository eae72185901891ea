"""What the engine reads from an Ibis connection: tables by name and their schemas."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.datatypes as dt

from attain.comp.language.compile import Schemas
from attain.comp.language.scope import type_of


def table_names(con: ibis.BaseBackend) -> list[str]:
    """The connection's tables; falls back to information_schema where Ibis cannot list them.

    (Ibis 12's DuckDB `list_tables` calls a method DuckDB 2.0 removed.)
    """
    try:
        return list(con.list_tables())
    except AttributeError:
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
        cursor = con.raw_sql(sql)
        try:
            return [row[0] for row in cursor.fetchall()]
        finally:
            close = getattr(cursor, "close", None)
            if close is not None and cursor is not getattr(con, "con", None):
                close()


def schemas_of(con: ibis.BaseBackend) -> Schemas:
    """Table -> column -> plan-language type, for every table the connection lists."""
    out: dict[str, dict[str, str]] = {}
    for name in table_names(con):
        schema = con.table(name).schema()
        out[name] = {col: type_of(typ) for col, typ in schema.items()}
    return out


def assignments_table(assignments: Any) -> ibis.Table:
    """Assignments (models or mappings with payee, plan, from, to) as a table; open `to` is far."""
    far = ibis.literal("9999-12-31").cast(dt.date)
    rows = []
    for a in assignments:
        get = (
            a.get
            if isinstance(a, dict)
            else lambda k, a=a: getattr(a, k if k != "from" else "from_")
        )
        rows.append((str(get("payee")), str(get("plan")), get("from"), get("to")))
    t = ibis.memtable(
        {
            "payee": [r[0] for r in rows],
            "plan": [r[1] for r in rows],
            "valid_from": [r[2] for r in rows],
            "valid_to": [r[3] for r in rows],
        },
        schema=ibis.schema(
            {"payee": dt.string, "plan": dt.string, "valid_from": dt.date, "valid_to": dt.date}
        ),
    )
    return t.mutate(valid_to=t.valid_to.fill_null(far))
