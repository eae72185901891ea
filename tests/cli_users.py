"""Real attain users for tests of CLI writes: a CLI command acts as a user by that user's API
token (`ATTAIN_TOKEN`), so tests pass an environment, never a name or a role."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from attain.accounts.schema import User
from attain.actions.accounts import new_api_token
from attain.audit.actor import SYSTEM
from attain.data.store import get_engine

NO_PASSWORD = "!"
"""A password hash nothing matches: these users act by token only (and no time goes hashing)."""


def as_user(url: str, username: str, role: str, person: str | None = None) -> dict[str, str]:
    """The environment of a CLI acting as `username` (added if new) by a new API token."""
    engine = get_engine(url)
    with engine.begin() as conn:
        known = conn.execute(select(User.id).where(User.username == username)).first()
        if known is None:
            conn.execute(
                insert(User).values(
                    username=username,
                    password_hash=NO_PASSWORD,
                    role=role,
                    person=person,
                    active=True,
                    created_at=dt.datetime(2026, 1, 1),
                )
            )
    return {"ATTAIN_TOKEN": new_api_token(engine, SYSTEM, username, "test")}
