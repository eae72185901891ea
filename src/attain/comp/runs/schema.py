"""How a calculation run is kept in the store: the run, its credits, its payout lines and traces.

A run records what it was calculated from (plan versions, a data watermark, the engine version),
so it can be shown, explained and recalculated later.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base
from attain.data.types import Money


class CompRun(Base):
    __tablename__ = "comp_runs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    span_from: Mapped[dt.date] = mapped_column(Date)
    span_to: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # complete | failed
    engine_version: Mapped[str] = mapped_column(String(32))
    plans: Mapped[str] = mapped_column(Text)  # JSON: [{id, sha256, text}]
    data_watermark: Mapped[str] = mapped_column(Text)  # JSON: {table: {rows, checksum}}
    line_count: Mapped[int] = mapped_column(Integer)
    credit_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Money)
    seconds: Mapped[str | None] = mapped_column(Text)  # JSON: stage timings


class RunCredit(Base):
    """One credit of a run: a source row counted for one payee under one plan's rule."""

    __tablename__ = "comp_run_credits"
    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    credit_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    plan: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(64))
    payee: Mapped[str] = mapped_column(String(64))
    date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Money(38, 12))
    kind: Mapped[str] = mapped_column(String(16))  # credit | clawback
    source_table: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_comp_run_credits_payee", "run_id", "payee", "date"),)


class PayoutLine(Base):
    """One amount for one payee, period and component, with the trace that explains it."""

    __tablename__ = "comp_payout_lines"
    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan: Mapped[str] = mapped_column(String(64), primary_key=True)
    payee: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    component: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    trace: Mapped[str] = mapped_column(Text)  # JSON

    __table_args__ = (Index("ix_comp_payout_lines_payee", "run_id", "payee"),)
