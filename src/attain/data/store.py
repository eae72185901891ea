"""Where the revenue data lives: one SQLite file by default, PostgreSQL when configured.

The store is migrated to the newest schema on first use, so a user never runs a separate setup step.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///attain.db"


def database_url(url: str | None = None) -> str:
    """The store's URL: the argument, else ATTAIN_DATABASE_URL, else `attain.db` here."""
    url = url or os.environ.get("ATTAIN_DATABASE_URL") or DEFAULT_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@cache
def _engine(url: str) -> Engine:
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The engine for the store at `url`, migrated to the newest schema unless told not to."""
    engine = _engine(database_url(url))
    if migrate:
        _ensure_migrated(engine)
    return engine


_MIGRATED: set[str] = set()


def _ensure_migrated(engine: Engine) -> None:
    key = str(engine.url)
    if key in _MIGRATED:
        return
    from attain.data.migrate import is_current, upgrade

    if not is_current(engine):
        upgrade(engine)
    _MIGRATED.add(key)


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back on error."""
    maker = sessionmaker(get_engine(url), expire_on_commit=False)
    with maker.begin() as s:
        yield s


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def sqlite_path(engine: Engine) -> Path | None:
    """The file behind a SQLite store, or None for other stores."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database)
