"""`--as NAME`: who a CLI write is done by (the OS user by default), acting as an admin.

The command line has no login; whoever can reach the store may act as its admin, and the
audit log names them.
"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from attain.audit.actor import Actor
from attain.cli._common import fail

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Who does this, as the audit log names them (default: you)."),
]


def acting(name: str | None, role: str = "admin") -> Actor:
    """The actor a CLI write is done by."""
    try:
        return Actor.of(name or getpass.getuser(), role)
    except (ValueError, KeyError, OSError) as exc:
        fail(str(exc))
