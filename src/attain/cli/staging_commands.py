"""`attain imports clean`: remove uploads that were checked on the web but never confirmed."""

from __future__ import annotations

import typer

from attain.cli._common import DbOption, console

imports_app = typer.Typer(
    name="imports",
    help="Uploads waiting on the web import page: remove the expired ones.",
    no_args_is_help=True,
)


@imports_app.command("clean")
def clean(db: DbOption = None) -> None:
    """Remove staged uploads older than an hour (a new upload also removes them)."""
    from attain.data.staging import STAGING_HOURS, remove_expired
    from attain.data.store import get_engine

    gone = remove_expired(get_engine(db))
    noun = "upload" if len(gone) == 1 else "uploads"
    console.print(f"removed {len(gone)} staged {noun} older than {STAGING_HOURS} hour(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(imports_app)
