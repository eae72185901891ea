"""`attain init`, `attain import`, `attain tables`, `attain mappings`: the store and what goes
into it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from attain.cli._common import DbOption, console, err_console, fail
from attain.cli.acting import AsOption, RetiredOption, acting

if TYPE_CHECKING:
    from attain.data.ingest import MappingSpec


def init(db: DbOption = None) -> None:
    """Create the store, or bring it to the newest schema."""
    from attain.data import migrate
    from attain.data.store import database_url, get_engine

    engine = get_engine(db)
    console.print(f"store ready: {database_url(db)} (schema {migrate.current(engine)})")


def tables(db: DbOption = None) -> None:
    """Row counts of every table in the store."""
    from sqlalchemy import func, select, table

    from attain.data.store import database_url, get_engine, table_names

    engine = get_engine(db)
    out = Table("table", "rows", title=database_url(db))
    with engine.connect() as conn:
        for name in table_names(engine):
            if name == "alembic_version":
                continue
            n = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            out.add_row(name, f"{n:,}")
    console.print(out)


def import_(
    table: Annotated[
        str, typer.Argument(help="Table to fill: deals, people, ... (see `attain tables`).")
    ],
    file: Annotated[Path, typer.Argument(help="A .csv (.tsv, .csv.gz), .xlsx or .parquet file.")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="'File column=table_column' (repeatable); 'File column=' drops it."
        ),
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            "--mapping",
            help="A saved mapping's name (see `attain mappings list`), or a mapping YAML file.",
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format", help="How dates are written, e.g. %m/%d/%Y (default YYYY-MM-DD)."
        ),
    ] = None,
    datetime_format: Annotated[
        str | None,
        typer.Option(
            "--datetime-format",
            help="How date-times are written, e.g. '%m/%d/%Y %H:%M' (default YYYY-MM-DD HH:MM[:SS]).",
        ),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Import the valid rows; write the rest to --rejects."),
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Where rejected rows go (default: FILE.rejects.csv)."),
    ] = None,
    new_table: Annotated[
        bool,
        typer.Option(
            "--new-table", help="Create TABLE from the file when the data model has none."
        ),
    ] = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Workbook sheet to read (default: the first).")
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option("--delimiter", help="CSV field separator (default: detected).")
    ] = None,
    batch_rows: Annotated[
        int | None,
        typer.Option(
            "--batch-rows", min=1, help="Rows checked and written at a time (default 50,000)."
        ),
    ] = None,
    log_progress: Annotated[
        bool,
        typer.Option("--log-progress", help="Print a line per batch instead of a progress bar."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and report, but write nothing.")
    ] = False,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Import a file into a table: map, validate every row, upsert by primary key, atomically;
    changed deals and orders are then recalculated live, as after a web import."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from attain.actions import NotAllowed
    from attain.actions.imports import import_rows
    from attain.data import ingest
    from attain.data.store import database_url

    actor = acting(db, as_)

    try:
        pairs = [ingest.parse_map_option(m) for m in map_ or []]
        spec, spec_label = (None, "the mapping") if mapping is None else _spec(mapping, db)
        options = ingest.ImportOptions(
            mapping=tuple(pairs),
            spec=spec,
            spec_label=spec_label,
            formats=ingest.Formats(date=date_format, datetime=datetime_format),
            skip_invalid=skip_invalid,
            rejects=rejects,
            new_table=new_table,
            sheet=sheet,
            delimiter=delimiter,
            batch_rows=batch_rows,
            dry_run=dry_run,
        )
        show_progress = ingest.progress_lines if log_progress else ingest.progress_bar
        with show_progress(err_console, f"{file.name} -> {table}") as on_progress:
            report = import_rows(
                db,
                actor,
                table,
                file,
                options,
                on_progress=on_progress,
                on_warning=_warn,
            )
    except ingest.InvalidRows as e:
        for line in e.lines():
            err_console.print(line, markup=False, highlight=False, soft_wrap=True)
        fail(escape(str(e)))
    except (ingest.ImportFailed, NotAllowed) as e:
        fail(escape(str(e)))
    except SQLAlchemyError as e:
        reason = getattr(e, "orig", None) or e
        store = make_url(database_url(db)).render_as_string(hide_password=True)
        fail(escape(f"the store at {store} failed: {reason}; nothing was imported"))
    console.print(report.summary(), markup=False, highlight=False, soft_wrap=True)
    for problem in report.problems[:10]:
        err_console.print(f"rejected {problem}", markup=False, highlight=False, soft_wrap=True)
    if len(report.problems) > 10 and report.rejects_path is not None:
        err_console.print(
            f"... every rejected row and its reason is in {report.rejects_path}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _spec(mapping: str, db: str | None) -> tuple[MappingSpec, str]:
    """A mapping file when `mapping` names one (or ends in .yaml/.yml), else a saved mapping."""
    from attain.data.ingest import load_mapping, read_spec_file

    path = Path(mapping)
    if path.is_file() or path.suffix.lower() in (".yaml", ".yml"):
        return read_spec_file(path), str(path)
    saved = load_mapping(db, mapping)
    return saved.spec(), saved.label


def _warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


mappings_app = typer.Typer(
    name="mappings",
    help="Saved import mappings: save, list, show (the web import page uses them too).",
    no_args_is_help=True,
)


@mappings_app.command("save")
def mappings_save(
    name: Annotated[str, typer.Argument(help="The mapping's name, e.g. crm-deals.")],
    file: Annotated[Path, typer.Argument(help="The mapping YAML (see docs/importing.md).")],
    table: Annotated[str, typer.Option("--table", help="The table it fills, e.g. deals.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Save a mapping under a name (replacing one of that name), checked against its table."""
    from attain.actions import NotAllowed
    from attain.actions.mappings import save_mapping
    from attain.data.ingest import ImportFailed

    actor = acting(db, as_)

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        fail(escape(f"{file}: cannot be read: {e}"))
    try:
        saved = save_mapping(db, actor, name, table, text)
    except (ImportFailed, NotAllowed, ValueError) as e:
        fail(escape(str(e)))
    console.print(f"saved mapping {saved.name!r} for {saved.table}", markup=False)


@mappings_app.command("list")
def mappings_list(
    table: Annotated[str | None, typer.Option("--table", help="Only this table's.")] = None,
    db: DbOption = None,
) -> None:
    """Every saved mapping: its table, when and by whom it was last saved."""
    from attain.data.ingest import list_mappings

    out = Table("name", "table", "saved", "by")
    for m in list_mappings(db, table):
        out.add_row(m.name, m.table, f"{m.updated_at:%Y-%m-%d %H:%M}", m.updated_by or "")
    console.print(out)


@mappings_app.command("show")
def mappings_show(
    name: Annotated[str, typer.Argument(help="The mapping's name.")], db: DbOption = None
) -> None:
    """Print a saved mapping's YAML, ready to edit and save again."""
    from attain.data.ingest import ImportFailed, load_mapping

    try:
        saved = load_mapping(db, name)
    except ImportFailed as e:
        fail(escape(str(e)))
    console.print(f"# mapping {saved.name} for {saved.table}", markup=False, highlight=False)
    console.print(saved.spec_text.rstrip("\n"), markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(tables)
    app.command("import")(import_)
    app.add_typer(mappings_app)
