"""What the web app keeps in the store: users, sessions, API tokens, idempotent replies,
plan versions (plans edited in the browser) and live lines (recalculated after a change).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base, Deal, Order
from attain.data.types import Money


class User(Base):
    """Someone who logs in: a role, and for a rep or manager the person they are."""

    __tablename__ = "web_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | finance | manager | rep
    person: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class WebSession(Base):
    """A logged-in browser: only the token's hash is kept, so a leaked table logs no one in."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ApiToken(Base):
    """A token for the REST API, kept hashed; shown once when it is made."""

    __tablename__ = "web_api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class IdempotentReply(Base):
    """The reply to a POST made with an Idempotency-Key, replayed when the key comes again."""

    __tablename__ = "web_idempotent_replies"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request: Mapped[str] = mapped_column(String(300))  # method and path
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PlanVersionRecord(Base):
    """One version of one plan's YAML: drafts are edited, the newest published one is paid."""

    __tablename__ = "plan_versions"
    plan: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # draft | published
    note: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


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
