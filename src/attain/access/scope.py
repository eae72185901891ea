"""Which payees a viewer may see: the one rule, for pages, API, CLI, statements and disputes.

- admin and finance (and the system) see every payee;
- a manager sees a payee's lines, statements and disputes for the periods in which the payee
  reported to them, at any depth, on any day of the period ("as of the period a line belongs
  to"); lists of "my team" follow the hierarchy as of today;
- a rep (and a manager, for their own pay) sees only themselves.

Another payee's object answers "not found" (never "forbidden"), so a rep cannot even learn that
a colleague's line exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine

from attain import clock
from attain.access.viewer import Viewer
from attain.comp.engine.periods import period_named
from attain.hierarchy import managers_over, team_of

SEES_EVERYONE = frozenset({"admin", "finance", "system"})


class NotVisible(LookupError):
    """The object belongs to a payee the viewer may not see, or does not exist (404)."""


@dataclass(frozen=True)
class Scope:
    """The payees a viewer may see today (`payees` None means everyone), and for a manager who
    they are, so that what belongs to a period is judged by the hierarchy of that period."""

    payees: frozenset[str] | None
    manager: str | None = None

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

    def sees_in(self, engine: Engine, payee: str | None, period: str) -> bool:
        """Whether the viewer may see `payee`'s lines, statement and disputes of `period`."""
        if payee is None or self.manager is None:
            return self.sees(payee)
        try:
            return sees_in_period(engine, "manager", self.manager, payee, period)
        except ValueError:
            return False

    def check_in(self, engine: Engine, payee: str | None, period: str) -> None:
        """Raise `NotVisible` unless the viewer may see `payee`'s objects of `period`."""
        if not self.sees_in(engine, payee, period):
            raise NotVisible(payee or "")


def scope_of(engine: Engine, viewer: Viewer, today: dt.date | None = None) -> Scope:
    """The payees this viewer may see today (the team as of today, for a manager)."""
    if viewer.role in SEES_EVERYONE:
        return Scope(None)
    if viewer.person is None:
        return Scope(frozenset())
    if viewer.role == "manager":
        return Scope(team_of(engine, viewer.person, today or clock.today()), viewer.person)
    return Scope(frozenset({viewer.person}))


def sees_in_period(engine: Engine, role: str, person: str | None, payee: str, period: str) -> bool:
    """Whether someone of `role` (a rep or manager: as `person`) may see `payee`'s lines,
    statement and disputes of `period` (a period name; a bad one is a ValueError)."""
    if role in SEES_EVERYONE:
        return True
    if person is None:
        return False
    if person == payee:
        return True
    if role != "manager":
        return False
    p = period_named(period)
    return person in managers_over(engine, payee, p.start, p.end)
