"""Event logs imported into the store (from XES, CSV or Parquet), kept so they can be mined by
name like the built-in deals, leads and tickets: one row per log, its events and its cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base
from attain.data.types import Money


class ProcessLog(Base):
    """An imported event log: where it came from, who imported it when, and its size."""

    __tablename__ = "process_logs"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    """The file it was read from (its name, not a path)."""
    case_label: Mapped[str] = mapped_column(String(32))
    """What a case is called on the surfaces: case, ticket, application."""
    currency: Mapped[str | None] = mapped_column(String(3))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(64))
    events: Mapped[int] = mapped_column(Integer)
    cases: Mapped[int] = mapped_column(Integer)
    attributes: Mapped[str] = mapped_column(Text)
    """JSON list of the case attribute names its cases carry."""


class ProcessEvent(Base):
    """One event of an imported log, in the canonical event columns."""

    __tablename__ = "process_events"
    log: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    """The event's order in its file: the tie-breaker for equal timestamps."""
    case_id: Mapped[str] = mapped_column(Text)
    activity: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    """UTC."""
    resource: Mapped[str | None] = mapped_column(Text)
    lifecycle: Mapped[str | None] = mapped_column(String(32))


class ProcessCase(Base):
    """One case of an imported log: its amount and its other attributes."""

    __tablename__ = "process_cases"
    log: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(Text, primary_key=True)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    attributes: Mapped[str] = mapped_column(Text)
    """JSON object: attribute name -> text (owner, team, region, ...)."""
