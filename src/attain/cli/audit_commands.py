"""`attain audit verify | log`: check the audit log's hash chain, and read it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail

audit_app = typer.Typer(
    name="audit", help="The audit log: verify its chain, read it.", no_args_is_help=True
)


@audit_app.command("verify")
def verify(db: DbOption = None) -> None:
    """Walk the hash chain: fails (exit 1) if any entry was edited or deleted."""
    from attain.audit import entries, verify_log
    from attain.data.store import get_engine

    count, problems = verify_log(get_engine(db))
    if problems:
        for p in problems:
            console.print(p, highlight=False)
        fail(f"the audit log is not intact ({len(problems)} problems in {count} entries)", code=1)
    newest = entries(get_engine(db), limit=1)
    head = f"; newest entry {newest[0].seq} has hash {newest[0].hash}" if newest else ""
    console.print(f"audit log intact: {count} entries{head}")


@audit_app.command("log")
def log(
    entity: Annotated[
        str | None, typer.Option(help="Only this kind of thing: period, run, adjustment, dispute.")
    ] = None,
    entity_id: Annotated[str | None, typer.Option("--id", help="Only this one.")] = None,
    limit: Annotated[int, typer.Option(help="How many of the newest entries.")] = 50,
    db: DbOption = None,
) -> None:
    """The newest entries: who did what to what, when, and why."""
    from attain.audit import entries
    from attain.data.store import get_engine

    table = Table("#", "at", "who", "action", "what", "reason")
    for e in entries(get_engine(db), entity, entity_id, limit):
        table.add_row(
            str(e.seq),
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            f"{e.actor} ({e.role})",
            e.action,
            f"{e.entity} {e.entity_id}",
            e.reason or "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app)
