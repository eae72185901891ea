"""The demo company's pay: its plans, who is on them, and one run over its whole history.

Sellers are assigned by role from the hierarchy (account executives, sales managers, store
associates, store managers), from the day they were hired or took the role until they left it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from attain.comp.runs import RunSummary, calculate_run
from attain.data.schema import Person, PlanAssignment
from attain.data.synth.demo import DemoContext

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


def assign_by_role(engine: Engine) -> int:
    """Replace the demo plans' assignments: one per person and role-holding spell."""
    spells: dict[tuple[str, str], tuple[date, date | None]] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.role, Person.valid_from, Person.valid_to, Person.hired)
        ).all()
    open_end = date.max
    for pid, role, start, end, hired in rows:
        plan = ROLE_PLANS.get(role or "")
        if plan is None:
            continue
        begin = max(start, _first_full_month(hired)) if hired else start
        finish = end or open_end
        known = spells.get((pid, plan))
        if known is not None:
            begin, finish = min(begin, known[0]), max(finish, known[1] or open_end)
        spells[(pid, plan)] = (begin, finish)
    values = [
        {"payee": p, "plan": plan, "valid_from": b, "valid_to": None if f == open_end else f}
        for (p, plan), (b, f) in sorted(spells.items())
    ]
    with engine.begin() as conn:
        conn.execute(delete(PlanAssignment).where(PlanAssignment.plan.in_(ROLE_PLANS.values())))
        if values:
            conn.execute(insert(PlanAssignment), values)
    return len(values)


def pay_step(ctx: DemoContext) -> None:
    """The demo step: pay the company's history from the first full year to its last day."""
    assert ctx.company is not None, "the company is built before it is paid"
    spec = ctx.company.spec
    start = date(spec.start.year + (spec.start != date(spec.start.year, 1, 1)), 1, 1)
    ctx.outputs["run"] = pay_demo(ctx.url, start, spec.end)


def pay_demo(url: str | None, start: date, end: date) -> RunSummary:
    """Assign the demo plans and calculate them over `start`..`end`, keeping the run."""
    from attain.data.store import get_engine

    assign_by_role(get_engine(url))
    return calculate_run(DEMO_PLANS, start, end, url=url)
