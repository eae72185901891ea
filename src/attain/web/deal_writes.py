"""Writing one deal from the API: checked against the hierarchy, upserted, recalculated live."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, insert, select

from attain.comp import live
from attain.data.schema import Deal, Person


class DealRejected(ValueError):
    """The deal names an owner who is not in the hierarchy."""


def upsert_deal(engine: Engine, values: dict[str, Any]) -> live.LiveResult:
    """Create or replace the deal with this id, then pay its payees again."""
    before = live.touched(engine, "deals", [values["id"]])
    with engine.begin() as conn:
        if (
            conn.execute(select(Person.id).where(Person.id == values["owner"]).limit(1)).first()
            is None
        ):
            raise DealRejected(f"no person {values['owner']!r} in the hierarchy")
        conn.execute(delete(Deal).where(Deal.id == values["id"]))
        conn.execute(insert(Deal).values(**values))
    return live.rows_changed(engine, "deals", [values["id"]], before)
