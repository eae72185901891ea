"""The pay lifecycle's tables: periods, the ledger of what is payable, approvals, disputes,
and each run's input snapshot (so a run can be recalculated and verified years later).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from attain.audit import schema as _audit_schema  # noqa: F401  (the audit log lives beside)
from attain.data.schema import Base
from attain.data.types import Money


class PayPeriod(Base):
    """A payout period's state: open -> prepared -> approved -> closed (reopened by an admin).

    `version` grows with every change to the period or its lines, so an approval can say which
    numbers it approved; `cycle` grows on each reopen or revoke (approvals belong to a cycle).
    """

    __tablename__ = "pay_periods"
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    version: Mapped[int] = mapped_column(Integer, default=0)
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    prepared_by: Mapped[str | None] = mapped_column(String(64))
    prepared_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LedgerLine(Base):
    """One payable amount: a run's line, a true-up of a closed line, a manual adjustment, a hold.

    kind: `calculated` (from run `run_id`), `true_up` (corrects `corrects_period`'s line
    `corrects_line`), `manual` (reason code and comment), `held` (a negative line: the part of
    the period's earning that waits for its hold date), `release` (that part, paid in the
    period containing the date). A period pays the sum of its lines.
    """

    __tablename__ = "pay_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(16))
    payee: Mapped[str] = mapped_column(String(64))
    plan: Mapped[str] = mapped_column(String(64))
    component: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    run_id: Mapped[str | None] = mapped_column(String(32))
    for_period: Mapped[str] = mapped_column(String(16))  # the period whose earning this is
    corrects_period: Mapped[str | None] = mapped_column(String(16))
    corrects_line: Mapped[int | None] = mapped_column(Integer)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_pay_ledger_period", "period", "payee"),
        Index("ix_pay_ledger_payee", "payee", "period"),
    )


class Approval(Base):
    """One approval of a period's payouts in one approval cycle: at the manager level, one
    manager's part (their team's lines); at the finance level, the whole period.

    What it covered is exact: its lines are in `pay_approval_lines`; `lines`, `payees` and
    `totals` (currency -> total, JSON) sum them, and `version` is the period version it saw.
    """

    __tablename__ = "pay_approvals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(16))
    cycle: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))  # manager | finance
    approved_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)  # the period version approved
    lines: Mapped[int] = mapped_column(Integer, default=0)
    payees: Mapped[int] = mapped_column(Integer, default=0)
    totals: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (Index("ix_pay_approvals_period", "period", "cycle"),)


class ApprovalLine(Base):
    """One ledger line an approval covered, with its amount and currency as the approver saw
    them; a line is approved once per level and cycle."""

    __tablename__ = "pay_approval_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    approval: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    cycle: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    ledger_line: Mapped[int] = mapped_column(Integer)
    payee: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(8), default="")

    __table_args__ = (
        UniqueConstraint(
            "period", "cycle", "level", "ledger_line", name="uq_pay_approval_lines_line"
        ),
        Index("ix_pay_approval_lines_approval", "approval"),
    )


class Dispute(Base):
    """A payee's challenge of a line, or of a deal they believe is missing."""

    __tablename__ = "pay_disputes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payee: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    ledger_line: Mapped[int | None] = mapped_column(Integer)
    deal: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | investigating | resolved | rejected
    owner: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(Text)
    adjustment: Mapped[int | None] = mapped_column(Integer)  # ledger line id
    raised_by: Mapped[str] = mapped_column(String(64))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime)


class DisputeEvent(Base):
    """One step of a dispute: raised, comment, assigned, resolved, rejected."""

    __tablename__ = "pay_dispute_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dispute: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)


class RunInput(Base):
    """A table exactly as a run read it, as zstd-compressed Parquet (for `attain comp verify`)."""

    __tablename__ = "comp_run_inputs"
    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    rows: Mapped[int] = mapped_column(Integer)
    parquet: Mapped[bytes] = mapped_column(LargeBinary)
