"""`attain init`, `attain import`, `attain tables`: the store and what goes into it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import console
from attain.data import migrate
from attain.data.store import database_url, get_engine, table_names

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db)."),
]


def init(db: DbOption = None) -> None:
    """Create the store, or bring it to the newest schema."""
    engine = get_engine(db)
    console.print(f"store ready: {database_url(db)} (schema {migrate.current(engine)})")


def tables(db: DbOption = None) -> None:
    """Row counts of every table in the store."""
    from sqlalchemy import func, select, table

    engine = get_engine(db)
    out = Table("table", "rows", title=database_url(db))
    with engine.connect() as conn:
        for name in table_names(engine):
            if name == "alembic_version":
                continue
            n = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            out.add_row(name, f"{n:,}")
    console.print(out)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(tables)
