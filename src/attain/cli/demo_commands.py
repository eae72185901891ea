"""`attain synth` and `attain demo`: a realistic company to try attain on."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
