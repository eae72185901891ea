"""What every command shares: one console, and one way to fail with a clear line and exit 2."""

from __future__ import annotations

import os
from typing import NoReturn

import typer
from rich.console import Console

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
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
