"""Live lines: payout lines recalculated after deals or orders changed, laid over the
published run until the next run is published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base, Deal, Order
from attain.data.types import Money


class LiveLine(Base):
    """A payout line recalculated after a deal or order changed, over the latest run's line."""

    __tablename__ = "live_lines"
    payee: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    component: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    trace: Mapped[str] = mapped_column(Text)


class LivePayee(Base):
    """Which payees have live lines, from which period on, recalculated when, over which run."""

    __tablename__ = "live_payees"
    payee: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan: Mapped[str] = mapped_column(String(64), primary_key=True)
    period_from: Mapped[str] = mapped_column(String(16))
    base_run: Mapped[str] = mapped_column(String(32))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime)


LIVE_INDEXES = (
    Index("ix_deals_owner", Deal.__table__.c.owner),
    Index("ix_orders_seller", Order.__table__.c.seller),
)
"""Indexes on the data tables that the live recalculation reads a payee's rows by."""
