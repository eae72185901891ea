"""API tokens as an admin sees them: whose, what for, when made and until when they work,
whether revoked; never the token or its hash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from attain.accounts.schema import ApiToken, User


@dataclass(frozen=True)
class Token:
    id: int
    username: str
    name: str
    created_at: dt.datetime
    revoked: bool
    expires_at: dt.datetime | None

    def expired(self, at: dt.datetime) -> bool:
        return self.expires_at is None or self.expires_at <= at


def list_tokens(engine: Engine, username: str | None = None) -> list[Token]:
    """Every token (or one user's), oldest first."""
    query = (
        select(
            ApiToken.id,
            User.username,
            ApiToken.name,
            ApiToken.created_at,
            ApiToken.revoked,
            ApiToken.expires_at,
        )
        .join(User, User.id == ApiToken.user_id)
        .order_by(ApiToken.id)
    )
    if username is not None:
        query = query.where(User.username == username)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        Token(int(r.id), r.username, r.name, r.created_at, bool(r.revoked), r.expires_at)
        for r in rows
    ]
