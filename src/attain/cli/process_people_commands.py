"""`attain process rework|resources|compare`: where work is redone, whom it depends on, and two
slices of a log side by side. Thin: the figures come from `attain.process`, the tables from
`attain.process.report_people`."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from attain.cli._common import console, fail
from attain.cli.process_commands import (
    BusinessOption,
    DbOption,
    HtmlOption,
    LogOption,
    MinDurationOption,
    SinceOption,
    UntilOption,
    WhereOption,
    XesOption,
    _calendars,
    _print,
    _write,
    chosen_log,
)

ByOption = Annotated[str, typer.Option("--by", help="Count rework per case, owner (rep) or team.")]
SideOption = Annotated[
    list[str] | None,
    typer.Option(help="A case attribute `column=value` that picks this side (repeatable)."),
]


def _stages(db: str | None, log_name: str) -> object | None:
    """The stage catalog, for a deal log: a move to an earlier open stage is a regression."""
    if log_name != "deals":
        return None
    from attain.data.stages import stage_catalog
    from attain.data.store import get_engine

    return stage_catalog(get_engine(db))


def rework_command(
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    by: ByOption = "owner",
    since: SinceOption = None,
    until: UntilOption = None,
    where: WhereOption = None,
    min_days: MinDurationOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows listed.")] = 30,
    html: HtmlOption = None,
) -> None:
    """Rework: repeated activities, loops and (for deals) stage regressions, per case, owner or
    team, and the activities most often done again."""
    from attain.process.report_html import report_html
    from attain.process.report_people import rework_sections
    from attain.process.rework import rework, rework_by_activity

    if by not in ("case", "owner", "team"):
        fail(f"--by: rework is counted per case, owner or team, not {by!r}")
    chosen = chosen_log(db, log, xes, since, until, where, min_days)
    stages = _stages(db, chosen.name) if xes is None else None
    rows = rework(chosen, by=by, stages=stages, limit=limit)  # type: ignore[arg-type]
    sections = rework_sections(chosen, by, rows, rework_by_activity(chosen)[:limit])
    title = f"Rework in {chosen.name}, per {by}"
    for s in sections:
        _print(s.title, list(s.headings), [list(r) for r in s.rows], set(s.numeric))
    if html is not None:
        _write(html, report_html(title, [], None, sections), "page")


def resources_command(
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    team: Annotated[
        bool, typer.Option("--team", help="Teams rather than people (store logs).")
    ] = False,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.01,
            max=1.0,
            help="An activity depends on one resource when it does at least this share.",
        ),
    ] = 0.5,
    min_events: Annotated[
        int, typer.Option("--min-events", min=1, help="Ignore activities with fewer events.")
    ] = 20,
    since: SinceOption = None,
    until: UntilOption = None,
    where: WhereOption = None,
    min_days: MinDurationOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows listed.")] = 20,
    html: HtmlOption = None,
) -> None:
    """Whom the work depends on: activities that one person (or team) mostly does, the busiest
    hand-offs between people (or teams) with the wait at each, and who does what."""
    from attain.process.report_html import report_html
    from attain.process.report_people import resources_sections
    from attain.process.resources import concentration, handoffs, resources

    by: Literal["person", "team"] = "team" if team else "person"
    chosen = chosen_log(db, log, xes, since, until, where, min_days)
    sections = resources_sections(
        by,
        concentration(chosen, threshold=threshold, by=by, min_events=min_events),
        handoffs(chosen, by=by, limit=limit),
        resources(chosen, by=by),
        limit,
    )
    for s in sections:
        _print(s.title, list(s.headings), [list(r) for r in s.rows], set(s.numeric))
    if html is not None:
        _write(html, report_html(f"Resources of {chosen.name}", [], None, sections), "page")


def compare_command(
    db: DbOption = None,
    log: LogOption = None,
    xes: XesOption = None,
    a: SideOption = None,
    b: SideOption = None,
    a_since: Annotated[str | None, typer.Option("--a-since", help="Side a's first day.")] = None,
    a_until: Annotated[str | None, typer.Option("--a-until", help="Side a's last day.")] = None,
    b_since: Annotated[str | None, typer.Option("--b-since", help="Side b's first day.")] = None,
    b_until: Annotated[str | None, typer.Option("--b-until", help="Side b's last day.")] = None,
    where: WhereOption = None,
    business_hours: BusinessOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Transitions listed.")] = 30,
    html: HtmlOption = None,
) -> None:
    """Two slices of one log side by side (won against lost deals, this quarter against last,
    one team against another): each transition's share of cases and median wait in both."""
    from attain.process.compare import compare_maps
    from attain.process.discovery import process_map
    from attain.process.report_html import report_html
    from attain.process.report_people import compare_sections

    if not (a or b or a_since or a_until or b_since or b_until):
        fail("say what sides a and b are: --a/--b column=value, or --a-since/--b-since ...")
    calendars = _calendars(db, business_hours)
    waiting: Literal["business", "elapsed"] = "business" if business_hours else "elapsed"
    maps = []
    for side, since, until in ((a, a_since, a_until), (b, b_since, b_until)):
        chosen = chosen_log(db, log, xes, since, until, [*(where or []), *(side or [])])
        maps.append(process_map(chosen, waiting=waiting, calendars=calendars))
    label_a = _label(a, a_since, a_until)
    label_b = _label(b, b_since, b_until)
    sections = compare_sections(
        maps[0], maps[1], compare_maps(maps[0], maps[1]), label_a, label_b, limit
    )
    notes = [
        f"{side} = {label}: {m.cases:,} {m.case_label}{'' if m.cases == 1 else 's'}"
        for side, label, m in (("a", label_a, maps[0]), ("b", label_b, maps[1]))
    ]
    for n in notes:
        console.print(n, highlight=False)
    for s in sections:
        _print(s.title, list(s.headings), [list(r) for r in s.rows], set(s.numeric))
    if html is not None:
        _write(html, report_html(f"Compared: {label_a} / {label_b}", notes, None, sections), "page")


def _label(side: list[str] | None, since: str | None, until: str | None) -> str:
    parts = list(side or [])
    if since or until:
        parts.append(f"{since or '…'} to {until or '…'}")
    return ", ".join(parts) or "all cases"


def register_people_commands(group: typer.Typer) -> None:
    group.command("rework")(rework_command)
    group.command("resources")(resources_command)
    group.command("compare")(compare_command)
