"""Payout periods: their order, and close / reopen.

A period is named as the engine names it (`2027-01`, `2027-Q1`, `2027-W05`, `2027`); its kind
follows from the name. A period is prepared only once it is over and the runs in its ledger
cover all of it (`prepare_refusal`): a week with one day of history is not a week's pay. Finance
closes a period once its payouts are approved; an admin may
reopen it, with a reason, and the reopen is in the audit log like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from attain import clock
from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.clock import now
from attain.comp.engine.periods import Period, period_named, period_of
from attain.comp.engine.periods import kind_of as kind_of
from attain.comp.runs.schema import CompRun
from attain.pay.actions import action, engine_of, lock_period, require
from attain.pay.errors import PayError
from attain.pay.schema import LedgerLine, PayPeriod

Span = tuple[date, date]


def parse_period(period: str) -> Period:
    """The period named `period`, refusing names the engine would never produce."""
    try:
        return period_named(period)
    except ValueError as e:
        raise PayError(str(e)) from None


def next_period(period: str) -> str:
    """The period right after `period`, of the same kind."""
    p = parse_period(period)
    return period_of(p.end + timedelta(days=1), kind_of(period)).key


def current_day() -> date:
    """Today, as the lifecycle judges whether a period is over (ATTAIN_TODAY may pin it)."""
    return clock.today()


def refusal_for(period: str, spans: list[Span], today: date) -> str | None:
    """Why `period` cannot be prepared given its runs' spans, or None when it can."""
    p = parse_period(period)
    if p.end >= today:
        return f"period {period} is not over until {p.end}"
    for start, end in sorted(spans):
        if start > p.start or end < p.end:
            return (
                f"period {period} is {p.start} to {p.end} but its run covers only "
                f"{max(start, p.start)} to {min(end, p.end)}: run the whole period first"
            )
    return None


def run_spans(conn: Connection, periods: list[str] | None = None) -> dict[str, list[Span]]:
    """The spans of the runs whose calculated lines are in each period's ledger."""
    query = (
        select(LedgerLine.period, CompRun.span_from, CompRun.span_to)
        .join(CompRun, CompRun.id == LedgerLine.run_id)
        .where(LedgerLine.kind == "calculated")
        .distinct()
    )
    if periods is not None:
        query = query.where(LedgerLine.period.in_(periods))
    out: dict[str, list[Span]] = {}
    for period, start, end in conn.execute(query):
        out.setdefault(period, []).append((start, end))
    return out


def prepare_refusal(conn: Connection, period: str, today: date | None = None) -> str | None:
    """Why the period's payouts cannot be prepared yet (not over, or only partly calculated)."""
    spans = run_spans(conn, [period]).get(period, [])
    return refusal_for(period, spans, today or current_day())


@dataclass(frozen=True)
class PeriodState:
    period: str
    status: str
    version: int
    cycle: int
    prepared_by: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None


def period_states(url: str | Engine | None) -> list[PeriodState]:
    """Every period the lifecycle has touched, in name order."""
    with engine_of(url).connect() as conn:
        rows = conn.execute(select(PayPeriod).order_by(PayPeriod.period)).mappings().all()
    return [
        PeriodState(
            r["period"],
            r["status"],
            r["version"],
            r["cycle"],
            r["prepared_by"],
            r["closed_by"],
            r["closed_at"],
        )
        for r in rows
    ]


def period_state(url: str | Engine | None, period: str) -> PeriodState:
    parse_period(period)
    for s in period_states(url):
        if s.period == period:
            return s
    return PeriodState(period, "open", 0, 0)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("status", "version", "cycle")}


@user_action("period.close", capability="close")
def close_period(url: str | Engine | None, period: str, actor: Actor) -> PeriodState:
    """Finance closes an approved period: from now on its lines never change."""
    parse_period(period)
    require(actor, "close", doing="close a period")
    with action(url) as conn:
        row = lock_period(conn, period)
        if row["status"] == "closed":
            raise PayError(f"period {period} is already closed")
        if row["status"] != "approved":
            raise PayError(
                f"period {period} is {row['status']}: approve its payouts before closing"
            )
        t = now()
        conn.execute(
            update(PayPeriod)
            .where(PayPeriod.period == period)
            .values(status="closed", closed_by=actor.name, closed_at=t, version=row["version"] + 1)
        )
        audit(
            conn,
            actor,
            "period.close",
            "period",
            period,
            before=_public(row),
            after={**_public(row), "status": "closed", "version": row["version"] + 1},
        )
    return period_state(url, period)


@user_action("period.reopen", capability="reopen")
def reopen_period(url: str | Engine | None, period: str, actor: Actor, reason: str) -> PeriodState:
    """An admin reopens a closed period, with a reason; its approvals start over."""
    parse_period(period)
    require(actor, "reopen", doing="reopen a period")
    if not reason or not reason.strip():
        raise PayError("reopening a period needs a reason")
    with action(url) as conn:
        row = lock_period(conn, period)
        if row["status"] != "closed":
            raise PayError(f"period {period} is not closed ({row['status']})")
        after = {"status": "open", "version": row["version"] + 1, "cycle": row["cycle"] + 1}
        # logged first: the store lets a closed period open only right after its reopen entry
        audit(
            conn,
            actor,
            "period.reopen",
            "period",
            period,
            before=_public(row),
            after=after,
            reason=reason.strip(),
        )
        conn.execute(
            update(PayPeriod)
            .where(PayPeriod.period == period)
            .values(**after, closed_by=None, closed_at=None, prepared_by=None, prepared_at=None)
        )
    return period_state(url, period)
