"""Server-side sessions: the cookie holds a random token; logging out deletes the row, so the
cookie is worthless afterwards even if someone kept a copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from attain.accounts.schema import User, WebSession
from attain.accounts.secrets import digest, new_secret
from attain.clock import now

LIFETIME = dt.timedelta(hours=12)
COOKIE = "attain_session"


@dataclass(frozen=True)
class Session:
    user_id: int
    csrf: str


def start_session(engine: Engine, user_id: int) -> str:
    """A new session for the user; returns the cookie value (never stored as such)."""
    token = new_secret()
    at = now()
    with engine.begin() as conn:
        conn.execute(delete(WebSession).where(WebSession.expires_at < at))
        conn.execute(
            insert(WebSession).values(
                token_hash=digest(token),
                user_id=user_id,
                csrf=new_secret(),
                created_at=at,
                expires_at=at + LIFETIME,
            )
        )
    return token


def find_session(engine: Engine, token: str) -> Session | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(WebSession.user_id, WebSession.csrf, WebSession.expires_at).where(
                WebSession.token_hash == digest(token)
            )
        ).first()
    if row is None or row.expires_at < now():
        return None
    return Session(int(row.user_id), row.csrf)


@dataclass(frozen=True)
class SessionUser:
    """Who a live session belongs to."""

    id: int
    username: str
    role: str
    person: str | None


def session_user(engine: Engine, token: str) -> tuple[Session, SessionUser] | None:
    """The live session of this cookie and its active user, in one lookup."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                WebSession.user_id,
                WebSession.csrf,
                WebSession.expires_at,
                User.username,
                User.role,
                User.person,
                User.active,
            )
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_hash == digest(token))
        ).first()
    if row is None or row.expires_at < now() or not row.active:
        return None
    user = SessionUser(int(row.user_id), row.username, row.role, row.person)
    return Session(user.id, row.csrf), user


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
