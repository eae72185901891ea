"""Deal actions: create or replace one deal, audited, then its payees recalculated live.

The recalculation runs after commit: the deal and its audit entry stand even if it fails (the
published run stays shown until the next one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, insert, select

from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.comp import live
from attain.data.schema import Deal, Person


class DealRejected(ValueError):
    """The deal names an owner who is not in the hierarchy."""


@user_action("deal.upsert", capability="deals.write")
def upsert_deal(engine: Engine, actor: Actor, values: dict[str, Any]) -> live.LiveResult:
    """Create or replace the deal with this id, then pay its payees again."""
    require(actor, "deals.write")
    before_payees = live.touched(engine, "deals", [values["id"]])
    with transaction(engine) as conn:
        if (
            conn.execute(select(Person.id).where(Person.id == values["owner"]).limit(1)).first()
            is None
        ):
            raise DealRejected(f"no person {values['owner']!r} in the hierarchy")
        old = conn.execute(select(Deal).where(Deal.id == values["id"])).mappings().first()
        conn.execute(delete(Deal).where(Deal.id == values["id"]))
        conn.execute(insert(Deal).values(**values))
        audit(
            conn,
            actor,
            "deal.upsert",
            "deal",
            str(values["id"]),
            before=None if old is None else dict(old),
            after=values,
        )
    return live.rows_changed(engine, "deals", [values["id"]], before_payees)
