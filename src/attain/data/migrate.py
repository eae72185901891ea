"""Schema migrations (Alembic), applied by `attain init` and on first use of a store."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

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
