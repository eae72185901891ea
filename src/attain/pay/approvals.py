"""Approving a period's payouts: prepared by one person, approved level by level by others.

The levels are `APPROVAL_LEVELS` in order (a manager, then finance). Nobody approves numbers
they prepared, and nobody approves at two levels. Each step locks the period's row, and an
approval names the period version it saw, so an approval racing a recalculation or another
approval of the same period has exactly one winner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, insert, select, update

from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.clock import now
from attain.pay.actions import action, engine_of, lock_period, require, require_role
from attain.pay.errors import NotAllowed, PayError
from attain.pay.periods import PeriodState, parse_period, period_state, prepare_refusal
from attain.pay.schema import Approval, PayPeriod

APPROVAL_LEVELS: tuple[str, ...] = ("manager", "finance")
"""Who approves, in order; the role of each level (an admin may approve at any level)."""


@dataclass(frozen=True)
class ApprovalStep:
    level: str
    approved_by: str
    approved_at: datetime
    version: int


def approvals(url: str | Engine | None, period: str) -> list[ApprovalStep]:
    """The current cycle's approvals of a period, in level order."""
    with engine_of(url).connect() as conn:
        cycle = conn.execute(select(PayPeriod.cycle).where(PayPeriod.period == period)).scalar()
        rows = (
            conn.execute(
                select(Approval).where(Approval.period == period, Approval.cycle == (cycle or 0))
            )
            .mappings()
            .all()
        )
    steps = [
        ApprovalStep(r["level"], r["approved_by"], r["approved_at"], r["version"]) for r in rows
    ]
    return sorted(steps, key=lambda s: APPROVAL_LEVELS.index(s.level))


@user_action("period.prepare", capability="approvals")
def prepare_period(
    url: str | Engine | None, period: str, actor: Actor, *, today: date | None = None
) -> PeriodState:
    """Say a period's payouts are ready for approval (finance, admin or a manager), once the
    period is over (as of `today`) and fully calculated."""
    parse_period(period)
    require(actor, "approvals", doing="prepare a period's payouts")
    with action(url) as conn:
        row = lock_period(conn, period)
        if row["status"] != "open":
            raise PayError(f"period {period} is {row['status']}, not open: nothing to prepare")
        refusal = prepare_refusal(conn, period, today)
        if refusal is not None:
            raise PayError(refusal)
        version = row["version"] + 1
        conn.execute(
            update(PayPeriod)
            .where(PayPeriod.period == period)
            .values(status="prepared", prepared_by=actor.name, prepared_at=now(), version=version)
        )
        audit(
            conn,
            actor,
            "period.prepare",
            "period",
            period,
            before={"status": "open", "version": row["version"]},
            after={"status": "prepared", "version": version},
        )
    return period_state(url, period)


@user_action("period.approve", capability="approvals")
def approve_period(
    url: str | Engine | None,
    period: str,
    actor: Actor,
    level: str | None = None,
    *,
    expected_version: int | None = None,
) -> PeriodState:
    """Approve the next level (or `level`) of a prepared period's payouts.

    `expected_version` is the version the approver looked at: if the lines changed since, the
    approval is refused rather than applied to numbers nobody saw.
    """
    parse_period(period)
    with action(url) as conn:
        row = lock_period(conn, period)
        if row["status"] not in ("prepared",):
            raise PayError(
                f"period {period} is {row['status']}: only prepared payouts are approved"
            )
        if expected_version is not None and row["version"] != expected_version:
            raise PayError(
                f"period {period} changed since you looked (version {expected_version} -> "
                f"{row['version']}): review it again"
            )
        done = {
            r.level: r.approved_by
            for r in conn.execute(
                select(Approval.level, Approval.approved_by).where(
                    Approval.period == period, Approval.cycle == row["cycle"]
                )
            )
        }
        pending = [lv for lv in APPROVAL_LEVELS if lv not in done]
        wanted = level or pending[0]
        if wanted not in APPROVAL_LEVELS:
            raise PayError(f"unknown approval level {wanted!r} ({', '.join(APPROVAL_LEVELS)})")
        if wanted in done:
            raise PayError(
                f"period {period}: level {wanted} was already approved by {done[wanted]}"
            )
        if wanted != pending[0]:
            raise PayError(f"period {period}: level {pending[0]} approves before {wanted}")
        require(actor, "approvals", doing=f"approve at level {wanted}")
        require_role(actor, wanted, "admin", doing=f"approve at level {wanted}")
        if actor.name == row["prepared_by"]:
            raise NotAllowed(f"{actor.name} prepared period {period} and may not approve it")
        if actor.name in done.values():
            raise NotAllowed(f"{actor.name} already approved period {period} at another level")
        conn.execute(
            insert(Approval).values(
                period=period,
                cycle=row["cycle"],
                level=wanted,
                approved_by=actor.name,
                approved_at=now(),
                version=row["version"],
            )
        )
        last = len(pending) == 1
        version = row["version"] + 1
        status = "approved" if last else "prepared"
        conn.execute(
            update(PayPeriod)
            .where(PayPeriod.period == period)
            .values(status=status, version=version)
        )
        audit(
            conn,
            actor,
            "period.approve",
            "period",
            period,
            before={"status": row["status"], "version": row["version"]},
            after={"status": status, "version": version, "level": wanted},
        )
    return period_state(url, period)


@user_action("period.revoke", capability="approvals")
def revoke_approval(
    url: str | Engine | None, period: str, actor: Actor, reason: str
) -> PeriodState:
    """Send a prepared or approved (not closed) period back to open, so it can be corrected."""
    parse_period(period)
    require(actor, "approvals", doing="send a period back")
    if not reason.strip():
        raise PayError("sending a period back needs a reason")
    with action(url) as conn:
        row = lock_period(conn, period)
        if row["status"] not in ("prepared", "approved"):
            raise PayError(f"period {period} is {row['status']}: nothing to send back")
        after = {"status": "open", "version": row["version"] + 1, "cycle": row["cycle"] + 1}
        conn.execute(
            update(PayPeriod).where(PayPeriod.period == period).values(**after, prepared_by=None)
        )
        audit(
            conn,
            actor,
            "period.revoke",
            "period",
            period,
            before={"status": row["status"], "version": row["version"]},
            after=after,
            reason=reason.strip(),
        )
    return period_state(url, period)
