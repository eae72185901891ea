"""Who does something: a name and a role. There is no user system yet; surfaces pass these in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

Role = Literal["admin", "finance", "manager", "rep", "system"]
ROLES: tuple[str, ...] = ("admin", "finance", "manager", "rep", "system")


@dataclass(frozen=True)
class Actor:
    """A person acting in a role; `system` is attain itself (a scheduled run, a migration)."""

    name: str
    role: Role

    @staticmethod
    def of(name: str, role: str) -> Actor:
        """An actor from text (a CLI flag, a form), refusing unknown roles."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        if not name.strip():
            raise ValueError("an actor needs a name")
        return Actor(name.strip(), cast(Role, role))


SYSTEM = Actor("attain", "system")
