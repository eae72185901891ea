"""`attain cases ...`: worked compensation cases, checked to the cent on DuckDB or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

cases_app = typer.Typer(
    name="cases",
    help="Worked compensation cases: expected payouts to the cent.",
    no_args_is_help=True,
)


@cases_app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(help="Case files or folders of *.yaml cases.")],
    backend: Annotated[
        str, typer.Option("--backend", help="Where to calculate: duckdb (in memory) or postgres.")
    ] = "duckdb",
    postgres_url: Annotated[
        str | None,
        typer.Option("--postgres-url", help="Server for --backend postgres (a schema per case)."),
    ] = None,
) -> None:
    """Run every case; print PASS/FAIL per case and `N passed, M failed`; exit 1 on any failure."""
    from attain.cli._common import fail
    from attain.comp.cases import DEFAULT_POSTGRES_URL, check_paths

    if backend not in ("duckdb", "postgres"):
        fail(f"unknown backend {backend!r} (duckdb or postgres)")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such case file or folder: {', '.join(missing)}")
    _, failed = check_paths(
        paths, backend, postgres_url or DEFAULT_POSTGRES_URL, report=lambda s: print(s, flush=True)
    )
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app)
