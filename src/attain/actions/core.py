"""The pieces every action is made of: the registry, the capability check, the transaction
that holds the change and its audit entry, and the events told after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from attain.access import CAPABILITIES
from attain.actions.events import Event, publish
from attain.audit import record
from attain.audit.actor import Actor

F = TypeVar("F", bound=Callable[..., Any])
PENDING = "attain.pending_events"


class NotAllowed(PermissionError):
    """The actor's role does not have the capability the action needs."""


@dataclass(frozen=True)
class UserAction:
    """A write a user can cause: its audit name, the capability it needs, and the function."""

    name: str
    capability: str
    function: Callable[..., Any]


REGISTRY: dict[str, UserAction] = {}
"""Every registered action by audit name: what the audit test walks, what docs list."""


def user_action(name: str, *, capability: str) -> Callable[[F], F]:
    """Register a function as the action `name` (its audit entries carry this name)."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")

    def register(function: F) -> F:
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"action {name!r} is registered twice")
        REGISTRY[name] = UserAction(name, capability, function)
        return function

    return register


def require(actor: Actor, capability: str) -> None:
    """Refuse unless the actor's role has the capability (attain itself, `system`, always has)."""
    if actor.role == "system":
        return
    if actor.role not in CAPABILITIES[capability]:
        raise NotAllowed(f"{actor.name} ({actor.role}) may not use {capability}")


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; the events of the audit entries written in it are told after commit.

    On SQLite the write lock is taken at once: its driver opens a transaction only at the first
    change, so without it an action's checks (is this still the newest draft?) would read
    outside the transaction and two parallel actions could both pass them."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DELETE FROM audit_head WHERE 1 = 0")
        conn.info[PENDING] = []
        try:
            yield conn
            pending: list[Event] = conn.info.get(PENDING, [])
        finally:
            conn.info.pop(PENDING, None)
    publish(pending)


def lock_key(conn: Connection, key: str) -> None:
    """Serialise the actions on one named thing (`pay_disputes:ana`, `process_log:loans`) until
    the transaction ends, so each one's checks and writes see the one before it whole.

    PostgreSQL: an advisory lock on the key. SQLite: `transaction` holds the store's write lock
    already."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%(k)s))", {"k": key})


def audit(
    conn: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> int:
    """Write the action's audit entry in the caller's transaction, and queue its event."""
    seq = record(conn, actor, action, entity, entity_id, before=before, after=after, reason=reason)
    pending = conn.info.get(PENDING)
    if pending is not None:
        pending.append(Event(action, actor, entity, entity_id, after, seq))
    return seq
