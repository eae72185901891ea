"""`attain process import` and `attain process logs`: event log files kept in the store.

`register_import_commands(group)` adds both to the `process` group; until that group holds the
map commands too, `register(app)` creates it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, acting


def _mapping(
    file: Path,
    mapping: Path | None,
    case: str | None,
    activity: str | None,
    timestamp: str | None,
    resource: str | None,
    lifecycle: str | None,
    amount: str | None,
    timestamp_format: str | None,
    attribute: list[str] | None,
    currency: str | None,
) -> object:
    """The column mapping of a CSV or Parquet file, from a YAML file or from the options."""
    from attain.process.files import is_xes
    from attain.process.log_mapping import LogMapping, MappingError, load_mapping

    if is_xes(file):
        if mapping is not None or case or activity or timestamp:
            fail(f"{file.name} is XES: its case, activity and timestamp need no mapping")
        return None
    if mapping is not None:
        if not mapping.is_file():
            fail(f"{mapping.name}: no such file")
        try:
            return load_mapping(mapping.read_text(encoding="utf-8"), source=mapping.name)
        except MappingError as exc:
            fail(str(exc))
    if not (case and activity and timestamp):
        fail(f"{file.name}: give --mapping FILE, or --case, --activity and --timestamp columns")
    attributes = {}
    for a in attribute or []:
        name, _, column = a.partition("=")
        attributes[name.strip()] = (column or name).strip()
    return LogMapping(
        case=case,
        activity=activity,
        timestamp=timestamp,
        resource=resource,
        lifecycle=lifecycle,
        amount=amount,
        currency=currency,
        timestamp_format=timestamp_format,
        attributes=attributes,
    )


def import_log(
    file: Annotated[
        Path, typer.Argument(help="An .xes or .xes.gz, .csv (.csv.gz) or .parquet log.")
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="The log's name (default: the file's name).")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="A YAML file naming the columns (CSV or Parquet)."),
    ] = None,
    case: Annotated[str | None, typer.Option("--case", help="The case id column.")] = None,
    activity: Annotated[str | None, typer.Option("--activity", help="The activity column.")] = None,
    timestamp: Annotated[
        str | None, typer.Option("--timestamp", help="The timestamp column.")
    ] = None,
    resource: Annotated[
        str | None, typer.Option("--resource", help="Who did it (a column).")
    ] = None,
    lifecycle: Annotated[
        str | None, typer.Option("--lifecycle", help="start / complete (a column).")
    ] = None,
    timestamp_format: Annotated[
        str | None,
        typer.Option("--timestamp-format", help="How timestamps are written, e.g. %d/%m/%Y %H:%M."),
    ] = None,
    attribute: Annotated[
        list[str] | None,
        typer.Option(
            "--attribute", help="A case attribute: 'name=Column' or 'Column' (repeatable)."
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option("--amount", help="The case amount: a column, or an XES trace attribute."),
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="The amounts' currency (ISO code).")
    ] = None,
    case_label: Annotated[
        str, typer.Option("--case-label", help="What a case is called: case, ticket, ...")
    ] = "case",
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Import an event log (XES, or CSV/Parquet with a column mapping) into the store; a log of
    the same name is replaced in the same transaction."""
    from attain.actions import NotAllowed
    from attain.actions.process_logs import LogNameError, import_log
    from attain.data.store import get_engine
    from attain.process.log_mapping import LogMapping
    from attain.process.tabular import TabularError
    from attain.process.xes import XesError

    actor = acting(db, as_)
    found = _mapping(
        file,
        mapping,
        case,
        activity,
        timestamp,
        resource,
        lifecycle,
        amount,
        timestamp_format,
        attribute,
        currency,
    )
    try:
        done = import_log(
            get_engine(db),
            actor,
            file,
            name=name,
            mapping=found if isinstance(found, LogMapping) else None,
            amount=amount,
            currency=currency.upper() if currency else None,
            case_label=case_label,
        )
    except (XesError, TabularError, LogNameError, NotAllowed) as exc:
        fail(str(exc))
    verb = "replaced" if done.replaced else "imported"
    console.print(
        f"{verb} log {done.name}: {done.cases:,} cases, {done.events:,} events from {done.source}"
    )


def logs(db: DbOption = None) -> None:
    """The event logs in the store: the built-in ones and every imported one."""
    from attain.data.store import get_engine
    from attain.process.imported import BUILT_IN_NAMES, imported_logs

    out = Table("log", "source", "cases", "events", "currency", "imported", "by")
    for builtin in BUILT_IN_NAMES:
        out.add_row(builtin, "the store", "", "", "", "", "")
    for log in imported_logs(get_engine(db)):
        out.add_row(
            log.name,
            log.source,
            f"{log.cases:,}",
            f"{log.events:,}",
            log.currency or "",
            log.imported_at.strftime("%Y-%m-%d %H:%M"),
            log.imported_by,
        )
    console.print(out)


def register_import_commands(group: typer.Typer) -> None:
    """Add `import` and `logs` to the `process` group."""
    group.command("import")(import_log)
    group.command("logs")(logs)


process_app = typer.Typer(
    name="process",
    help="Process maps over event logs: import logs, list them.",
    no_args_is_help=True,
)
register_import_commands(process_app)


def register(app: typer.Typer) -> None:
    app.add_typer(process_app)
