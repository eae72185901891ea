"""Demo logins, one per role: a rep and their manager from the demo company, an admin, finance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, or_, select

from attain.accounts.users import authenticate, find_user
from attain.actions.accounts import add_user, change_role, set_active, set_password
from attain.audit.actor import SYSTEM
from attain.data.schema import Person, PlanAssignment
from attain.data.synth.demo import DemoContext


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    person: str | None


def _demo_people(engine: Engine, today: dt.date) -> tuple[str | None, str | None]:
    """A sales manager with the most account executives today, and one of their reps."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.manager, Person.role).where(
                Person.valid_from <= today, or_(Person.valid_to.is_(None), Person.valid_to >= today)
            )
        ).all()
        assigned = set(
            conn.execute(select(PlanAssignment.payee).where(PlanAssignment.plan == "ae")).scalars()
        )
    reps: dict[str, list[str]] = {}
    for pid, manager, role in rows:
        if role == "account_executive" and manager and pid in assigned:
            reps.setdefault(manager, []).append(pid)
    if not reps:
        return None, None
    manager = max(sorted(reps), key=lambda m: len(reps[m]))
    return manager, sorted(reps[manager])[0]


def ensure_login(engine: Engine, login: DemoLogin) -> None:
    """Make the login as wanted, through the account actions, changing only what differs (a
    second `attain demo` leaves no audit entries for logins already right)."""
    existing = find_user(engine, login.username)
    if existing is None:
        add_user(engine, SYSTEM, login.username, login.password, login.role, login.person)
        return
    if (existing.role, existing.person) != (login.role, login.person):
        change_role(engine, SYSTEM, login.username, login.role, login.person)
    if not existing.active:
        set_active(engine, SYSTEM, login.username, True)
    if authenticate(engine, login.username, login.password) is None:
        set_password(engine, SYSTEM, login.username, login.password)


def ensure_demo_users(engine: Engine, today: dt.date | None = None) -> list[DemoLogin]:
    """Create (or reset) the demo logins and return them, to print beside the address."""
    manager, rep = _demo_people(engine, today or dt.date.today())
    wanted = [
        DemoLogin("admin", "admin", "demo-admin-pass", None),
        DemoLogin("finance", "finance", "demo-finance-pass", None),
    ]
    if manager:
        wanted.append(DemoLogin("manager", "manager", "demo-manager-pass", manager))
    if rep:
        wanted.append(DemoLogin("rep", "rep", "demo-rep-pass", rep))
    for login in wanted:
        ensure_login(engine, login)
    return wanted


def logins_step(ctx: DemoContext) -> None:
    """The demo step that makes the logins, served or not (`attain serve` later finds them)."""
    from attain.data.store import get_engine

    ctx.outputs["logins"] = ensure_demo_users(get_engine(ctx.url), ctx.today)
