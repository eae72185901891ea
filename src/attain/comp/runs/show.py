"""Reading runs back: the list of runs, and a run's lines with their traces."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from attain.comp.runs.schema import CompRun, PayoutLine, RunCredit


@dataclass(frozen=True)
class StoredLine:
    """A payout line as the store keeps it, its trace parsed back (amounts as Decimal strings)."""

    plan: str
    payee: str
    period: str
    component: str
    amount: Decimal
    trace: dict[str, Any]


def run_warnings(run: CompRun) -> list[str]:
    """What the run found matching nothing (kept with each plan version it used)."""
    return [w for v in json.loads(run.plans) for w in v.get("warnings", [])]


def list_runs(engine: Engine, limit: int = 20) -> list[CompRun]:
    """The newest runs first."""
    with engine.connect() as conn:
        rows = conn.execute(select(CompRun).order_by(CompRun.created_at.desc()).limit(limit)).all()
    return [CompRun(**r._mapping) for r in rows]


def get_run(engine: Engine, run_id: str) -> CompRun | None:
    """A run by id, or by a unique prefix of it; `latest` is the newest run."""
    with engine.connect() as conn:
        if run_id == "latest":
            query = select(CompRun).order_by(CompRun.created_at.desc()).limit(1)
        else:
            query = select(CompRun).where(CompRun.id.startswith(run_id)).limit(2)
        rows = conn.execute(query).all()
    if len(rows) != 1:
        return None
    return CompRun(**rows[0]._mapping)


def run_lines(
    engine: Engine, run_id: str, payee: str | None = None, period: str | None = None
) -> list[StoredLine]:
    """A run's lines in payee, period, plan, component order; optionally one payee's or period's."""
    query = select(PayoutLine).where(PayoutLine.run_id == run_id)
    if payee is not None:
        query = query.where(PayoutLine.payee == payee)
    if period is not None:
        query = query.where(PayoutLine.period == period)
    query = query.order_by(
        PayoutLine.payee, PayoutLine.period, PayoutLine.plan, PayoutLine.component
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        StoredLine(r.plan, r.payee, r.period, r.component, r.amount, json.loads(r.trace))
        for r in rows
    ]


def run_credits(engine: Engine, run_id: str, credit_ids: list[str]) -> dict[str, RunCredit]:
    """The run's credits by id, for rendering a trace's credits with their source rows."""
    out: dict[str, RunCredit] = {}
    with engine.connect() as conn:
        for i in range(0, len(credit_ids), 500):
            chunk = credit_ids[i : i + 500]
            rows = conn.execute(
                select(RunCredit).where(RunCredit.run_id == run_id, RunCredit.credit_id.in_(chunk))
            ).all()
            out.update({r.credit_id: RunCredit(**r._mapping) for r in rows})
    return out
