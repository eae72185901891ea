"""The one actions layer: every write a user can cause is a function here or in an engine's
actions module built on it (`attain.pay.actions`, `attain.quota.drafts`).

An action takes the acting user, checks the capability (`attain.access.CAPABILITIES`, the one
rule), owns the transaction, writes one entry to the hash-chained audit log, and once the
transaction has committed emits an event that later modules (automation, alerts) subscribe to.
Routes and CLI commands only parse, call and print.

    @user_action("plan.publish", capability="plans.edit")
    def publish(engine, actor, plan, version): ...
        with transaction(engine) as conn:
            require(actor, "plans.edit")
            ...
            audit(conn, actor, "plan.publish", "plan", plan, before=..., after=...)
"""

from __future__ import annotations

from attain.actions.core import (
    REGISTRY,
    NotAllowed,
    UserAction,
    audit,
    require,
    transaction,
    user_action,
)
from attain.actions.events import Event, subscribe

__all__ = [
    "REGISTRY",
    "Event",
    "NotAllowed",
    "UserAction",
    "audit",
    "require",
    "subscribe",
    "transaction",
    "user_action",
]
