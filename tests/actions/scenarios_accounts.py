"""One scenario per account action: each readies what it needs without writing to the audit
log, then runs its action once, as the given actor. Keyed by the action's audit name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from actions_world import ADMIN, Scenario, World
from sqlalchemy import Engine, insert, select

from attain.accounts.passwords import hash_password
from attain.accounts.schema import ApiToken, User
from attain.accounts.secrets import digest
from attain.actions import accounts
from attain.audit.actor import Actor
from attain.data.schema import Person

PERSON = "acct-ana"
USER = "acct-ivy"
"""A rep linked to PERSON, there before each scenario runs."""
TOKEN = "att_scenario-token"


def ready(engine: Engine) -> int:
    """The person, the user and a live token the scenarios act on; returns the token's id."""
    now = dt.datetime(2027, 1, 1)
    with engine.begin() as conn:
        if conn.execute(select(Person.id).where(Person.id == PERSON)).first() is None:
            conn.execute(insert(Person).values(id=PERSON, name="Ana Acct"))
        user_id = conn.execute(select(User.id).where(User.username == USER)).scalar()
        if user_id is None:
            user_id = conn.execute(
                insert(User)
                .values(
                    username=USER,
                    password_hash=hash_password("ivy-pass-123"),
                    role="rep",
                    person=PERSON,
                    active=True,
                    created_at=now,
                )
                .returning(User.id)
            ).scalar_one()
        token_id = conn.execute(
            select(ApiToken.id).where(ApiToken.token_hash == digest(TOKEN))
        ).scalar()
        if token_id is None:
            token_id = conn.execute(
                insert(ApiToken)
                .values(
                    user_id=user_id,
                    name="scenario",
                    token_hash=digest(TOKEN),
                    created_at=now,
                    revoked=False,
                )
                .returning(ApiToken.id)
            ).scalar_one()
    return int(token_id)


def _add(engine: Engine, actor: Actor) -> None:
    ready(engine)
    accounts.add_user(engine, actor, "acct-new", "new-pass-123", "rep", PERSON)


def _password(engine: Engine, actor: Actor) -> None:
    ready(engine)
    accounts.set_password(engine, actor, USER, "changed-pass-123")


def _active(engine: Engine, actor: Actor) -> None:
    ready(engine)
    accounts.set_active(engine, actor, USER, False)


def _role(engine: Engine, actor: Actor) -> None:
    ready(engine)
    accounts.change_role(engine, actor, USER, "finance", None)


def _token(engine: Engine, actor: Actor) -> None:
    ready(engine)
    accounts.new_api_token(engine, actor, USER, "reports")


def _revoke(engine: Engine, actor: Actor) -> None:
    accounts.revoke_token(engine, actor, ready(engine))


ACCOUNT_SCENARIOS: dict[str, Callable[[Engine, Actor], None]] = {
    "user.add": _add,
    "user.password": _password,
    "user.active": _active,
    "user.role": _role,
    "token.create": _token,
    "token.revoke": _revoke,
}


def _in_world(name: str, scenario: Callable[[Engine, Actor], None]) -> Scenario:
    def run(w: World) -> None:
        ready(w.engine)
        with w.expect(ADMIN, name):
            scenario(w.engine, ADMIN)

    return run


SCENARIOS: dict[str, Scenario] = {n: _in_world(n, f) for n, f in ACCOUNT_SCENARIOS.items()}
"""The same scenarios in the shape the audit test runs (`test_every_write_audited.py`)."""
