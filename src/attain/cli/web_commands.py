"""`attain serve` and `attain users add | list | token | password`: the web app and its accounts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail

users_app = typer.Typer(
    name="users", help="Web and API accounts: add, list, tokens.", no_args_is_help=True
)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (one per core serves more people at once).")
    ] = 1,
) -> None:
    """Serve the web app and the REST API (/api/v1, schema at /openapi.json)."""
    from attain.web.serve import serve as run_server

    console.print(f"attain serving at http://{host}:{port}/ (Ctrl+C to stop)")
    run_server(db, host, port, workers=workers)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="admin, finance, manager or rep.")],
    person: Annotated[
        str | None, typer.Option(help="The person (people.id) a rep or manager is.")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(help="Password (8+ characters); asked for when not given.", hidden=False),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a user who logs in to the web app."""
    from attain.accounts.users import UserError, add_user
    from attain.data.store import get_engine

    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        account = add_user(get_engine(db), username, password, role, person)
    except UserError as exc:
        fail(str(exc))
    console.print(
        f"added {account.username} ({account.role}{', ' + account.person if account.person else ''})"
    )


@users_app.command("list")
def list_(db: DbOption = None) -> None:
    """Every user: name, role, person, active."""
    from attain.accounts.users import list_users
    from attain.data.store import get_engine

    table = Table("username", "role", "person", "active")
    for a in list_users(get_engine(db)):
        table.add_row(a.username, a.role, a.person or "", "yes" if a.active else "no")
    console.print(table)


@users_app.command("token")
def token(
    username: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    db: DbOption = None,
) -> None:
    """Make an API token (printed once; only its hash is kept)."""
    from attain.accounts.users import UserError, new_api_token
    from attain.data.store import get_engine

    try:
        console.print(
            new_api_token(get_engine(db), username, name), highlight=False, soft_wrap=True
        )
    except UserError as exc:
        fail(str(exc))


@users_app.command("password")
def password(
    username: Annotated[str, typer.Argument(help="Whose password.")],
    db: DbOption = None,
) -> None:
    """Set a user's password (asked for twice)."""
    from attain.accounts.users import UserError, set_password
    from attain.data.store import get_engine

    new = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(get_engine(db), username, new)
    except UserError as exc:
        fail(str(exc))
    console.print(f"password of {username} changed")


def serve_demo(db: str | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """The end of `attain demo`: the address, then serve (the demo logins already exist)."""
    from attain.web.serve import serve as run_server

    console.print(f"open http://{host}:{port}/ (Ctrl+C to stop)")
    run_server(db, host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(users_app)
