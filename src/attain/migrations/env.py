"""Alembic environment for the whole store: runs on the engine handed over by attain.data.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from attain.comp.runs import schema as _runs_schema  # noqa: F401  (registers run tables)
from attain.data.schema import Base
from attain.pay import schema as _pay_schema  # noqa: F401  (registers pay lifecycle and audit tables)
from attain.quota import schema as _quota_schema  # noqa: F401  (registers quota draft tables)
from attain.web import schema as _web_schema  # noqa: F401  (registers web tables)

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
