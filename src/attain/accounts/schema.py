"""Who can log in and how: users, browser sessions, API tokens, and the replies kept for
requests made with an Idempotency-Key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attain.data.schema import Base


def _in_90_days() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=90)


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
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=_in_90_days)
    """Refused from then on (and when empty)."""


class IdempotentReply(Base):
    """A POST made with an Idempotency-Key: reserved (pending) before the work runs, so a
    duplicate waits instead of doing the work again; then its reply, replayed when the key comes
    again. A reply that holds a secret (a new API token) is never kept: only that it was given."""

    __tablename__ = "web_idempotent_replies"
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request: Mapped[str] = mapped_column(String(300))  # method and path
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the query and body
    state: Mapped[str] = mapped_column(String(16))  # pending | done
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)  # None while pending, and for a secret
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class LoginAttempt(Base):
    """Login attempts counted per account or per address within a window, in the store so every
    worker sees the same count; an attempt is counted before the password is checked."""

    __tablename__ = "web_login_attempts"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # user:NAME or addr:IP
    attempts: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime)
