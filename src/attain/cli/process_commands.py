"""`attain process map|variants|bottlenecks|conform`: how work flows through deals, leads,
tickets or an imported log, in the terminal (durations humanised, money to cents) and as SVG or
a standalone HTML page. The figures are the engine's (`attain.process`); this only shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from attain.cli._common import console, fail, open_store

if TYPE_CHECKING:
    from attain.process.log import EventLog

process_app = typer.Typer(
    name="process",
    help="Process maps: how work flows through a log's cases, where it waits and loops.",
    no_args_is_help=True,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL (default: ATTAIN_DATABASE_URL, else sqlite:///attain.db).",
        callback=open_store,
    ),
]
LogOption = Annotated[
    str | None,
    typer.Option(
        "--log", help="deals, leads, tickets, or an imported log's name (default: deals)."
    ),
]
XesOption = Annotated[
    Path | None,
    typer.Option("--xes", help="An XES file (gzip or not) read in place instead of a stored log."),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Cases whose first event is on or after this day.")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Cases whose first event is on or before this day.")
]
WhereOption = Annotated[
    list[str] | None,
    typer.Option(
        "--where", help="Keep cases whose attribute has this value: col=value (repeatable)."
    ),
]
BusinessOption = Annotated[
    bool,
    typer.Option("--business-hours", help="Waiting in business hours of each case's calendar."),
]
SvgOption = Annotated[Path | None, typer.Option("--svg", help="Also write the map as SVG here.")]
HtmlOption = Annotated[
    Path | None, typer.Option("--html", help="Also write a standalone HTML page here.")
]
MinDurationOption = Annotated[
    float | None,
    typer.Option("--min-days", min=0, help="Keep cases that took at least this many days."),
]


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a day (YYYY-MM-DD)")


def _attributes(where: list[str] | None) -> dict[str, tuple[str, ...]]:
    chosen: dict[str, tuple[str, ...]] = {}
    for w in where or []:
        column, sep, value = w.partition("=")
        if not sep or not column.strip():
            fail(f"--where: {w!r} is not col=value")
        chosen[column.strip()] = (*chosen.get(column.strip(), ()), value.strip())
    return chosen


def chosen_log(
    db: str | None,
    log: str | None,
    xes: Path | None,
    since: str | None = None,
    until: str | None = None,
    where: list[str] | None = None,
    min_days: float | None = None,
) -> EventLog:
    """The log asked for (a stored one by name, or an XES file read in place), filtered; an
    unknown name, an unreadable file or an unknown attribute is one line and exit 2."""
    from attain.process.filters import Filter

    if log is not None and xes is not None:
        fail("give --log or --xes, not both")
    chosen: EventLog
    if xes is not None:
        from attain.process.log import from_arrow
        from attain.process.xes import read_xes

        if not xes.is_file():
            fail(f"no such file: {xes}")
        try:
            read = read_xes(xes)
        except (ValueError, OSError) as exc:
            said = str(exc)
            fail(said if xes.name in said else f"{xes}: {said}")
        name = xes.name.removesuffix(".gz").removesuffix(".xes")
        chosen = from_arrow(name, read.events, read.cases)
    else:
        from attain.data.store import get_engine
        from attain.process.store_logs import UnknownLog, store_log, store_log_names

        engine = get_engine(db)
        try:
            chosen = store_log(engine, log or "deals")
        except UnknownLog:
            names = ", ".join(store_log_names(engine))
            fail(f"--log: no log named {log!r} (the store has: {names})")
    f = Filter(
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        attributes=_attributes(where),
        variant=None,
        starts_with=None,
        ends_with=None,
        min_duration_s=min_days * 86_400 if min_days is not None else None,
        max_duration_s=None,
    )
    unknown = [c for c in f.attributes if c not in chosen.cases.columns]
    if unknown:
        fail(f"--where: the {chosen.case_label}s have no attribute {unknown[0]!r}")
    return chosen.filtered(f)


def _calendars(db: str | None, business_hours: bool) -> dict[str, Any] | None:
    if not business_hours:
        return None
    from attain.data.store import get_engine
    from attain.process.calendar import load_calendars

    calendars: dict[str, Any] = load_calendars(get_engine(db))
    return calendars


def _write(path: Path | None, text: str, what: str) -> None:
    if path is None:
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    console.print(f"{what} written to {path}", highlight=False)


def _print(title: str, headings: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    out = Table(title=title)
    for i, h in enumerate(headings):
        out.add_column(h, justify="right" if i in numeric else "left")
    for r in rows:
        out.add_row(*r)
    console.print(out)


def _numeric(rows: list[list[str]]) -> set[int]:
    """Columns whose cells read as figures (right-aligned)."""
    if not rows:
        return set()
    return {
        i
        for i, c in enumerate(rows[0])
        if c[:1].isdigit() or c[:1] in "-–" or (c[:3].isupper() and c[3:4] == " ")
    }


@process_app.command("map")
def map_command(
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    where: WhereOption = None,
    min_days: MinDurationOption = None,
    business_hours: BusinessOption = False,
    performance: Annotated[
        bool, typer.Option("--performance", help="Label the map's arrows with median waits.")
    ] = False,
    svg: SvgOption = None,
    html: HtmlOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Transitions listed.")] = 30,
    paths: Annotated[
        int | None,
        typer.Option("--paths", min=1, help="Draw only this many of the busiest transitions."),
    ] = None,
) -> None:
    """The process map: activities, transitions with their counts and waiting times."""
    from attain.process.discovery import process_map
    from attain.process.render_svg import render_map
    from attain.process.report_sections import map_sections

    chosen = chosen_log(db, log, xes, since, until, where, min_days)
    calendars = _calendars(db, business_hours)
    pm = process_map(
        chosen, waiting="business" if business_hours else "elapsed", calendars=calendars
    )
    sections = map_sections(pm, limit)
    title = f"Process map of {pm.log}: {pm.cases:,} {pm.case_label}s, {pm.events:,} events"
    note = f"waiting: {pm.waiting}{' (business hours)' if business_hours else ''}"
    console.print(title, highlight=False)
    for s in sections:
        _print(s.title, list(s.headings), [list(r) for r in s.rows], set(s.numeric))
    console.print(note, highlight=False)
    drawing = render_map(pm, mode="performance" if performance else "frequency", paths=paths)
    _write(svg, drawing, "map")
    if html is not None:
        from attain.process.report_html import report_html

        _write(html, report_html(title, [note], drawing, sections), "page")


@process_app.command("variants")
def variants_command(
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    where: WhereOption = None,
    min_days: MinDurationOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Variants listed.")] = 20,
    html: HtmlOption = None,
) -> None:
    """The variants (distinct paths through the process), most frequent first."""
    from attain.process.report_html import Section, report_html
    from attain.process.report_rows import table
    from attain.process.variants import variants

    chosen = chosen_log(db, log, xes, since, until, where, min_days)
    vs = variants(chosen, limit=limit)
    headings, rows = table(list(vs.variants), vs.currency)
    title = (
        f"Variants of {chosen.name}: {vs.total_variants:,} paths over {vs.total_cases:,} "
        f"{chosen.case_label}s (the {len(rows)} most frequent)"
    )
    _print(title, headings, rows, _numeric(rows))
    if html is not None:
        _write(html, report_html(title, [], None, [Section("Variants", headings, rows)]), "page")


@process_app.command("bottlenecks")
def bottlenecks_command(
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    where: WhereOption = None,
    min_days: MinDurationOption = None,
    business_hours: BusinessOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Bottlenecks listed.")] = 20,
    html: HtmlOption = None,
) -> None:
    """The transitions that add the most time (and value at stake, where cases have amounts)."""
    from attain.process.bottlenecks import bottlenecks
    from attain.process.report_html import Section, report_html
    from attain.process.report_rows import table

    chosen = chosen_log(db, log, xes, since, until, where, min_days)
    found = bottlenecks(
        chosen,
        waiting="business" if business_hours else "elapsed",
        calendars=_calendars(db, business_hours),
        limit=limit,
    )
    headings, rows = table(found, chosen.currency)
    title = f"Bottlenecks of {chosen.name} ({len(rows)})"
    _print(title, headings, rows, _numeric(rows))
    if html is not None:
        _write(html, report_html(title, [], None, [Section("Bottlenecks", headings, rows)]), "page")


@process_app.command("conform")
def conform_command(
    rules: Annotated[
        Path,
        typer.Option(
            "--rules",
            help="The process rules (YAML), or a shipped example: deals, tickets, bpic2012.",
        ),
    ],
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    where: WhereOption = None,
    min_days: MinDurationOption = None,
    html: HtmlOption = None,
) -> None:
    """Check every case against process rules: the share that conforms, each rule's violations
    with their cases and the value at risk."""
    from attain.process.conformance import EXAMPLES, RulesError, check, load_rules
    from attain.process.report_html import report_html
    from attain.process.report_sections import conformance_sections

    shipped = EXAMPLES / f"{rules}.yaml"
    if not rules.exists() and rules.suffix == "" and shipped.is_file():
        rules = shipped
    try:
        text = rules.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"cannot read {rules}: {exc.strerror or exc}")
    try:
        parsed = load_rules(text, source=str(rules))
    except RulesError as exc:
        fail(str(exc))
    chosen = chosen_log(db, log, xes, since, until, where, min_days)
    report = check(chosen, parsed, calendars=_calendars(db, xes is None))
    title, notes, sections = conformance_sections(report)
    for n in notes:
        console.print(n, highlight=False)
    for s in sections:
        _print(s.title, list(s.headings), [list(r) for r in s.rows], set(s.numeric))
    if html is not None:
        _write(html, report_html(title, notes, None, sections), "page")


def register(app: typer.Typer) -> None:
    from attain.cli.process_import_commands import register_import_commands
    from attain.cli.process_people_commands import register_people_commands

    register_people_commands(process_app)
    register_import_commands(process_app)
    app.add_typer(process_app)
