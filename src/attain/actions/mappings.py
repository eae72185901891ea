"""Saving a named import mapping: a user's write, with its audit entry in the same transaction,
so a mapping is never changed without a record of who changed it from what."""

from __future__ import annotations

import sqlalchemy as sa

from attain.audit import record
from attain.audit.actor import Actor
from attain.clock import now
from attain.data.ingest.problems import ImportFailed
from attain.data.ingest.saved import NAME, SavedMapping, mapping_row, target_in
from attain.data.ingest.spec import check_against, parse_spec
from attain.data.ingest.upsert import hold_write_lock
from attain.data.schema import ImportMapping
from attain.data.store import get_engine


def save_mapping(
    db: str | None, name: str, table: str, spec_text: str, actor: Actor
) -> SavedMapping:
    """Save (or replace) the mapping `name` for `table`; refuses a spec the table cannot take."""
    if not NAME.match(name):
        raise ImportFailed(
            f"{name!r} cannot name a mapping (letters, digits, '.', '_' and '-', at most 64)"
        )
    label = f"mapping {name!r}"
    spec = parse_spec(spec_text, label)
    with get_engine(db).begin() as conn:
        hold_write_lock(conn)
        target = target_in(conn, table)
        check_against(spec, label, target.name, list(target.columns))
        before = mapping_row(conn, name, lock=True)
        if before is not None and before.table != table:
            raise ImportFailed(
                f"{label} is for {before.table}; save it under another name for {table}"
            )
        at = now()
        values = {"table": table, "spec": spec_text, "updated_at": at, "updated_by": actor.name}
        if before is None:
            conn.execute(sa.insert(ImportMapping).values(name=name, **values))
        else:
            conn.execute(
                sa.update(ImportMapping).where(ImportMapping.name == name).values(**values)
            )
        record(
            conn,
            actor,
            "mapping.save",
            "import_mapping",
            name,
            before=None if before is None else {"table": before.table, "spec": before.spec_text},
            after={"table": table, "spec": spec_text},
        )
    return SavedMapping(name, table, spec_text, at, actor.name)
