"""`attain cases ...` and `attain comp ...`: plans, the engine, runs."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
