"""What the engine reads from an Ibis connection: tables by name and their schemas."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
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


class Catalog(Mapping[str, Mapping[str, str]]):
    """The connection's tables as one calculation sees them: table -> column -> plan-language type.

    Names are listed once; a table's schema is read the first time a plan needs it, and its
    Ibis table is made once (a store has dozens of tables, a plan reads a few, and each read
    is a round trip to the backend).
    """

    def __init__(self, con: ibis.BaseBackend) -> None:
        self.con = con
        self._names: list[str] | None = None
        self._tables: dict[str, ibis.Table] = {}
        self._types: dict[str, dict[str, str]] = {}
        self.read: set[str] = set()  # tables looked up so far (see `prepared`)

    def names(self) -> list[str]:
        if self._names is None:
            self._names = table_names(self.con)
        return self._names

    def table(self, name: str) -> ibis.Table:
        self.read.add(name)
        if name not in self._tables:
            self._tables[name] = self.con.table(name)
        return self._tables[name]

    def __getitem__(self, name: str) -> Mapping[str, str]:
        if name not in self.names():
            raise KeyError(name)
        if name not in self._types:
            schema = self.table(name).schema()
            self._types[name] = {col: type_of(typ) for col, typ in schema.items()}
        return self._types[name]

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


_reading: ContextVar[Catalog | None] = ContextVar("attain_catalog", default=None)


@contextmanager
def reading(con: ibis.BaseBackend) -> Iterator[Catalog]:
    """One catalog for `con` while a calculation runs: each table looked up once."""
    catalog = Catalog(con)
    token = _reading.set(catalog)
    try:
        yield catalog
    finally:
        _reading.reset(token)


def current(con: ibis.BaseBackend) -> Catalog | None:
    """The running calculation's catalog of `con`, if any."""
    catalog = _reading.get()
    return catalog if catalog is not None and catalog.con is con else None


def table(con: ibis.BaseBackend, name: str) -> ibis.Table:
    """Table `name` of `con`, from the running calculation's catalog when there is one."""
    catalog = _reading.get()
    if catalog is not None and catalog.con is con:
        return catalog.table(name)
    return con.table(name)


def schemas_of(con: ibis.BaseBackend) -> Schemas:
    """Table -> column -> plan-language type, for every table the connection lists (read lazily)."""
    catalog = _reading.get()
    return catalog if catalog is not None and catalog.con is con else Catalog(con)


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
