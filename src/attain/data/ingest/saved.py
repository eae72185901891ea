"""Named mappings kept in the store, so the CLI and the web import page share them.

A saved mapping is a spec (see `spec.py`) for one table, under a name. Saving it is a user's
write with its audit entry, so it is an action (`attain.actions.mappings.save_mapping`); this
module reads them and checks a name and a spec against their table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.spec import MappingSpec, parse_spec
from attain.data.ingest.target import Target, data_model_target
from attain.data.ingest.user_tables import registered_target
from attain.data.schema import ImportMapping
from attain.data.store import get_engine

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""What may name a mapping."""


@dataclass(frozen=True)
class SavedMapping:
    name: str
    table: str
    spec_text: str
    updated_at: datetime
    updated_by: str | None

    @property
    def label(self) -> str:
        return f"mapping {self.name!r}"

    def spec(self) -> MappingSpec:
        """Its spec, for its table whether or not the YAML names one."""
        return replace(parse_spec(self.spec_text, self.label), table=self.table)


def target_in(conn: Connection, table: str) -> Target:
    target = data_model_target(table) or registered_target(conn, table)
    if target is None:
        raise ImportFailed(f"unknown table {table!r}; a mapping is saved for a table that exists")
    return target


def target_of(db: str | None, table: str) -> Target:
    """The table a mapping fills, from the data model or the store's own tables."""
    with get_engine(db).connect() as conn:
        return target_in(conn, table)


def load_mapping(db: str | None, name: str) -> SavedMapping:
    """The saved mapping `name`; an unknown name says which names there are."""
    with get_engine(db).connect() as conn:
        found = mapping_row(conn, name)
    if found is None:
        names = [m.name for m in list_mappings(db)]
        known = f"; saved mappings: {', '.join(names)}" if names else "; none is saved yet"
        raise ImportFailed(f"no saved mapping named {name!r}{known}")
    return found


def list_mappings(db: str | None, table: str | None = None) -> list[SavedMapping]:
    """Every saved mapping (of one table), by name."""
    mappings = ImportMapping.__table__
    query = sa.select(mappings).order_by(mappings.c.name)
    if table is not None:
        query = query.where(mappings.c.table == table)
    with get_engine(db).connect() as conn:
        return [_saved(r) for r in conn.execute(query).mappings()]


def mapping_row(conn: Connection, name: str, *, lock: bool = False) -> SavedMapping | None:
    mappings = ImportMapping.__table__
    query = sa.select(mappings).where(mappings.c.name == name)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    found = conn.execute(query).mappings().first()
    return None if found is None else _saved(found)


def _saved(row: sa.RowMapping) -> SavedMapping:
    return SavedMapping(
        row["name"], row["table"], row["spec"], row["updated_at"], row["updated_by"]
    )
