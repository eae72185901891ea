"""Disputes: a payee challenges a line, or names a deal they believe is missing.

A dispute is open, then investigating (once it has an owner), then resolved (with or without an
adjustment) or rejected. Every step is a dispute event and an audit entry, and each step is one
transaction that re-reads the dispute under a lock: two people resolving one dispute at once
pay it once, and the second is told it is already resolved.

A payee has at most `OPEN_CAP` disputes open at once, and one open dispute per line or deal.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, Engine, func, insert, select, update

from attain.access.scope import sees_in_period
from attain.actions.core import audit, lock_key, user_action
from attain.audit.actor import Actor
from attain.clock import now
from attain.pay.actions import action, engine_of, require
from attain.pay.adjustments import write_adjustment
from attain.pay.dispute_list import DisputeView as DisputeView
from attain.pay.dispute_list import disputes as disputes
from attain.pay.errors import NotAllowed, PayError
from attain.pay.periods import parse_period
from attain.pay.schema import Dispute, DisputeEvent, LedgerLine

OPEN_STATES = ("open", "investigating")
OPEN_CAP = 20
"""Disputes one payee may have open at once: enough for a bad month, not a flood."""


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
        _lock_payee(conn, payee)
        if line is not None:
            found = conn.execute(select(LedgerLine.payee).where(LedgerLine.id == line)).scalar()
            if found != payee:
                raise PayError(f"ledger line {line} is not {payee}'s")
        _refuse_more_open(conn, payee, line, deal)
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


def _lock_payee(conn: Connection, payee: str) -> None:
    """Serialise the raises of one payee's disputes, so the cap and the duplicate check hold.

    PostgreSQL: a lock on the payee's name until the transaction ends. SQLite: the action holds
    the store's write lock already."""
    lock_key(conn, f"pay_disputes:{payee}")


def _refuse_more_open(conn: Connection, payee: str, line: int | None, deal: str | None) -> None:
    """One open dispute per line or deal, and at most `OPEN_CAP` open for a payee."""
    open_ = (Dispute.payee == payee, Dispute.status.in_(OPEN_STATES))
    same = Dispute.ledger_line == line if line is not None else Dispute.deal == deal
    twin = conn.execute(select(Dispute.id).where(*open_, same).limit(1)).scalar()
    if twin is not None:
        about = f"ledger line {line}" if line is not None else f"deal {deal}"
        raise PayError(f"dispute {twin} about {about} is still open: comment on it instead")
    count = conn.execute(select(func.count()).select_from(Dispute).where(*open_)).scalar_one()
    if count >= OPEN_CAP:
        raise PayError(
            f"{payee} has {count} disputes open (at most {OPEN_CAP}): "
            "wait for some to be resolved, or comment on one of them"
        )


def _may_touch(engine: Engine, actor: Actor, dispute_id: int, doing: str) -> None:
    """The access rule for a dispute that exists (its payee and period never change)."""
    with engine.connect() as conn:
        d = _load(conn, dispute_id)
    _may_dispute(engine, actor, str(d["payee"]), str(d["period"]), doing)


def _load(conn: Connection, dispute_id: int, *, lock: bool = False) -> dict[str, object]:
    """The dispute's row; with `lock`, held until the transaction ends (PostgreSQL: FOR UPDATE;
    SQLite: the action holds the store's write lock already)."""
    query = select(Dispute).where(Dispute.id == dispute_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise PayError(f"no dispute {dispute_id}")
    return dict(row)


def _set_status(conn: Connection, dispute_id: int, was: object, **values: object) -> None:
    """Change the dispute only if it is still in the state it was read in (a second guard
    besides the lock: a lost race changes nothing)."""
    done = conn.execute(
        update(Dispute).where(Dispute.id == dispute_id, Dispute.status == was).values(**values)
    )
    if done.rowcount != 1:
        raise PayError(f"dispute {dispute_id} changed meanwhile: look again")


@user_action("dispute.comment", capability="disputes.view")
def comment_dispute(url: str | Engine | None, actor: Actor, dispute_id: int, text: str) -> None:
    """Add to an open dispute's history; a resolved or rejected one takes no more comments."""
    if not text.strip():
        raise PayError("an empty comment says nothing")
    _may_touch(engine_of(url), actor, dispute_id, "comment on")
    with action(url) as conn:
        d = _load(conn, dispute_id, lock=True)
        if d["status"] not in OPEN_STATES:
            raise PayError(f"dispute {dispute_id} is {d['status']}: raise a new one")
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
        d = _load(conn, dispute_id, lock=True)
        if d["status"] not in OPEN_STATES:
            raise PayError(f"dispute {dispute_id} is {d['status']}")
        _set_status(conn, dispute_id, d["status"], owner=owner, status="investigating")
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
    """Resolve (accept, optionally paying `amount` as an adjustment in `period`) or reject.

    The adjustment, the status, the event and the audit entries are one transaction."""
    require(actor, "disputes.queue", doing="resolve a dispute")
    if not resolution.strip():
        raise PayError("say how the dispute was resolved")
    if amount is not None:
        if not accept:
            raise PayError("a rejected dispute pays nothing")
        require(actor, "adjust", doing="adjust pay")
    status = "resolved" if accept else "rejected"
    with action(url) as conn:
        d = _load(conn, dispute_id, lock=True)
        if d["status"] not in OPEN_STATES:
            raise PayError(f"dispute {dispute_id} is already {d['status']}")
        adjustment = None
        if amount is not None:
            adjustment = write_adjustment(
                conn,
                actor,
                payee=str(d["payee"]),
                period=period or str(d["period"]),
                amount=amount,
                reason_code="dispute",
                comment=f"dispute {dispute_id}: {resolution.strip()}",
                dispute=dispute_id,
            )
        _set_status(
            conn,
            dispute_id,
            d["status"],
            status=status,
            resolution=resolution.strip(),
            adjustment=adjustment,
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
