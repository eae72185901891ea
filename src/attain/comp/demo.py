"""The demo company's pay: its plans, who is on them, and one run over its whole history.

Sellers are assigned by role from the hierarchy (account executives, sales managers, store
associates, store managers), from the day they were hired or took the role until they left it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from attain.comp.runs import RunSummary, calculate_run
from attain.data.schema import Person, PlanAssignment
from attain.data.synth.demo import DemoContext
from attain.data.synth.spec import SynthSpec

DEMO_PLANS = Path(__file__).with_name("demo_plans")
ROLE_PLANS = {
    "account_executive": "ae",
    "sales_manager": "sales_manager",
    "store_associate": "store_associate",
    "store_manager": "store_manager",
}


def _first_full_month(day: date) -> date:
    """New hires join their plan on the first day of their first full month, as payroll does."""
    if day.day == 1:
        return day
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


Spell = tuple[str, str, date, date | None]
"""(payee, plan, first day, last day or none): one person on one demo plan."""


def role_spells(
    people: Iterable[tuple[str, str | None, date, date | None, date | None]],
) -> list[Spell]:
    """The demo plans' assignments from people rows (id, role, valid_from, valid_to, hired):
    one per person and role-holding spell, from their first full month."""
    spells: dict[tuple[str, str], tuple[date, date]] = {}
    open_end = date.max
    for pid, role, start, end, hired in people:
        plan = ROLE_PLANS.get(role or "")
        if plan is None:
            continue
        begin = max(start, _first_full_month(hired)) if hired else start
        finish = end or open_end
        known = spells.get((pid, plan))
        if known is not None:
            begin, finish = min(begin, known[0]), max(finish, known[1])
        spells[(pid, plan)] = (begin, finish)
    return [
        (p, plan, b, None if f == open_end else f) for (p, plan), (b, f) in sorted(spells.items())
    ]


def assign_by_role(engine: Engine) -> int:
    """Replace the demo plans' assignments with the people table's role spells."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.role, Person.valid_from, Person.valid_to, Person.hired)
        ).all()
    values = [
        {"payee": p, "plan": plan, "valid_from": b, "valid_to": f}
        for p, plan, b, f in role_spells((r[0], r[1], r[2], r[3], r[4]) for r in rows)
    ]
    with engine.begin() as conn:
        conn.execute(delete(PlanAssignment).where(PlanAssignment.plan.in_(ROLE_PLANS.values())))
        if values:
            conn.execute(insert(PlanAssignment), values)
    return len(values)


def pay_span(spec: SynthSpec) -> tuple[date, date]:
    """What the demo pays: from the first full calendar year of history to its last day."""
    start = date(spec.start.year + (spec.start != date(spec.start.year, 1, 1)), 1, 1)
    return start, spec.end


def pay_step(ctx: DemoContext) -> None:
    """The demo step: pay the company's history from the first full year to its last day."""
    assert ctx.company is not None, "the company is built before it is paid"
    ctx.outputs["run"] = pay_demo(ctx.url, *pay_span(ctx.company.spec))


def pay_demo(url: str | None, start: date, end: date) -> RunSummary:
    """Assign the demo plans and calculate them over `start`..`end`, keeping the run."""
    from attain.data.store import get_engine

    assign_by_role(get_engine(url))
    return calculate_run(DEMO_PLANS, start, end, url=url)
