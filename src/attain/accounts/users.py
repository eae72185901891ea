"""Users: who they are and how they prove it (password or API token). Reads only; every change
to a user or a token is an action in `attain.actions.accounts`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from attain.accounts.passwords import dummy_hash, verify_password
from attain.accounts.schema import ApiToken, User
from attain.accounts.secrets import digest
from attain.clock import now

ROLES = ("admin", "finance", "manager", "rep")
LINKED_ROLES = ("manager", "rep")
"""Roles whose user is a person of the hierarchy (they see their own pay, or their team's)."""


class UserError(ValueError):
    """A user cannot be added or changed as asked (unknown role, person, duplicate name)."""


@dataclass(frozen=True)
class Account:
    """A user as the app sees it: never carries the password hash."""

    id: int
    username: str
    role: str
    person: str | None
    active: bool


def _account(row: User) -> Account:
    return Account(row.id, row.username, row.role, row.person, bool(row.active))


def list_users(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        rows = conn.execute(select(User).order_by(User.username)).all()
    return [_account(User(**r._mapping)) for r in rows]


def get_user(engine: Engine, user_id: int) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(select(User).where(User.id == user_id)).first()
    return _account(User(**row._mapping)) if row is not None else None


def find_user(engine: Engine, username: str) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(select(User).where(User.username == username)).first()
    return _account(User(**row._mapping)) if row is not None else None


def authenticate(engine: Engine, username: str, password: str) -> Account | None:
    """The active user with this password, or None (same work either way)."""
    with engine.connect() as conn:
        row = conn.execute(select(User).where(User.username == username)).first()
    if row is None:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(row.password_hash, password) or not row.active:
        return None
    return _account(User(**row._mapping))


def user_for_token(engine: Engine, token: str) -> Account | None:
    """The active user a live API token belongs to, or None (revoked, expired, unknown)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(
                ApiToken.token_hash == digest(token),
                ApiToken.revoked.is_(False),
                ApiToken.expires_at > now(),
            )
        ).first()
    if row is None or not row.active:
        return None
    return _account(User(**row._mapping))
