"""The event logs a store holds: the built-in `deals`, `leads` and `tickets`, and the logs
imported into it, each opened by name as an `EventLog` over the store's own tables.

A SQLite store is copied into an in-memory DuckDB (typed by the data model) and mined there; a
PostgreSQL store is queried in place. The expressions are the same on both.

>>> from attain.data.store import get_engine
>>> store_log(get_engine("sqlite:///attain.db"), "tickets").case_label  # doctest: +SKIP
'ticket'
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Iterable

import duckdb
import ibis
from sqlalchemy import Engine

from attain.data.columnar import load_into_duckdb
from attain.process.builtin_logs import BUILT_IN, TABLES
from attain.process.log import EventLog


class UnknownLog(LookupError):
    """No log of that name in the store."""


_postgres: dict[tuple[str, int], ibis.BaseBackend] = {}
_postgres_lock = threading.Lock()


@atexit.register
def _disconnect_all() -> None:
    with _postgres_lock:
        opened = list(_postgres.values())
        _postgres.clear()
    for con in opened:
        with contextlib.suppress(Exception):
            con.disconnect()


def _postgres_backend(engine: Engine) -> ibis.BaseBackend:
    """One Ibis connection to the store per thread, kept like the store's engine (for the
    process's life) and opened again when the server has dropped it."""
    key = (engine.url.render_as_string(hide_password=False), threading.get_ident())
    with _postgres_lock:
        con = _postgres.get(key)
    if con is not None:
        try:
            con.raw_sql("SELECT 1").close()
            return con
        except Exception:
            with contextlib.suppress(Exception):
                con.disconnect()
    url = engine.url
    con = ibis.postgres.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
    )
    with _postgres_lock:
        _postgres[key] = con
    return con


def store_backend(engine: Engine, tables: Iterable[str]) -> ibis.BaseBackend:
    """An Ibis backend over the store: `tables` copied into a new in-memory DuckDB for SQLite,
    the database itself for PostgreSQL."""
    if engine.dialect.name == "postgresql":
        return _postgres_backend(engine)
    raw = duckdb.connect()
    load_into_duckdb(engine, raw, list(tables))
    return ibis.duckdb.from_connection(raw)


def _imported_names(engine: Engine) -> list[str]:
    """The names of the logs imported into the store (`attain.process.imported`)."""
    from attain.process.imported import imported_log_names

    return imported_log_names(engine)


def _imported_log(engine: Engine, name: str) -> EventLog | None:
    """The imported log of that name, or None (`attain.process.imported`)."""
    from attain.process.imported import imported_log

    return imported_log(engine, name)


def store_log_names(engine: Engine) -> list[str]:
    """The built-in logs, then the imported ones by name."""
    return [*BUILT_IN, *sorted(_imported_names(engine))]


def store_log(engine: Engine, name: str) -> EventLog:
    """The store's log called `name`: deals, leads, tickets or an imported log."""
    if name in BUILT_IN:
        con = store_backend(engine, TABLES[name])
        return BUILT_IN[name](engine, con)
    log = _imported_log(engine, name)
    if log is None:
        known = ", ".join(store_log_names(engine))
        raise UnknownLog(f"no event log {name!r} in the store (known: {known})")
    return log
