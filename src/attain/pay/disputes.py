"""Disputes: a payee challenges a line, or names a deal they believe is missing.

A dispute is open, then investigating (once it has an owner), then resolved (with or without an
adjustment) or rejected. Every step is a dispute event and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, insert, select, update

from attain.access.scope import sees_in_period
from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.clock import now
from attain.pay.actions import action, engine_of, require
from attain.pay.adjustments import add_adjustment
from attain.pay.errors import NotAllowed, PayError
from attain.pay.periods import parse_period
from attain.pay.schema import Dispute, DisputeEvent, LedgerLine

OPEN_STATES = ("open", "investigating")


@dataclass(frozen=True)
class DisputeView:
    id: int
    payee: str
    period: str
    subject: str
    status: str
    owner: str | None
    ledger_line: int | None
    deal: str | None
    resolution: str | None
    adjustment: int | None
    events: list[tuple[datetime, str, str, str | None]]


def _event(conn: Connection, dispute: int, actor: Actor, kind: str, text: str | None) -> None:
    conn.execute(
        insert(DisputeEvent).values(
            dispute=dispute, at=now(), actor=actor.name, kind=kind, text=text
        )
    )


def _may_dispute(engine: Engine, actor: Actor, payee: str, period: str, doing: str) -> None:
    """The one rule (attain.access): a rep about their own pay, a manager about a payee who
    reported to them in the dispute's period."""
    if not sees_in_period(engine, actor.role, actor.name, payee, period):
        raise NotAllowed(f"{actor.name} may not {doing} {payee}'s pay for {period}")


@user_action("dispute.raise", capability="disputes.view")
def raise_dispute(
    url: str | Engine | None,
    actor: Actor,
    *,
    payee: str,
    period: str,
    subject: str,
    line: int | None = None,
    deal: str | None = None,
) -> int:
    """A payee (or someone for them) disputes a ledger line or a missing deal; returns its id."""
    parse_period(period)
    _may_dispute(engine_of(url), actor, payee, period, "raise a dispute about")
    if (line is None) == (deal is None):
        raise PayError("a dispute is about one ledger line (--line) or one missing deal (--deal)")
    if not subject.strip():
        raise PayError("say what is wrong")
    with action(url) as conn:
        if line is not None:
            found = conn.execute(select(LedgerLine.payee).where(LedgerLine.id == line)).scalar()
            if found != payee:
                raise PayError(f"ledger line {line} is not {payee}'s")
        new = conn.execute(
            insert(Dispute).values(
                payee=payee,
                period=period,
                ledger_line=line,
                deal=deal,
                subject=subject.strip(),
                status="open",
                raised_by=actor.name,
                raised_at=now(),
            )
        ).inserted_primary_key
        dispute_id = int(new[0]) if new else 0
        _event(conn, dispute_id, actor, "raised", subject.strip())
        audit(
            conn,
            actor,
            "dispute.raise",
            "dispute",
            str(dispute_id),
            after={
                "payee": payee,
                "period": period,
                "line": line,
                "deal": deal,
                "subject": subject.strip(),
            },
        )
    return dispute_id


def _may_touch(engine: Engine, actor: Actor, dispute_id: int, doing: str) -> None:
    with engine.connect() as conn:
        d = _load(conn, dispute_id)
    _may_dispute(engine, actor, str(d["payee"]), str(d["period"]), doing)


def _load(conn: Connection, dispute_id: int) -> dict[str, object]:
    row = conn.execute(select(Dispute).where(Dispute.id == dispute_id)).mappings().first()
    if row is None:
        raise PayError(f"no dispute {dispute_id}")
    return dict(row)


@user_action("dispute.comment", capability="disputes.view")
def comment_dispute(url: str | Engine | None, actor: Actor, dispute_id: int, text: str) -> None:
    if not text.strip():
        raise PayError("an empty comment says nothing")
    _may_touch(engine_of(url), actor, dispute_id, "comment on")
    with action(url) as conn:
        _event(conn, dispute_id, actor, "comment", text.strip())
        audit(
            conn,
            actor,
            "dispute.comment",
            "dispute",
            str(dispute_id),
            after={"comment": text.strip()},
        )


@user_action("dispute.assign", capability="disputes.assign")
def assign_dispute(url: str | Engine | None, actor: Actor, dispute_id: int, owner: str) -> None:
    require(actor, "disputes.assign", doing="assign a dispute")
    _may_touch(engine_of(url), actor, dispute_id, "assign a dispute about")
    with action(url) as conn:
        d = _load(conn, dispute_id)
        if d["status"] not in OPEN_STATES:
            raise PayError(f"dispute {dispute_id} is {d['status']}")
        conn.execute(
            update(Dispute)
            .where(Dispute.id == dispute_id)
            .values(owner=owner, status="investigating")
        )
        _event(conn, dispute_id, actor, "assigned", owner)
        audit(
            conn,
            actor,
            "dispute.assign",
            "dispute",
            str(dispute_id),
            before={"status": d["status"], "owner": d["owner"]},
            after={"status": "investigating", "owner": owner},
        )


@user_action("dispute.resolve", capability="disputes.queue")
def resolve_dispute(
    url: str | Engine | None,
    actor: Actor,
    dispute_id: int,
    resolution: str,
    *,
    accept: bool = True,
    amount: Decimal | str | None = None,
    period: str | None = None,
) -> int | None:
    """Resolve (accept, optionally paying `amount` as an adjustment in `period`) or reject."""
    require(actor, "disputes.queue", doing="resolve a dispute")
    if not resolution.strip():
        raise PayError("say how the dispute was resolved")
    with engine_of(url).connect() as conn:
        d = _load(conn, dispute_id)
    if d["status"] not in OPEN_STATES:
        raise PayError(f"dispute {dispute_id} is already {d['status']}")
    adjustment = None
    if amount is not None:
        if not accept:
            raise PayError("a rejected dispute pays nothing")
        adjustment = add_adjustment(
            url,
            actor,
            payee=str(d["payee"]),
            period=period or str(d["period"]),
            amount=amount,
            reason_code="dispute",
            comment=f"dispute {dispute_id}: {resolution.strip()}",
            dispute=dispute_id,
        )
    status = "resolved" if accept else "rejected"
    with action(url) as conn:
        conn.execute(
            update(Dispute)
            .where(Dispute.id == dispute_id)
            .values(status=status, resolution=resolution.strip(), adjustment=adjustment)
        )
        _event(conn, dispute_id, actor, status, resolution.strip())
        audit(
            conn,
            actor,
            f"dispute.{'resolve' if accept else 'reject'}",
            "dispute",
            str(dispute_id),
            before={"status": d["status"]},
            after={"status": status, "adjustment": adjustment},
            reason=resolution.strip(),
        )
    return adjustment


def disputes(
    url: str | Engine | None, *, payee: str | None = None, status: str | None = None
) -> list[DisputeView]:
    """Disputes with their events, newest first."""
    query = select(Dispute).order_by(Dispute.id.desc())
    if payee is not None:
        query = query.where(Dispute.payee == payee)
    if status is not None:
        query = query.where(Dispute.status == status)
    out = []
    with engine_of(url).connect() as conn:
        for d in conn.execute(query).mappings().all():
            events = [
                (e.at, e.actor, e.kind, e.text)
                for e in conn.execute(
                    select(DisputeEvent)
                    .where(DisputeEvent.dispute == d["id"])
                    .order_by(DisputeEvent.id)
                )
            ]
            out.append(
                DisputeView(
                    d["id"],
                    d["payee"],
                    d["period"],
                    d["subject"],
                    d["status"],
                    d["owner"],
                    d["ledger_line"],
                    d["deal"],
                    d["resolution"],
                    d["adjustment"],
                    events,
                )
            )
    return out
