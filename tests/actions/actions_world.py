"""A small paid company for the action scenarios, and the check each scenario makes: the action
leaves exactly the audit entries it should, naming the actor who did it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, select

from attain.audit import AuditRecord, entries
from attain.audit.actor import Actor
from attain.audit.schema import AuditEntry
from attain.comp.runs import calculate_run
from attain.data.schema import Deal, Person, PlanAssignment, Territory
from attain.data.store import get_engine, session
from attain.pay import publish_run

PLAN = """id: ae
currency: USD
period: month
credits:
  - id: owner
    from: deals
    where: stage == "closed_won"
    to: owner
    value: amount
    date: close_date
measures:
  bookings: {sum: value}
components:
  - {id: commission, measure: bookings, rate: 0.10}
"""

ADMIN = Actor("ada", "admin")
FINANCE = Actor("fay", "finance")
PREPARER = Actor("pat", "finance")
MANAGER = Actor("mia", "manager")
REP = Actor("ana", "rep")
SELLER = {"role": "ae", "territory": "west", "hired": dt.date(2026, 1, 1)}


def _deal(id: str, owner: str, amount: str, day: dt.date) -> Deal:
    return Deal(
        id=id,
        owner=owner,
        stage="closed_won",
        amount=Decimal(amount),
        currency="USD",
        close_date=day,
    )


@dataclass
class World:
    """A store with two reps under a manager, paid by one published run of plan `ae`."""

    url: str
    plans: Path
    files: Path
    checked: list[str] = field(default_factory=list)

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    def newest_seq(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(AuditEntry.seq))).scalar() or 0)

    def since(self, seq: int) -> list[AuditRecord]:
        return [e for e in reversed(entries(self.engine, limit=10_000)) if e.seq > seq]

    @contextmanager
    def expect(self, actor: Actor, *actions: str) -> Iterator[None]:
        """The block writes exactly these audit entries, in order, each naming `actor`."""
        seq = self.newest_seq()
        yield
        written = self.since(seq)
        assert [e.action for e in written] == list(actions), written
        assert all((e.actor, e.role) == (actor.name, actor.role) for e in written), written
        self.checked.extend(actions)


def build_world(url: str, folder: Path) -> World:
    plans = folder / "plans"
    plans.mkdir()
    (plans / "ae.yaml").write_text(PLAN, encoding="utf-8")
    files = folder / "files"
    files.mkdir()
    d = dt.date
    with session(url) as s:
        s.add_all(
            [
                Territory(id="west", name="West"),
                Person(id="ana", name="Ana Reyes", manager="mia", **SELLER),
                Person(id="ben", name="Ben Ode", manager="mia", **SELLER),
                Person(id="mia", name="Mia Holt"),
            ]
        )
        s.add_all(
            [PlanAssignment(payee=p, plan="ae", valid_from=d(2027, 1, 1)) for p in ("ana", "ben")]
        )
        s.add_all(
            [
                _deal("d1", "ana", "10000", d(2027, 1, 10)),
                _deal("d2", "ana", "5000", d(2027, 1, 20)),
                _deal("d3", "ben", "8000", d(2027, 1, 15)),
                _deal("d4", "ana", "2000", d(2027, 2, 5)),
            ]
        )
    world = World(url, plans, files)
    summary = calculate_run(plans, d(2027, 1, 1), d(2027, 2, 28), url=url)
    publish_run(url, summary.id, FINANCE)
    return world


Scenario = Callable[[World], None]
"""Sets up what the action needs, then runs it inside `world.expect(actor, name, ...)`."""
