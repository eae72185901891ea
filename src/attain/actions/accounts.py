"""Account actions: adding users, their passwords, roles and activity, and their API tokens.

Each is one transaction with one audit entry naming the actor. An entry never holds a password,
a token or a hash of either: only who, which user or token, and the role, person and activity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from attain.accounts.password_policy import password_problem
from attain.accounts.passwords import hash_password
from attain.accounts.schema import ApiToken, User, WebSession
from attain.accounts.secrets import digest, new_secret
from attain.accounts.users import LINKED_ROLES, ROLES, Account, UserError
from attain.actions.core import audit, require, transaction, user_action
from attain.audit.actor import Actor
from attain.data.schema import Person

MANAGE = "users.manage"
TOKEN_DAYS = 90
"""How long an API token works unless told otherwise."""
MAX_TOKEN_DAYS = 3650


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise UserError(problem)


def _end_access(
    conn: Connection,
    user_id: int,
    keep_session: str | None = None,
    keep_token: str | None = None,
) -> dict[str, int]:
    """End a user's sessions and revoke their API tokens, all but the session or token (by its
    hash) making the change: what someone held with the old password stops working at once."""
    sessions = delete(WebSession).where(WebSession.user_id == user_id)
    if keep_session is not None:
        sessions = sessions.where(WebSession.token_hash != keep_session)
    ended = conn.execute(sessions).rowcount
    tokens = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
    if keep_token is not None:
        tokens = tokens.where(ApiToken.token_hash != keep_token)
    revoked = conn.execute(tokens.values(revoked=True)).rowcount
    return {"sessions_ended": ended, "tokens_revoked": revoked}


def _check_role(conn: Connection, role: str, person: str | None) -> str | None:
    """The person the user is linked to, once the role and person are known to fit."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if role in LINKED_ROLES and not person:
        raise UserError(f"a {role} is linked to a person: give --person")
    if person:
        known = conn.execute(select(Person.id).where(Person.id == person).limit(1)).first()
        if known is None:
            raise UserError(f"no person {person!r} in the hierarchy")
    return person or None


def _user(conn: Connection, username: str) -> User:
    row = conn.execute(select(User).where(User.username == username)).first()
    if row is None:
        raise UserError(f"no user {username!r}")
    return User(**row._mapping)


def _shown(user: User) -> dict[str, Any]:
    """What an audit entry says of a user: never the password hash."""
    return {
        "username": user.username,
        "role": user.role,
        "person": user.person,
        "active": bool(user.active),
    }


def _keeps_an_admin(conn: Connection, user: User) -> None:
    """Refuse to leave the store without an active admin (no one could manage users again)."""
    if user.role != "admin" or not user.active:
        return
    others = conn.execute(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.active.is_(True), User.id != user.id)
    ).scalar_one()
    if others == 0:
        raise UserError(f"{user.username} is the last active admin")


@user_action("user.add", capability=MANAGE)
def add_user(
    engine: Engine,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    person: str | None = None,
) -> Account:
    """Add a user; a rep or manager must be linked to a person of the hierarchy."""
    require(actor, MANAGE)
    username = username.strip()
    if not username:
        raise UserError("a username is required")
    _check_password(password)
    with transaction(engine) as conn:
        linked = _check_role(conn, role, person)
        taken = conn.execute(select(User.id).where(User.username == username)).first()
        if taken is not None:
            raise UserError(f"a user {username!r} exists already")
        try:
            new_id = conn.execute(
                insert(User)
                .values(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    person=linked,
                    active=True,
                    created_at=_now(),
                )
                .returning(User.id)
            ).scalar_one()
        except IntegrityError:  # added by someone else meanwhile: the transaction is undone
            raise UserError(f"a user {username!r} exists already") from None
        account = Account(int(new_id), username, role, linked, True)
        after = {"username": username, "role": role, "person": linked, "active": True}
        audit(conn, actor, "user.add", "user", username, after=after)
    return account


@user_action("user.password", capability=MANAGE)
def set_password(
    engine: Engine,
    actor: Actor,
    username: str,
    password: str,
    keep_session: str | None = None,
    keep_token: str | None = None,
) -> dict[str, int]:
    """Set a user's password: an admin for anyone, anyone for their own account (the actor is
    the user, named by username or, as the web names reps and managers, by their person).

    Every session of the user ends and all their API tokens are revoked: whoever learnt the old
    password, or holds a token made with it, is out. Only what made the change (`keep_session`
    or `keep_token`, by its hash) keeps working."""
    _check_password(password)
    with transaction(engine) as conn:
        user = _user(conn, username)
        if actor.role == "system" or actor.name not in (user.username, user.person):
            require(actor, MANAGE)
        conn.execute(
            update(User).where(User.id == user.id).values(password_hash=hash_password(password))
        )
        ended = _end_access(conn, user.id, keep_session, keep_token)
        audit(conn, actor, "user.password", "user", username, after=ended)
    return ended


@user_action("user.active", capability=MANAGE)
def set_active(engine: Engine, actor: Actor, username: str, active: bool) -> Account:
    """Activate or deactivate a user; deactivating also ends their sessions and revokes their
    tokens, so nothing they held still works if they are activated again."""
    require(actor, MANAGE)
    with transaction(engine) as conn:
        user = _user(conn, username)
        if bool(user.active) == active:
            raise UserError(f"{username} is {'active' if active else 'deactivated'} already")
        if not active:
            _keeps_an_admin(conn, user)
        before = _shown(user)
        conn.execute(update(User).where(User.id == user.id).values(active=active))
        revoked = 0
        if not active:
            revoked = _end_access(conn, user.id)["tokens_revoked"]
        after = {**before, "active": active, "tokens_revoked": revoked}
        audit(conn, actor, "user.active", "user", username, before=before, after=after)
    return Account(user.id, user.username, user.role, user.person, active)


@user_action("user.role", capability=MANAGE)
def change_role(
    engine: Engine, actor: Actor, username: str, role: str, person: str | None = None
) -> Account:
    """Give a user another role (and, for a rep or manager, the person they are)."""
    require(actor, MANAGE)
    with transaction(engine) as conn:
        user = _user(conn, username)
        linked = _check_role(conn, role, person)
        if (user.role, user.person) == (role, linked):
            raise UserError(f"{username} is {role} already")
        if role != "admin":
            _keeps_an_admin(conn, user)
        before = _shown(user)
        conn.execute(update(User).where(User.id == user.id).values(role=role, person=linked))
        after = {**before, "role": role, "person": linked}
        audit(conn, actor, "user.role", "user", username, before=before, after=after)
    return Account(user.id, user.username, role, linked, bool(user.active))


@user_action("token.create", capability=MANAGE)
def new_api_token(
    engine: Engine,
    actor: Actor,
    username: str,
    name: str = "api",
    expires_in_days: int = TOKEN_DAYS,
) -> str:
    """Make an API token for a user, working for `expires_in_days` days; the token is returned
    once and only its hash is kept."""
    require(actor, MANAGE)
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise UserError(f"a token works for 1 to {MAX_TOKEN_DAYS} days, not {expires_in_days}")
    token = new_secret("att_")
    made = _now()
    expires_at = made + dt.timedelta(days=expires_in_days)
    with transaction(engine) as conn:
        user = _user(conn, username)
        if not user.active:
            raise UserError(f"{username} is deactivated: activate them first")
        token_id = conn.execute(
            insert(ApiToken)
            .values(
                user_id=user.id,
                name=name,
                token_hash=digest(token),
                created_at=made,
                revoked=False,
                expires_at=expires_at,
            )
            .returning(ApiToken.id)
        ).scalar_one()
        after = {"user": username, "name": name, "expires_at": expires_at.isoformat()}
        audit(conn, actor, "token.create", "api_token", str(token_id), after=after)
    return token


@user_action("token.revoke", capability=MANAGE)
def revoke_token(engine: Engine, actor: Actor, token_id: int) -> None:
    """Revoke an API token: calls made with it are refused from now on."""
    require(actor, MANAGE)
    with transaction(engine) as conn:
        row = conn.execute(
            select(ApiToken.name, ApiToken.revoked, User.username)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.id == token_id)
        ).first()
        if row is None:
            raise UserError(f"no API token {token_id}")
        if row.revoked:
            raise UserError(f"API token {token_id} is revoked already")
        conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(revoked=True))
        shown = {"user": row.username, "name": row.name}
        audit(
            conn,
            actor,
            "token.revoke",
            "api_token",
            str(token_id),
            before={**shown, "revoked": False},
            after={**shown, "revoked": True},
        )
