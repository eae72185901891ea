"""What every command shares: one console, one way to fail with a clear line and exit 2, and
one `--db` option that opens the store (a bad URL is one line, never a traceback)."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

PIPE_WIDTH = 160
"""Columns used when output goes to a file or a pipe, so tables are not cut to 80 columns."""

console = Console()
err_console = Console(stderr=True)


def size_consoles() -> None:
    """Size the consoles for this invocation: the terminal's width, else COLUMNS, else wide.

    Runs before every command (the app's callback), because output may be a terminal in one
    invocation and a file in the next (tests, scripts, CI logs).
    """
    for c in (console, err_console):
        c.size = (c.size.width, c.size.height)  # reset to what the environment says
        if not c.is_terminal:
            columns = os.environ.get("COLUMNS", "")
            c.width = int(columns) if columns.isdigit() else PIPE_WIDTH


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear error line and exit (2 by default: bad input, nothing written)."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _store_problem(exc: BaseException) -> str:
    """The driver's own first line (`connection refused`, `unable to open database file`)."""
    from sqlalchemy.exc import NoSuchModuleError

    if isinstance(exc, NoSuchModuleError):
        return "not a kind of store attain knows (sqlite:///file.db or postgresql://...)"
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def shown_url(url: str) -> str:
    """A store URL as it may be printed: any password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def open_store(ctx: typer.Context, value: str | None) -> str | None:
    """`--db`: given a URL, open (and migrate) the store before the command runs, so a bad URL
    or an unreachable store is one line and exit 2 for every command, never a traceback."""
    if ctx.resilient_parsing:
        return value
    ctx.meta["store_url"] = value or os.environ.get("ATTAIN_DATABASE_URL")  # None: the default
    if value is None:
        return value  # the default store is opened when used; StoreGroup reports its failure
    from attain.data.store import get_engine, sqlite_path

    try:
        engine = get_engine(value, migrate=False)
        path = sqlite_path(engine)
        if path is not None and not path.parent.is_dir():
            fail(f"cannot open the store {shown_url(value)}: no folder {path.parent}")
        get_engine(value)
    except typer.Exit:
        raise
    except Exception as exc:  # any failure to open the store is the URL's fault
        fail(f"cannot open the store {shown_url(value)}: {_store_problem(exc)}")
    return value


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db).",
        callback=open_store,
    ),
]
"""The `--db` option of every command that reads or writes the store."""


class StoreGroup(TyperGroup):
    """The command group: a store that cannot be reached mid-command (the default store, or
    ATTAIN_DATABASE_URL), or that refuses a statement, is one line and exit 2, like a bad
    `--db`, instead of a traceback. SQLAlchemy is loaded only to tell such a failure: a
    command that never opened a store (a map of a file) does without it."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors its own click)
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if "sqlalchemy" not in sys.modules:
                raise
            from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

            if not isinstance(exc, ArgumentError | NoSuchModuleError | DBAPIError):
                raise
            store = "the store"
            if "store_url" in ctx.meta:
                from attain.data.store import DEFAULT_URL

                store = f"the store {shown_url(ctx.meta['store_url'] or DEFAULT_URL)}"
            err_console.print(
                "[bold red]error:[/] " + escape(f"{store}: {_store_problem(exc)}"),
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(2) from None
