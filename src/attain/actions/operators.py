"""Mapping a local operator: which attain user an OS user's CLI commands act as.

An admin decides it, like a role; one transaction with one audit entry naming the mapping
before and after, so who could act as whom on the command line is on the record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, insert, select, update

from attain.accounts.operators import Operator
from attain.accounts.schema import User
from attain.accounts.users import UserError
from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor

MANAGE = "users.manage"


@user_action("operator.map", capability=MANAGE)
def map_operator(engine: Engine, actor: Actor, os_user: str, username: str | None) -> None:
    """Map an OS user to an active attain user, or (`username` None) remove their mapping."""
    require(actor, MANAGE)
    os_user = os_user.strip()
    if not os_user:
        raise UserError("an OS user name is required")
    with transaction(engine) as conn:
        before = conn.execute(
            select(User.username)
            .join(Operator, Operator.user_id == User.id)
            .where(Operator.os_user == os_user)
        ).scalar()
        if username is None:
            if before is None:
                raise UserError(f"{os_user} is not mapped to any user")
            conn.execute(delete(Operator).where(Operator.os_user == os_user))
        else:
            user = conn.execute(
                select(User.id, User.active).where(User.username == username)
            ).first()
            if user is None:
                raise UserError(f"no user {username!r}")
            if not user.active:
                raise UserError(f"{username} is deactivated: activate them first")
            if before == username:
                raise UserError(f"{os_user} acts as {username} already")
            values = {
                "user_id": user.id,
                "mapped_by": actor.name,
                "mapped_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            }
            if before is None:
                conn.execute(insert(Operator).values(os_user=os_user, **values))
            else:
                conn.execute(update(Operator).where(Operator.os_user == os_user).values(**values))
        audit(
            conn,
            actor,
            "operator.map",
            "operator",
            os_user,
            before={"user": before},
            after={"user": username},
        )
