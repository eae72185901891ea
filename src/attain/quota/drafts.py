"""The actions on quota drafts: create, adjust, approve, publish (and compare, which reads).

Each action takes the acting user, checks `quotas.plan`, and writes its entry to the one
hash-chained audit log (entity `quota_draft`) in the same transaction as the change, so a change
and its record never part. Publishing writes every line into `quotas` at once.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from decimal import Decimal

import pandas as pd
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker

from attain.actions.core import audit, require, transaction, user_action
from attain.audit import AuditRecord, entries
from attain.audit.actor import Actor
from attain.clock import now
from attain.data.schema import Quota
from attain.quota.errors import QuotaError
from attain.quota.history import PLANNING_CURRENCY
from attain.quota.plan import QuotaSet, money
from attain.quota.schema import QuotaDraft, QuotaDraftLine

ENTITY = "quota_draft"
CAPABILITY = "quotas.plan"


def _session(engine: Engine) -> Session:
    return sessionmaker(engine, expire_on_commit=False)()


@contextmanager
def _acting(engine: Engine, actor: Actor) -> Iterator[tuple[Session, Connection]]:
    """The action's transaction, as a session for the drafts and a connection for the audit."""
    require(actor, CAPABILITY)
    with transaction(engine) as conn:
        s = Session(bind=conn, expire_on_commit=False)
        try:
            yield s, conn
            s.flush()
        finally:
            s.close()


@user_action("quota.create", capability=CAPABILITY)
def create_draft(engine: Engine, actor: Actor, quotas: QuotaSet) -> QuotaDraft:
    """Keep a method's quotas as a draft, one line per payee and period."""
    req = quotas.request
    draft = QuotaDraft(
        id=uuid.uuid4().hex[:12],
        year=req.year,
        measure=req.measure,
        method=quotas.method,
        periods=req.periods,
        target=quotas.target,
        over_assignment=Decimal(str(req.over_assignment)),
        settings=json.dumps(asdict(req), default=str),
        warnings=json.dumps(quotas.warnings),
        status="draft",
        prepared_by=actor.name,
        created_at=now(whole_seconds=True),
    )
    by_payee = quotas.quotas.set_index("payee")
    lines = quotas.lines()
    with _acting(engine, actor) as (s, conn):
        s.add(draft)
        for line in lines:
            info = by_payee.loc[line.payee]
            share = line.amount / money(info["amount"]) if info["amount"] else Decimal(0)
            s.add(
                QuotaDraftLine(
                    draft_id=draft.id,
                    payee=line.payee,
                    period=line.period,
                    amount=line.amount,
                    proposed=line.amount,
                    effective_from=line.starts,
                    effective_to=line.ends,
                    territory=info["territory"],
                    low=None if pd.isna(info["low"]) else money(float(info["low"]) * float(share)),
                    high=None
                    if pd.isna(info["high"])
                    else money(float(info["high"]) * float(share)),
                    note=info["note"] or None,
                )
            )
        s.flush()
        audit(
            conn,
            actor,
            "quota.create",
            ENTITY,
            draft.id,
            after={"method": draft.method, "lines": len(lines), "total": str(quotas.total)},
        )
    return draft


def get_draft(s: Session, draft_id: str) -> QuotaDraft:
    draft = s.get(QuotaDraft, draft_id)
    if draft is None:
        raise QuotaError(f"no quota draft {draft_id!r}")
    return draft


@user_action("quota.adjust", capability=CAPABILITY)
def adjust(
    engine: Engine,
    actor: Actor,
    draft_id: str,
    payee: str,
    period: str,
    amount: Decimal,
    reason: str,
) -> QuotaDraftLine:
    """Change one line of a draft; a reason is required and the change is audited."""
    if not reason.strip():
        raise QuotaError("an adjustment needs a reason")
    if amount < 0:
        raise QuotaError("a quota cannot be negative")
    with _acting(engine, actor) as (s, conn):
        draft = get_draft(s, draft_id)
        if draft.status != "draft":
            raise QuotaError(f"draft {draft_id} is {draft.status}: only a draft can be adjusted")
        line = s.get(QuotaDraftLine, (draft_id, payee, period))
        if line is None:
            raise QuotaError(f"draft {draft_id} has no line for {payee} in {period}")
        before = line.amount
        line.amount = money(amount)
        s.flush()
        audit(
            conn,
            actor,
            "quota.adjust",
            ENTITY,
            draft_id,
            before={"payee": payee, "period": period, "amount": str(before)},
            after={"payee": payee, "period": period, "amount": str(line.amount)},
            reason=reason,
        )
    return line


@user_action("quota.approve", capability=CAPABILITY)
def approve(engine: Engine, actor: Actor, draft_id: str) -> QuotaDraft:
    """Approve a draft; the approver must not be the person who prepared it."""
    by = actor.name
    with _acting(engine, actor) as (s, conn):
        draft = get_draft(s, draft_id)
        if draft.status != "draft":
            raise QuotaError(f"draft {draft_id} is already {draft.status}")
        if by == draft.prepared_by:
            raise QuotaError(f"{by} prepared draft {draft_id}: someone else must approve it")
        draft.status, draft.approved_by, draft.approved_at = "approved", by, now(whole_seconds=True)
        s.flush()
        audit(
            conn,
            actor,
            "quota.approve",
            ENTITY,
            draft_id,
            before={"status": "draft"},
            after={"status": "approved"},
        )
    return draft


@user_action("quota.publish", capability=CAPABILITY)
def publish(engine: Engine, actor: Actor, draft_id: str) -> int:
    """Write an approved draft's lines into `quotas` in one transaction; returns lines written.

    Drafts are money quotas in PLANNING_CURRENCY, and `currency` says so on every line written.

    A quota already published for the same payee, measure and period is replaced, and the
    value it had is kept in the audit.
    """
    by = actor.name
    with _acting(engine, actor) as (s, conn):
        draft = get_draft(s, draft_id)
        if draft.status != "approved":
            raise QuotaError(f"draft {draft_id} is {draft.status}: approve it before publishing")
        lines = s.scalars(select(QuotaDraftLine).where(QuotaDraftLine.draft_id == draft_id)).all()
        replaced = {}
        for line in lines:
            key = (line.payee, draft.measure, line.period)
            old = s.get(Quota, key)
            if old is not None:
                replaced[f"{line.payee}/{line.period}"] = (
                    f"{old.amount} {old.currency or ''}".strip()
                )
                old.amount, old.currency = line.amount, PLANNING_CURRENCY
            else:
                s.add(
                    Quota(
                        payee=line.payee,
                        measure=draft.measure,
                        period=line.period,
                        amount=line.amount,
                        currency=PLANNING_CURRENCY,
                    )
                )
        draft.status, draft.published_by, draft.published_at = (
            "published",
            by,
            now(whole_seconds=True),
        )
        total = sum((line.amount for line in lines), Decimal(0))
        s.flush()
        audit(
            conn,
            actor,
            "quota.publish",
            ENTITY,
            draft_id,
            before=replaced or None,
            after={"lines": len(lines), "total": str(total), "measure": draft.measure},
        )
    return len(lines)


def draft_lines(engine: Engine, draft_id: str) -> pd.DataFrame:
    """A draft's lines as a table: payee, period, amount, proposed, low, high, note."""
    with _session(engine) as s:
        get_draft(s, draft_id)
        rows = s.scalars(
            select(QuotaDraftLine)
            .where(QuotaDraftLine.draft_id == draft_id)
            .order_by(QuotaDraftLine.payee, QuotaDraftLine.period)
        ).all()
    cols = (
        "payee",
        "period",
        "territory",
        "amount",
        "proposed",
        "low",
        "high",
        "note",
        "effective_from",
        "effective_to",
    )
    return pd.DataFrame([{c: getattr(r, c) for c in cols} for r in rows], columns=list(cols))


def compare(engine: Engine, first: str, second: str) -> pd.DataFrame:
    """Two drafts side by side per payee (annual totals) with the difference."""
    a = draft_lines(engine, first).groupby("payee")["amount"].sum()
    b = draft_lines(engine, second).groupby("payee")["amount"].sum()
    out = pd.DataFrame({first: a, second: b}).fillna(Decimal(0))
    out["difference"] = out[second] - out[first]
    return out.reset_index().rename(columns={"index": "payee"})


def list_drafts(engine: Engine) -> list[QuotaDraft]:
    with _session(engine) as s:
        return list(s.scalars(select(QuotaDraft).order_by(QuotaDraft.created_at)).all())


def audit_trail(engine: Engine, draft_id: str) -> list[AuditRecord]:
    """Every change to a draft, oldest first, from the one audit log."""
    return list(reversed(entries(engine, ENTITY, draft_id, limit=10_000)))
