"""Alembic environment for the whole store: runs on the engine handed over by attain.data.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from attain import schema as _every_table  # noqa: F401  (registers every table)
from attain.data.schema import Base

config = context.config
target_metadata = Base.metadata


def migrate_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


def run() -> None:
    given = config.attributes.get("connection")
    if given is not None:  # inside the caller's transaction (a store rebuilt from scratch)
        migrate_on(given)
        return
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url") or ""
    )
    with engine.begin() as connection:
        migrate_on(connection)


run()
