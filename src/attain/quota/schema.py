"""How quota plans are kept before they become quotas: drafts, their lines, and every change.

A draft is one method's quotas for one year and measure. It is adjusted (each change with a
reason), approved by someone other than the preparer, then published into `quotas`. Who did
what, when, the value before and after, and why, is in the one audit log (entity `quota_draft`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base
from attain.data.types import Money


class QuotaDraft(Base):
    __tablename__ = "quota_drafts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(32))
    periods: Mapped[str] = mapped_column(String(16))  # year | quarter | month
    target: Mapped[Decimal] = mapped_column(Money)
    over_assignment: Mapped[Decimal] = mapped_column(Money)
    settings: Mapped[str] = mapped_column(Text)  # JSON: the request that made it
    warnings: Mapped[str] = mapped_column(Text)  # JSON list
    status: Mapped[str] = mapped_column(String(16))  # draft | approved | published
    prepared_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class QuotaDraftLine(Base):
    """One payee's quota for one period of a draft, with the interval and note behind it."""

    __tablename__ = "quota_draft_lines"
    draft_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    payee: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    proposed: Mapped[Decimal] = mapped_column(Money)  # what the method set, before adjustments
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date] = mapped_column(Date)
    territory: Mapped[str | None] = mapped_column(String(64))
    low: Mapped[Decimal | None] = mapped_column(Money)
    high: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)
