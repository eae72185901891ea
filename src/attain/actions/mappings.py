"""Mapping actions: save a named import mapping, with its audit entry in the same transaction."""

from __future__ import annotations

from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.data.ingest.saved import SavedMapping, write_mapping
from attain.data.store import get_engine


@user_action("mapping.save", capability="imports")
def save_mapping(
    db: str | None, actor: Actor, name: str, table: str, spec_text: str
) -> SavedMapping:
    """Save (or replace) the mapping `name` for `table`; refuses a spec the table cannot take."""
    require(actor, "imports")
    with transaction(get_engine(db)) as conn:
        before, saved = write_mapping(conn, name, table, spec_text, actor.name)
        audit(
            conn,
            actor,
            "mapping.save",
            "import_mapping",
            name,
            before=None if before is None else {"table": before.table, "spec": before.spec_text},
            after={"table": table, "spec": spec_text},
        )
    return saved
