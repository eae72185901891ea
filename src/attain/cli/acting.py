"""Who a CLI write is done by: a real, active user of attain, with that user's role.

The command line acts as

1. the user of the API token in `ATTAIN_TOKEN` (refused when the token is unknown, revoked or
   expired, or its user is deactivated); else
2. the local operator: the attain user an admin mapped this OS user to
   (`attain users operator OSUSER USERNAME`); else
3. on a store with no users at all, this OS user as an admin, so the first admin can be added
   (and `attain demo` run). Once any user exists, an unmapped OS user is refused.

Role and person come from the user, never from a flag, and the action checks them as it does
for the web. `--as USERNAME` only confirms who that is; it never changes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from attain.cli._common import fail

if TYPE_CHECKING:
    from attain.audit.actor import Actor

TOKEN_VARIABLE = "ATTAIN_TOKEN"

AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Check that this runs as this attain user (it never changes who: see ATTAIN_TOKEN).",
    ),
]


def _retired(value: str | None) -> None:
    if value is not None:
        fail(
            "--by and --role are gone: a command acts as your attain user "
            f"({TOKEN_VARIABLE}, or `attain users operator`; see docs/cli-identity.md)"
        )


RetiredOption = Annotated[
    str | None,
    typer.Option("--by", "--role", hidden=True, callback=_retired, expose_value=True),
]
"""The former `--by NAME --role ROLE`: refused with a hint, since they let anyone be anyone."""


@dataclass(frozen=True)
class Identity:
    """Who the CLI acts as, and how it knows."""

    actor: Actor
    username: str | None
    """The attain user (None when bootstrapping a store with no users)."""
    source: str
    """`token`, `operator` or `bootstrap`."""
    os_user: str | None = None
    """The OS user, when that is how attain knows (`operator`, `bootstrap`)."""


def os_user() -> str:
    """This process's OS user, from the operating system (never an environment variable, which
    anyone may set)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # not POSIX, or an unnamed uid
        import getpass

        return getpass.getuser()


def identity(db: str | None) -> Identity:
    """Who a CLI command on the store at `db` acts as; refusals are one line and exit 2."""
    from attain.access.viewer import Viewer, actor_of
    from attain.accounts.operators import has_users, operator_user
    from attain.accounts.users import user_for_token
    from attain.audit.actor import Actor
    from attain.data.store import get_engine

    engine = get_engine(db)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    me: str | None = None
    if token:
        account = user_for_token(engine, token)
        if account is None:
            fail(
                f"{TOKEN_VARIABLE} is not a live API token here (unknown, revoked or expired, "
                "or its user is deactivated)"
            )
        source = "token"
    else:
        me = os_user()
        found = operator_user(engine, me)
        if found is None:
            if not has_users(engine):
                return Identity(Actor.of(me, "admin"), None, "bootstrap", me)
            fail(
                f"you (OS user {me}) are not an attain user of this store: an admin maps you "
                f"with `attain users operator {me} USERNAME`, or set {TOKEN_VARIABLE}"
            )
        if not found.active:
            fail(f"you (OS user {me}) act as {found.username}, who is deactivated")
        account, source = found, "operator"
    viewer = Viewer(account.id, account.username, account.role, account.person)
    return Identity(actor_of(viewer), account.username, source, me)


def acting_as(db: str | None, as_: str | None = None) -> Identity:
    """Who a CLI write on the store at `db` acts as; `--as`, when given, must name that user."""
    who = identity(db)
    if as_ is not None and as_ not in (who.username, who.actor.name):
        you = who.username or who.actor.name
        fail(f"you are {you}; --as {as_} needs {as_}'s token ({TOKEN_VARIABLE})")
    return who


def acting(db: str | None, as_: str | None = None) -> Actor:
    """The actor a CLI write on the store at `db` is done by."""
    return acting_as(db, as_).actor
