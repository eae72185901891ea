"""Deal actions: create or replace one deal, audited, then its payees recalculated live.

The recalculation runs after commit, so a deal is checked first against what the engine can pay
(`attain.data.ranges`): a deal that is kept can always be recalculated, and never makes later
runs over its period fail.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.comp import live
from attain.data.ranges import amount_problem, day_problem
from attain.data.schema import Deal, Person


class DealRejected(ValueError):
    """The deal names an owner who is not in the hierarchy, or an amount or day out of range."""


def out_of_range(values: dict[str, Any]) -> str | None:
    """The first amount or day of a deal the engine cannot pay, said with its field, or None."""
    for name, value in values.items():
        problem = None
        if isinstance(value, Decimal):
            problem = amount_problem(value)
        elif isinstance(value, dt.date):
            problem = day_problem(value)
        if problem is not None:
            return f"{name}: {problem}"
    return None


@user_action("deal.upsert", capability="deals.write")
def upsert_deal(engine: Engine, actor: Actor, values: dict[str, Any]) -> live.LiveResult:
    """Create or replace the deal with this id, then pay its payees again."""
    require(actor, "deals.write")
    problem = out_of_range(values)
    if problem is not None:
        raise DealRejected(f"deal {values.get('id')!r}, {problem}")
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
