"""Approving a period's payouts: prepared by one person, approved level by level by others.

The levels are `APPROVAL_LEVELS` in order. At the manager level each manager approves their
team's part (`attain.pay.approval_cover`: who may approve which line); the period passes it
once every line is approved there. Finance then approves the whole period. Nobody approves
numbers they prepared, a line of their own, or at both levels. Each approval records the lines
it covered and their totals, and the period version it saw. Each step locks the period's row,
so approvals racing each other or a recalculation have exact outcomes.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.clock import now
from attain.pay.actions import action, engine_of, lock_period, require, require_role
from attain.pay.approval_cover import Cover, ManagerLevel, Progress, period_cover
from attain.pay.errors import NotAllowed, PayError
from attain.pay.periods import PeriodState, parse_period, period_state, prepare_refusal
from attain.pay.schema import Approval, ApprovalLine, PayPeriod

APPROVAL_LEVELS: tuple[str, ...] = ("manager", "finance")
"""Who approves, in order; the role of each level (an admin may approve at any level, finance
also approves at the manager level the payees with no manager above them)."""


@dataclass(frozen=True)
class ApprovalStep:
    """One approval: its level, who gave it, the version it saw and what it covered."""

    level: str
    approved_by: str
    approved_at: datetime
    version: int
    lines: int = 0
    payees: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)


def _totals(text: str | None) -> dict[str, Decimal]:
    return {c: Decimal(t) for c, t in json.loads(text or "{}").items()}


def approvals(
    url: str | Engine | None, period: str, *, payee: str | None = None
) -> list[ApprovalStep]:
    """The current cycle's approvals of a period, in level order, then in the order given;
    with `payee`, only those that covered a line of theirs (what their statement names, so a
    rep never learns who approved other teams)."""
    with engine_of(url).connect() as conn:
        cycle = conn.execute(select(PayPeriod.cycle).where(PayPeriod.period == period)).scalar()
        query = (
            select(Approval)
            .where(Approval.period == period, Approval.cycle == (cycle or 0))
            .order_by(Approval.id)
        )
        if payee is not None:
            query = query.where(
                Approval.id.in_(
                    select(ApprovalLine.approval).where(
                        ApprovalLine.period == period, ApprovalLine.payee == payee
                    )
                )
            )
        rows = conn.execute(query).mappings().all()
    steps = [
        ApprovalStep(
            r["level"],
            r["approved_by"],
            r["approved_at"],
            r["version"],
            r["lines"],
            r["payees"],
            _totals(r["totals"]),
        )
        for r in rows
    ]
    return sorted(steps, key=lambda s: APPROVAL_LEVELS.index(s.level))


def manager_level(url: str | Engine | None, period: str) -> ManagerLevel:
    """The manager level of the period's current cycle: its lines and which are approved."""
    with engine_of(url).connect() as conn:
        cycle = conn.execute(select(PayPeriod.cycle).where(PayPeriod.period == period)).scalar()
        return period_cover(conn, period, cycle or 0)


def manager_progress(url: str | Engine | None, period: str) -> Progress:
    """How far the manager level of the period's current cycle has got."""
    return manager_level(url, period).progress()


def approval_cover(url: str | Engine | None, period: str, actor: Actor) -> Cover:
    """What `actor`'s approval at the manager level would cover now (shown before the button)."""
    return manager_level(url, period).cover(actor)


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


def _refuse_stale(period: str, row: dict[str, Any], expected_version: int | None) -> None:
    if expected_version is not None and row["version"] != expected_version:
        raise PayError(
            f"period {period} changed since you looked (version {expected_version} -> "
            f"{row['version']}): review it again"
        )


def _record(
    conn: Connection, period: str, row: dict[str, Any], level: str, actor: Actor, cover: Cover
) -> None:
    """The approval and every line it covered, as the approver saw them."""
    approval = conn.execute(
        insert(Approval)
        .values(
            period=period,
            cycle=row["cycle"],
            level=level,
            approved_by=actor.name,
            approved_at=now(),
            version=row["version"],
            lines=len(cover.lines),
            payees=len(cover.payees),
            totals=json.dumps({c: str(t) for c, t in sorted(cover.totals.items())}),
        )
        .returning(Approval.id)
    ).scalar_one()
    if cover.lines:
        conn.execute(
            insert(ApprovalLine),
            [
                {
                    "approval": approval,
                    "period": period,
                    "cycle": row["cycle"],
                    "level": level,
                    "ledger_line": ln.id,
                    "payee": ln.payee,
                    "amount": ln.amount,
                    "currency": ln.currency,
                }
                for ln in cover.lines
            ],
        )


def _summary(cover: Cover) -> dict[str, Any]:
    return {
        "lines": len(cover.lines),
        "payees": len(cover.payees),
        "totals": {c: str(t) for c, t in sorted(cover.totals.items())},
    }


@user_action("period.approve", capability="approvals")
def approve_period(
    url: str | Engine | None,
    period: str,
    actor: Actor,
    level: str | None = None,
    *,
    expected_version: int | None = None,
    expected_lines: Collection[int] | None = None,
) -> PeriodState:
    """Approve a prepared period: at the manager level the actor's team's part, at the finance
    level (once every team is approved) the whole period.

    The approver says what they were shown: `expected_version` (the period's numbers) and
    `expected_lines` (the ledger line ids the page listed); if the numbers changed since, or the
    approval would cover a line they were not shown, it is refused rather than applied to
    numbers nobody saw. Lines another manager approved meanwhile are simply not covered twice.
    """
    parse_period(period)
    with action(url) as conn:
        row = lock_period(conn, period)
        if row["status"] not in ("prepared",):
            raise PayError(
                f"period {period} is {row['status']}: only prepared payouts are approved"
            )
        _refuse_stale(period, row, expected_version)
        steps = conn.execute(
            select(Approval.level, Approval.approved_by).where(
                Approval.period == period, Approval.cycle == row["cycle"]
            )
        ).all()
        cover_of = period_cover(conn, period, row["cycle"])
        progress = cover_of.progress()
        pending = "finance" if progress.complete else "manager"
        wanted = level or pending
        if wanted not in APPROVAL_LEVELS:
            raise PayError(f"unknown approval level {wanted!r} ({', '.join(APPROVAL_LEVELS)})")
        finance_by = next((by for lv, by in steps if lv == "finance"), None)
        if finance_by is not None:
            raise PayError(f"period {period}: level finance was already approved by {finance_by}")
        if wanted == "manager" and progress.complete:
            raise PayError(f"period {period}: every team is approved ({progress})")
        if wanted == "finance" and not progress.complete:
            raise PayError(
                f"period {period}: manager approves before finance ({progress}): finance "
                "approves once every team is approved"
            )
        require(actor, "approvals", doing=f"approve at level {wanted}")
        roles = ("manager", "finance", "admin") if wanted == "manager" else ("finance", "admin")
        require_role(actor, *roles, doing=f"approve at level {wanted}")
        if actor.name == row["prepared_by"]:
            raise NotAllowed(f"{actor.name} prepared period {period} and may not approve it")
        if wanted == "manager":
            cover = cover_of.cover(actor)
            if not cover.lines:
                if actor.role == "finance" and level is None:
                    raise PayError(
                        f"period {period}: the manager level waits for the teams' managers "
                        f"({progress}): finance approves the whole period once every team is "
                        "approved"
                    )
                raise PayError(
                    f"period {period}: nothing of it waits for {actor.name}'s approval "
                    f"({progress}); nobody approves their own lines"
                )
        else:
            if actor.name in {by for _, by in steps}:
                raise NotAllowed(f"{actor.name} already approved period {period} at another level")
            if any(ln.payee == actor.name for ln in cover_of.lines):
                raise NotAllowed(f"{actor.name} is paid in period {period} and may not approve it")
            cover = Cover(cover_of.lines)
        if expected_lines is not None and not cover.ids <= set(expected_lines):
            unseen = sorted(cover.ids - set(expected_lines))
            raise PayError(
                f"period {period}: your approval would now cover {len(unseen)} line(s) you "
                "were not shown: review it again"
            )
        _record(conn, period, row, wanted, actor, cover)
        last = wanted == "finance"
        version = row["version"] + 1 if last else row["version"]
        status = "approved" if last else "prepared"
        if last:
            conn.execute(
                update(PayPeriod)
                .where(PayPeriod.period == period)
                .values(status=status, version=version)
            )
        after: dict[str, Any] = {"status": status, "version": version, "level": wanted}
        if not last:
            now_approved = replace(cover_of, approved=cover_of.approved | cover.ids)
            after["progress"] = str(now_approved.progress())
        audit(
            conn,
            actor,
            "period.approve",
            "period",
            period,
            before={"status": row["status"], "version": row["version"]},
            after={**after, **_summary(cover)},
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
