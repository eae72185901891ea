"""A run as the lifecycle needs it: its plans (parsed from the recorded texts) and its lines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from attain.comp.language import Plan, load_plans
from attain.comp.runs import get_run
from attain.comp.runs.schema import CompRun, PayoutLine
from attain.pay.errors import PayError


@dataclass(frozen=True)
class RunLine:
    plan: str
    payee: str
    period: str
    component: str
    amount: Decimal
    credit_ids: tuple[str, ...]


def find_run(engine: Engine, run_id: str) -> CompRun:
    found = get_run(engine, run_id)
    if found is None:
        raise PayError(f"no run {run_id!r} (list them with: attain comp runs)")
    return found


def recorded_plans(run: CompRun) -> list[Plan]:
    """The plans exactly as the run used them, parsed from the texts it recorded."""
    versions: list[dict[str, Any]] = json.loads(run.plans)
    wanted = {v["id"] for v in versions}
    plans: dict[str, Plan] = {}
    for text in dict.fromkeys(v["text"] for v in versions):
        for plan in load_plans(text):
            if plan.id in wanted:
                plans[plan.id] = plan
    return [plans[i] for i in sorted(plans)]


def stored_run_lines(engine: Engine, run_id: str) -> list[RunLine]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                PayoutLine.plan,
                PayoutLine.payee,
                PayoutLine.period,
                PayoutLine.component,
                PayoutLine.amount,
                PayoutLine.trace,
            ).where(PayoutLine.run_id == run_id)
        ).all()
    out = []
    for r in rows:
        ids = tuple(json.loads(r.trace).get("credit_ids", ())) if "credit_ids" in r.trace else ()
        out.append(RunLine(r.plan, r.payee, r.period, r.component, r.amount, ids))
    return out


def span(run: CompRun) -> tuple[date, date]:
    return run.span_from, run.span_to
