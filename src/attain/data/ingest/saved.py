"""Named mappings kept in the store, so the CLI and the web import page share them.

A saved mapping is a spec (see `spec.py`) for one table, under a name. Saving checks the spec
against the table and writes it in the caller's transaction; the action `mapping.save`
(`attain.actions.mappings`) holds that transaction and its audit entry, so a mapping is never
changed without a record of who changed it from what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.spec import MappingSpec, check_against, parse_spec
from attain.data.ingest.target import Target, data_model_target
from attain.data.ingest.upsert import hold_write_lock
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


def write_mapping(
    conn: Connection, name: str, table: str, spec_text: str, by: str
) -> tuple[SavedMapping | None, SavedMapping]:
    """Save (or replace) the mapping `name` for `table` in the caller's transaction; refuses a
    spec the table cannot take. Returns the mapping it replaced (or None) and the new one."""
    if not NAME.match(name):
        raise ImportFailed(
            f"{name!r} cannot name a mapping (letters, digits, '.', '_' and '-', at most 64)"
        )
    label = f"mapping {name!r}"
    spec = parse_spec(spec_text, label)
    hold_write_lock(conn)
    target = target_in(conn, table)
    check_against(spec, label, target.name, list(target.columns))
    before = mapping_row(conn, name, lock=True)
    if before is not None and before.table != table:
        raise ImportFailed(f"{label} is for {before.table}; save it under another name for {table}")
    now = datetime.now(UTC).replace(tzinfo=None)
    values = {"table": table, "spec": spec_text, "updated_at": now, "updated_by": by}
    if before is None:
        conn.execute(sa.insert(ImportMapping).values(name=name, **values))
    else:
        conn.execute(sa.update(ImportMapping).where(ImportMapping.name == name).values(**values))
    return before, SavedMapping(name, table, spec_text, now, by)


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
