"""Helpers shared by the importer's tests: fixture files, seeding a store, reading it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from attain.data.ingest import ImportOptions, ImportReport, import_file
from attain.data.store import get_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def fixture(name: str) -> Path:
    return FIXTURES / name


def load(url: str, table: str, name: str, **options: Any) -> ImportReport:
    """Import the fixture `name` into `table`, labelled by its file name as a user would type it."""
    return import_file(table, fixture(name), db=url, options=ImportOptions(**options), label=name)


def seed(url: str) -> None:
    """The people, products and accounts that the deal fixtures refer to."""
    for table in ("people", "products", "accounts"):
        load(url, table, f"{table}.csv")


def rows(url: str, table: str) -> list[tuple[Any, ...]]:
    """Every row of `table`, sorted, as the store returns them."""
    engine = get_engine(url)
    with engine.connect() as conn:
        result = conn.execute(sa.text(f'SELECT * FROM "{table}"'))
        return sorted(tuple(r) for r in result)


def row(url: str, table: str, key: str) -> dict[str, Any]:
    engine = get_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.text(f'SELECT * FROM "{table}" WHERE id = :k'), {"k": key})
        return dict(found.mappings().one())
