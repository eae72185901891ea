"""`attain comp whatif`: what a payee would earn with some open deals won, priced by the engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, err_console, fail
from attain.cli.runs_commands import comp_app


@comp_app.command("whatif")
def whatif(
    payee: Annotated[str, typer.Argument(help="The payee whose open deals are taken as won.")],
    deal: Annotated[
        list[str] | None, typer.Option("--deal", help="An open deal of the payee (repeatable).")
    ] = None,
    amount: Annotated[
        str, typer.Option("--amount", help="One more won deal of this amount, closing --on.")
    ] = "0",
    plans: Annotated[
        Path | None,
        typer.Option("--plans", help="A plan file or folder (default: the published plans)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Today's date for the estimate (YYYY-MM-DD).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Each line of the periods the deals would close in: paid now, and with the deals won."""
    from attain.comp.errors import PlanError
    from attain.comp.runs.inputs import read_plans
    from attain.comp.whatif import published_plans, what_if
    from attain.data.store import get_engine

    try:
        extra = Decimal(amount)
        day = date.fromisoformat(on) if on else date.today()
    except (InvalidOperation, ValueError) as e:
        fail(f"--amount must be a number and --on a date like 2027-01-31 ({e})")
    if plans is not None and not plans.exists():
        fail(f"no such plan file or folder: {plans}")
    try:
        engine = get_engine(db)
        plan_list = read_plans(plans)[0] if plans is not None else published_plans(engine)
        result = what_if(engine, plan_list, payee, deal or [], amount=extra, on=day)
    except PlanError as e:
        fail(str(e))
    table = Table("plan", "component", "period", "now", "with the deals", "extra", "currency")
    for x in result.estimates:
        table.add_row(
            x.plan,
            x.component,
            x.period,
            f"{x.earned_now:,.2f}",
            f"{x.earned_then:,.2f}",
            f"{x.extra:,.2f}",
            x.currency,
        )
    console.print(table)
    for currency, total in sorted(result.extra().items()):
        console.print(f"extra pay: {total:,.2f} {currency}")
    for note in result.notes:
        console.print(f"note: {note}", highlight=False, soft_wrap=True)
    for problem in result.problems:
        err_console.print(f"[bold yellow]warning:[/] {problem}", highlight=False, soft_wrap=True)
    if result.problems and not result.estimates:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """The command hangs on `attain comp` (see runs_commands), registered there."""
