"""`attain users add | list | password | deactivate | activate | role` and `attain tokens
create | list | revoke`: the accounts the web app and the API log in with, thin over
`attain.actions.accounts`.

Every write acts as a real attain user (`attain.cli.acting`): only an admin manages users. On a
store with no users yet, the OS user acts as an admin, and the first admin they add becomes
their local operator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, acting, acting_as, identity

T = TypeVar("T")

users_app = typer.Typer(
    name="users",
    help="Web and API accounts: add, list, passwords, roles, (de)activate.",
    no_args_is_help=True,
)
tokens_app = typer.Typer(
    name="tokens", help="API tokens: create (shown once), list, revoke.", no_args_is_help=True
)


def _act(fn: Callable[[], T]) -> T:
    """Run an account action; its refusal is one clear line and exit code 2."""
    from attain.accounts.users import UserError
    from attain.actions import NotAllowed

    try:
        return fn()
    except (UserError, NotAllowed) as e:
        fail(str(e))


def _engine(db: str | None) -> Any:
    from attain.data.store import get_engine

    return get_engine(db)


def _new_password(password: str | None, prompt: str) -> str:
    if password is not None:
        return password
    entered: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return entered


PasswordOption = Annotated[
    str | None,
    typer.Option(help="Password (12+ characters, not a common one); asked for when not given."),
]


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="admin, finance, manager or rep.")],
    person: Annotated[
        str | None, typer.Option(help="The person (people.id) a rep or manager is.")
    ] = None,
    password: PasswordOption = None,
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a user who logs in to the web app."""
    from attain.actions.accounts import add_user
    from attain.actions.operators import map_operator

    who = acting_as(db, as_)
    if who.source == "bootstrap" and role != "admin":
        fail("the store has no users yet: its first user is an admin (--role admin)")
    secret = _new_password(password, "password")
    account = _act(lambda: add_user(_engine(db), who.actor, username, secret, role, person))
    linked = f", {account.person}" if account.person else ""
    console.print(f"added {account.username} ({account.role}{linked})", highlight=False)
    if who.os_user is not None and who.source == "bootstrap" and account.role == "admin":
        me = who.os_user
        _act(lambda: map_operator(_engine(db), who.actor, me, account.username))
        console.print(
            f"you (OS user {me}) now act as {account.username} on the command line",
            highlight=False,
        )


@users_app.command("list")
def list_(db: DbOption = None) -> None:
    """Every user: name, role, person, active."""
    from attain.accounts.users import list_users

    table = Table("username", "role", "person", "active")
    for a in list_users(_engine(db)):
        table.add_row(a.username, a.role, a.person or "", "yes" if a.active else "no")
    console.print(table)


@users_app.command("password")
def password(
    username: Annotated[str, typer.Argument(help="Whose password.")],
    new: Annotated[
        str | None,
        typer.Option("--password", help="The new password; asked for twice when not given."),
    ] = None,
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Set a user's password: their sessions end and their API tokens are revoked."""
    from attain.actions.accounts import set_password

    actor = acting(db, as_)
    secret = _new_password(new, "new password")
    ended = _act(lambda: set_password(_engine(db), actor, username, secret))
    console.print(
        f"password of {username} changed: {ended['sessions_ended']} session(s) ended, "
        f"{ended['tokens_revoked']} API token(s) revoked",
        highlight=False,
    )


@users_app.command("deactivate")
def deactivate(
    username: Annotated[str, typer.Argument(help="Who may no longer log in.")],
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Deactivate a user: they cannot log in, their sessions end and their API tokens are
    revoked."""
    from attain.actions.accounts import set_active

    actor = acting(db, as_)
    _act(lambda: set_active(_engine(db), actor, username, False))
    console.print(
        f"deactivated {username}: their sessions and API tokens no longer work", highlight=False
    )


@users_app.command("activate")
def activate(
    username: Annotated[str, typer.Argument(help="Who may log in again.")],
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Let a deactivated user log in again (their old API tokens stay revoked)."""
    from attain.actions.accounts import set_active

    actor = acting(db, as_)
    _act(lambda: set_active(_engine(db), actor, username, True))
    console.print(f"activated {username}", highlight=False)


@users_app.command("role")
def role(
    username: Annotated[str, typer.Argument(help="Whose role.")],
    new_role: Annotated[
        str, typer.Argument(metavar="ROLE", help="admin, finance, manager or rep.")
    ],
    person: Annotated[
        str | None, typer.Option(help="The person (people.id) a rep or manager is.")
    ] = None,
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Give a user another role (a rep or manager is linked to a person)."""
    from attain.actions.accounts import change_role

    actor = acting(db, as_)
    account = _act(lambda: change_role(_engine(db), actor, username, new_role, person))
    linked = f", {account.person}" if account.person else ""
    console.print(f"{account.username} is now {account.role}{linked}", highlight=False)


@users_app.command("operator")
def operator(
    os_name: Annotated[str, typer.Argument(metavar="OSUSER", help="An OS user of this machine.")],
    username: Annotated[
        str | None, typer.Argument(help="The attain user their commands act as.")
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the OS user's mapping instead.")
    ] = False,
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Map an OS user to an attain user: their CLI commands act as that user, with its role."""
    from attain.actions.operators import map_operator

    if (username is None) != remove:
        fail("give the USERNAME to map to, or --remove (not both)")
    actor = acting(db, as_)
    _act(lambda: map_operator(_engine(db), actor, os_name, username))
    if remove:
        console.print(f"{os_name} no longer acts as anyone", highlight=False)
    else:
        console.print(f"{os_name} acts as {username} on the command line", highlight=False)


@users_app.command("operators")
def operators_list(db: DbOption = None) -> None:
    """Which OS user acts as which attain user on the command line."""
    from attain.accounts.operators import operators

    table = Table("OS user", "acts as")
    for os_name, username in operators(_engine(db)):
        table.add_row(os_name, username)
    console.print(table)


def whoami(db: DbOption = None) -> None:
    """Who your commands act as on this store, and how attain knows (token or OS user)."""
    who = identity(db)
    how = {
        "token": "by the API token in ATTAIN_TOKEN",
        "operator": f"as the local operator {who.os_user}",
        "bootstrap": "as an admin: the store has no users yet",
    }[who.source]
    name = who.username or who.actor.name
    console.print(f"{name} ({who.actor.role}), {how}", highlight=False)


ExpiresOption = Annotated[
    int, typer.Option("--expires-in-days", help="Days the token works (1 to 3650).")
]


@tokens_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    expires_in_days: ExpiresOption = 90,
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Make an API token (printed once; only its hash is kept); it works for 90 days unless
    told otherwise."""
    from attain.actions.accounts import new_api_token

    actor = acting(db, as_)
    token = _act(lambda: new_api_token(_engine(db), actor, username, name, expires_in_days))
    console.print(token, highlight=False, soft_wrap=True)


@tokens_app.command("list")
def tokens_list(
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    db: DbOption = None,
) -> None:
    """API tokens: id, user, what for, when made, until when, revoked (never the token)."""
    from attain.accounts.tokens import list_tokens
    from attain.clock import now

    table = Table("id", "user", "name", "made", "expires", "revoked")
    at = now()
    for t in list_tokens(_engine(db), username):
        expires = f"{t.expires_at:%Y-%m-%d %H:%M}" if t.expires_at else ""
        table.add_row(
            str(t.id),
            t.username,
            t.name,
            f"{t.created_at:%Y-%m-%d %H:%M}",
            expires + (" (expired)" if t.expired(at) else ""),
            "yes" if t.revoked else "",
        )
    console.print(table)


@tokens_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `attain tokens list`).")],
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """Revoke an API token: calls made with it are refused from now on."""
    from attain.actions.accounts import revoke_token

    actor = acting(db, as_)
    _act(lambda: revoke_token(_engine(db), actor, token_id))
    console.print(f"revoked API token {token_id}", highlight=False)


@users_app.command("token", hidden=True)
def token(
    username: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    as_: AsOption = None,
    db: DbOption = None,
) -> None:
    """The former name of `attain tokens create`, kept for scripts."""
    create(username, name, 90, as_, db)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app)
    app.add_typer(tokens_app)
    app.command("whoami")(whoami)
