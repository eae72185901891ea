"""A small paid company with one user per role, built once per test session and copied per test."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select

from attain.actions.accounts import add_user, new_api_token
from attain.audit.actor import SYSTEM
from attain.comp.demo import pay_step
from attain.comp.runs.published import latest_run
from attain.data.schema import Person
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate, last_complete_month_start, write_store
from attain.data.synth.demo import DemoContext
from attain.pay.demo import publish_step

PASSWORDS = {
    "admin": "admin-pass-1",
    "finance": "finance-pass-1",
    "manager": "manager-pass-1",
    "rep": "rep-pass-1234",
}


@dataclass
class Company:
    """Where the store is, who is who, and an API token per role."""

    path: Path
    manager: str
    rep: str
    """A rep in the manager's team."""
    other_rep: str
    """A rep outside the manager's team."""
    tokens: dict[str, str] = field(default_factory=dict)
    run_id: str = ""

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def copy(self, folder: Path) -> Company:
        target = folder / "attain.db"
        shutil.copy(self.path, target)
        return Company(
            target, self.manager, self.rep, self.other_rep, dict(self.tokens), self.run_id
        )


def build(folder: Path) -> Company:
    path = folder / "attain.db"
    url = f"sqlite:///{path}"
    today = dt.date.today()
    spec = SynthSpec(
        seed=11, b2b_reps=18, b2c_associates=4, years=1, start=last_complete_month_start(today, 1)
    )
    ctx = DemoContext(url=url, company=generate(spec))
    engine = get_engine(url)
    write_store(ctx.company, engine, replace=True)  # type: ignore[arg-type]
    pay_step(ctx)
    publish_step(ctx)  # pages show the published run only
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.manager, Person.role).where(
                Person.valid_from <= today, or_(Person.valid_to.is_(None), Person.valid_to >= today)
            )
        ).all()
    reps: dict[str, list[str]] = {}
    for pid, manager, role in rows:
        if role == "account_executive" and manager:
            reps.setdefault(manager, []).append(pid)
    managers = sorted(reps, key=lambda m: (-len(reps[m]), m))
    manager = managers[0]
    rep = sorted(reps[manager])[0]
    other = next(p for m in managers[1:] for p in sorted(reps[m]))
    company = Company(path, manager, rep, other)
    for role, password in PASSWORDS.items():
        person = {"manager": manager, "rep": rep}.get(role)
        add_user(engine, SYSTEM, role, password, role, person)
        company.tokens[role] = new_api_token(engine, SYSTEM, role)
    run = latest_run(engine)
    assert run is not None
    company.run_id = run.id
    engine.dispose()
    return company
