"""Users: added by an admin (or the CLI), authenticated by password or API token."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from attain.accounts.passwords import DUMMY_HASH, MIN_LENGTH, hash_password, verify_password
from attain.accounts.schema import ApiToken, User
from attain.accounts.secrets import digest, new_secret
from attain.clock import now
from attain.data.schema import Person

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


def add_user(
    engine: Engine, username: str, password: str, role: str, person: str | None = None
) -> Account:
    """Add a user; a rep or manager must be linked to a person of the hierarchy."""
    username = username.strip()
    if not username:
        raise UserError("a username is required")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if role in LINKED_ROLES and not person:
        raise UserError(f"a {role} is linked to a person: give --person")
    if len(password) < MIN_LENGTH:
        raise UserError(f"the password is shorter than {MIN_LENGTH} characters")
    with engine.begin() as conn:
        if person:
            known = conn.execute(select(Person.id).where(Person.id == person).limit(1)).first()
            if known is None:
                raise UserError(f"no person {person!r} in the hierarchy")
        try:
            new_id = conn.execute(
                insert(User)
                .values(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    person=person if role in LINKED_ROLES else person or None,
                    active=True,
                    created_at=now(),
                )
                .returning(User.id)
            ).scalar_one()
        except IntegrityError:
            raise UserError(f"a user {username!r} exists already") from None
    return Account(int(new_id), username, role, person, True)


def set_password(engine: Engine, username: str, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise UserError(f"the password is shorter than {MIN_LENGTH} characters")
    with engine.begin() as conn:
        done = conn.execute(
            update(User)
            .where(User.username == username)
            .values(password_hash=hash_password(password))
        )
    if done.rowcount == 0:
        raise UserError(f"no user {username!r}")


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
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(row.password_hash, password) or not row.active:
        return None
    return _account(User(**row._mapping))


def new_api_token(engine: Engine, username: str, name: str = "api") -> str:
    """Make an API token for a user; the token is returned once and only its hash is kept."""
    account = find_user(engine, username)
    if account is None:
        raise UserError(f"no user {username!r}")
    token = new_secret("att_")
    with engine.begin() as conn:
        conn.execute(
            insert(ApiToken).values(
                user_id=account.id,
                name=name,
                token_hash=digest(token),
                created_at=now(),
                revoked=False,
            )
        )
    return token


def user_for_token(engine: Engine, token: str) -> Account | None:
    """The active user an API token belongs to, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == digest(token), ApiToken.revoked.is_(False))
        ).first()
    if row is None or not row.active:
        return None
    return _account(User(**row._mapping))
