"""`attain serve`: the web app and the REST API (its accounts are `account_commands`)."""

from __future__ import annotations

from typing import Annotated

import typer

from attain.cli._common import DbOption, console


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


def serve_demo(db: str | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """The end of `attain demo`: the address, then serve (the demo logins already exist)."""
    from attain.web.serve import serve as run_server

    console.print(f"open http://{host}:{port}/ (Ctrl+C to stop)")
    run_server(db, host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
