"""Schema migrations (Alembic), applied by `attain init` and on first use of a store."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
"""Migrations of the whole store (every module's tables), kept beside the modules they serve."""


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the store to `revision` (every head by default: modules may add migrations side by side)."""
    command.upgrade(alembic_config(engine), revision)


def upgrade_within(conn: Connection) -> None:
    """Bring the store behind `conn` to every head inside the caller's transaction."""
    cfg = alembic_config(conn.engine)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "heads")


def current(engine: Engine) -> str | None:
    """The store's revision; with modules' migrations side by side, every head (`0004+0005`)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return "+".join(sorted(heads)) or None


@cache
def heads() -> frozenset[str]:
    """Every head revision of the migrations (read from their files once per process)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def is_current(engine: Engine) -> bool:
    """Whether the store is at every head already: one small read, where Alembic's own upgrade
    loads its environment and compares the same (about a tenth of a second per store)."""
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        return False  # no version table yet: a new store
    return frozenset(found) == heads()
