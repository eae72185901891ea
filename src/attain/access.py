"""Who sees what: the ONE place that decides it, for pages, API, exports, search and lists alike.

- admin and finance see every payee;
- a manager sees the people under them in the hierarchy as of today (and themselves);
- a rep sees only themselves.

Another payee's object answers "not found" (never "forbidden"), so a rep cannot even learn that a
colleague's line exists. A whole feature a role does not have (plans, imports, users) answers
"forbidden". Every route asks here: `require(viewer, capability)` and `scope.check(payee)`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, or_, select

from attain.audit.actor import Actor
from attain.data.schema import Person

CAPABILITIES: dict[str, frozenset[str]] = {
    "pay.own": frozenset({"rep", "manager"}),
    "pay.view": frozenset({"admin", "finance", "manager", "rep"}),
    "team.view": frozenset({"admin", "finance", "manager"}),
    "whatif": frozenset({"admin", "finance", "manager", "rep"}),
    "runs.view": frozenset({"admin", "finance"}),
    "runs.start": frozenset({"admin"}),
    "plans.view": frozenset({"admin", "finance"}),
    "plans.edit": frozenset({"admin"}),
    "imports": frozenset({"admin"}),
    "deals.write": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "payouts.view": frozenset({"admin", "finance"}),
    "exports": frozenset({"admin", "finance"}),
    "approvals": frozenset({"admin", "finance", "manager"}),
    "ledger.publish": frozenset({"admin", "finance"}),
    "adjust": frozenset({"admin", "finance"}),
    "disputes.view": frozenset({"admin", "finance", "manager", "rep"}),
    "disputes.raise": frozenset({"manager", "rep"}),
    "disputes.queue": frozenset({"admin", "finance"}),
    "disputes.assign": frozenset({"admin", "finance", "manager"}),
    "close": frozenset({"admin", "finance"}),
    "reopen": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
    "quotas.plan": frozenset({"admin", "finance"}),
}
"""Capability -> roles that have it. A route names one capability; nothing else grants access."""


class Forbidden(Exception):
    """The viewer's role does not have this feature (403)."""


class NotVisible(LookupError):
    """The object belongs to a payee the viewer may not see, or does not exist (404)."""


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a user's id, name, role and (for reps and managers) their person."""

    user_id: int
    username: str
    role: str
    person: str | None


def allows(viewer: Viewer, capability: str) -> bool:
    return viewer.role in CAPABILITIES[capability]


def require(viewer: Viewer, capability: str) -> None:
    """Raise `Forbidden` unless the viewer's role has the capability."""
    if not allows(viewer, capability):
        raise Forbidden(f"a {viewer.role} cannot use {capability}")


@dataclass(frozen=True)
class Scope:
    """The payees a viewer may see: `payees` None means everyone."""

    payees: frozenset[str] | None

    @property
    def everyone(self) -> bool:
        return self.payees is None

    def sees(self, payee: str | None) -> bool:
        return payee is not None and (self.payees is None or payee in self.payees)

    def check(self, payee: str | None) -> None:
        """Raise `NotVisible` unless the viewer may see this payee's objects."""
        if not self.sees(payee):
            raise NotVisible(payee or "")

    def filter(self, payees: Iterable[str]) -> list[str]:
        return [p for p in payees if self.sees(p)]


_TREE_TTL = 30.0
_trees: dict[tuple[str, dt.date], tuple[float, dict[str, list[str]]]] = {}
_lock = threading.Lock()


def reports_as_of(engine: Engine, day: dt.date) -> dict[str, list[str]]:
    """Manager -> direct reports, from the hierarchy in force on `day` (cached briefly)."""
    key = (str(engine.url), day)
    now = time.monotonic()
    with _lock:
        hit = _trees.get(key)
    if hit is not None and now - hit[0] < _TREE_TTL:
        return hit[1]
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.manager).where(
                Person.valid_from <= day, or_(Person.valid_to.is_(None), Person.valid_to >= day)
            )
        ).all()
    tree: dict[str, list[str]] = defaultdict(list)
    for pid, manager in rows:
        if manager:
            tree[manager].append(pid)
    with _lock:
        _trees[key] = (now, dict(tree))
    return dict(tree)


def forget_hierarchy() -> None:
    """Drop the cached hierarchy (after people are imported)."""
    with _lock:
        _trees.clear()


def team_of(engine: Engine, manager: str, day: dt.date) -> frozenset[str]:
    """Everyone under `manager` on `day`, at any depth, and the manager."""
    tree = reports_as_of(engine, day)
    seen = {manager}
    todo = [manager]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return frozenset(seen)


def scope_of(engine: Engine, viewer: Viewer, today: dt.date | None = None) -> Scope:
    """The payees this viewer may see today."""
    if viewer.role in ("admin", "finance"):
        return Scope(None)
    if viewer.person is None:
        return Scope(frozenset())
    if viewer.role == "manager":
        return Scope(team_of(engine, viewer.person, today or dt.date.today()))
    return Scope(frozenset({viewer.person}))


def actor_of(viewer: Viewer) -> Actor:
    """The viewer as the pay lifecycle knows them: reps and managers by their person id (the
    lifecycle checks "their own" and "their team" by it), others by username."""
    name = viewer.person if viewer.role in ("rep", "manager") and viewer.person else viewer.username
    return Actor.of(name, viewer.role)
