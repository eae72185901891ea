"""`attain pay now`: what a payee, a manager's team or a period is paid now, from the same read
model as the dashboard, the team page and the finance page (the published run with live
changes laid over it), so the command line and the pages never disagree."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail

if TYPE_CHECKING:
    from sqlalchemy import Engine

pay_app = typer.Typer(name="pay", help="What is paid now (published run + live changes).")


@pay_app.callback()
def _pay() -> None:
    """What is paid now (published run + live changes)."""


@pay_app.command("now")
def now(
    payee: Annotated[str | None, typer.Option("--payee", help="One payee's pay.")] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="Everyone under this manager (as of --as-of).")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Every line of a period (2026-11, 2026-Q4).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day looked at (YYYY-MM-DD; default today).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Print what a payee, a team or a period is paid now, each amount with its currency."""
    from attain import clock
    from attain.data.store import get_engine
    from attain.pay.errors import PayError
    from attain.pay.periods import parse_period

    chosen = [name for name, v in (("--payee", payee), ("--team", team), ("--period", period)) if v]
    if len(chosen) != 1:
        fail("give exactly one of --payee, --team or --period")
    try:
        day = clock.today(as_of)
        if period:
            parse_period(period)
    except (ValueError, PayError) as e:
        fail(str(e))
    engine = get_engine(db)
    if payee:
        _payee(engine, payee, day)
    elif team:
        _team(engine, team, day)
    else:
        _period(engine, str(period))


def _known(engine: Engine, person: str) -> None:
    from attain.pay.current import person_names

    if person not in person_names(engine, [person]):
        fail(f"no person {person!r} in the hierarchy")


def _payee(engine: Engine, payee: str, day: dt.date) -> None:
    from attain.money_format import money, money_totals
    from attain.pay.current import earnings

    _known(engine, payee)
    e = earnings(engine, payee, day)
    if e.run_id is None:
        fail("no run is published yet: nothing is paid")
    table = Table("period", "plan", "component", "amount")
    for ln in e.lines:
        table.add_row(ln.period, ln.plan, ln.component, money(ln.amount, e.currency_of(ln)))
    console.print(table)
    updated = f" (recalculated {e.updated_at:%Y-%m-%d %H:%M})" if e.updated_at else ""
    console.print(
        f"{e.name} ({payee}): this period {e.period or '-'} {money_totals(e.this_period_by)};"
        f" year to date {e.year or '-'} {money_totals(e.year_to_date_by)}{updated}",
        highlight=False,
    )


def _team(engine: Engine, manager: str, day: dt.date) -> None:
    from attain.access import team_of
    from attain.money_format import money, money_totals, percent
    from attain.pay.current import selection

    _known(engine, manager)
    members = sorted(team_of(engine, manager, day) - {manager})
    chosen = selection(engine, members, day)
    table = Table("payee", "name", "period", "this period", "year to date", "attainment")
    for m in chosen.members:
        table.add_row(
            m.payee,
            m.name,
            m.period or "-",
            money_totals(m.this_period) if m.this_period else money(0, m.currency),
            money_totals(m.year_to_date) if m.year_to_date else money(0, m.currency),
            percent(m.attainment),
        )
    console.print(table)
    per_period = "; ".join(f"{p} {money_totals(t)}" for p, t in sorted(chosen.this_period.items()))
    console.print(
        f"{manager}'s team, {len(members)} people: this period {per_period or '-'};"
        f" year to date {money_totals(chosen.year_to_date)}",
        highlight=False,
    )


def _period(engine: Engine, period: str) -> None:
    from attain.comp.runs.published import shown_run
    from attain.money_format import money, money_totals
    from attain.pay.current import Totals, period_lines
    from attain.pay.line_units import run_units

    run = shown_run(engine)
    if run is None:
        fail("no run is published yet: nothing is paid")
    units = run_units(run)
    lines = period_lines(engine, period)
    table = Table("payee", "plan", "component", "amount")
    total = Totals()
    for ln in lines:
        currency = units.currency(ln.plan)
        total.add(currency, ln.amount)
        table.add_row(ln.payee, ln.plan, ln.component, money(ln.amount, currency))
    console.print(table)
    payees = len({ln.payee for ln in lines})
    console.print(
        f"{period}: {len(lines)} lines for {payees} payees, total {money_totals(total)}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(pay_app)
