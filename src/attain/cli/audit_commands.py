"""`attain audit verify | log | checkpoint | rotate-key`: check the audit log (its signed chain,
its head, the checkpoints kept outside the store), read it, anchor it, change its key."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail

audit_app = typer.Typer(
    name="audit",
    help="The audit log: verify its chain, read it, checkpoint it, rotate its key.",
    no_args_is_help=True,
)


@audit_app.command("verify")
def verify(db: DbOption = None) -> None:
    """Check every entry's signature, the head and the newest checkpoint: fails (exit 1) naming
    what was edited, deleted, reordered or cut off."""
    from attain.audit import check_log
    from attain.data.store import get_engine

    check = check_log(get_engine(db))
    for note in check.notes:
        console.print(note, highlight=False, soft_wrap=True)
    if check.problems:
        for p in check.problems:
            console.print(p, highlight=False, soft_wrap=True)
        fail(
            f"the audit log is not intact ({len(check.problems)} problems in {check.entries}"
            " entries)",
            code=1,
        )
    head = f"; head entry {check.head_seq} has hash {check.head_hash}" if check.entries else ""
    mark = check.newest
    anchor = f"; newest checkpoint entry {mark.seq} ({mark.at})" if mark else ""
    console.print(
        f"audit log intact: {check.entries} entries{head}{anchor}", highlight=False, soft_wrap=True
    )


@audit_app.command("checkpoint")
def take_checkpoint(db: DbOption = None) -> None:
    """Sign the log as it is now and write its head to the checkpoint file (for a schedule, or
    a log written before entries were signed)."""
    from attain.audit.anchor import checkpoint_path, newest_checkpoint
    from attain.audit.log import checkpoint
    from attain.data.store import get_engine

    engine = get_engine(db)
    checkpoint(engine)
    mark = newest_checkpoint(engine)
    if mark is not None:
        console.print(
            f"checkpoint: entry {mark.seq} hash {mark.hash}", highlight=False, soft_wrap=True
        )
    console.print(f"written to {checkpoint_path(engine)}", highlight=False, soft_wrap=True)


@audit_app.command("rotate-key")
def rotate_key(db: DbOption = None) -> None:
    """Sign new entries with a new key; the old keys stay in the keyring to verify old entries."""
    from attain.audit.keys import KeyMissing, keyring_path
    from attain.audit.log import rotate_key
    from attain.data.store import get_engine

    try:
        old, new = rotate_key(get_engine(db))
    except KeyMissing as e:
        fail(str(e))
    console.print(
        f"audit key {old} -> {new} (keyring {keyring_path()})", highlight=False, soft_wrap=True
    )


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
