"""Who is asking, and whether their role has a feature."""

from __future__ import annotations

from dataclasses import dataclass

from attain.access.capabilities import CAPABILITIES, Forbidden
from attain.audit.actor import Actor


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


def actor_of(viewer: Viewer) -> Actor:
    """The viewer as the pay lifecycle knows them: reps and managers by their person id (the
    lifecycle checks "their own" and "their team" by it), others by username."""
    name = viewer.person if viewer.role in ("rep", "manager") and viewer.person else viewer.username
    return Actor.of(name, viewer.role)
