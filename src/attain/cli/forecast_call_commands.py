"""`attain forecast call`: submit your call (commit, best case) for a period, as the web form and
the API do, through the same action (so the same rules: yourself, or anyone for an admin)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, RetiredOption, acting
from attain.cli.forecast_commands import forecast_app


def _amount(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", "").replace("_", "").strip())
    except InvalidOperation:
        fail(f"{option}: {text!r} is not an amount")
    if not value.is_finite():
        fail(f"{option}: {text!r} is not an amount")
    return value


@forecast_app.command("call")
def call(
    period: Annotated[str, typer.Option("--period", help="The period: 2026-Q4 or 2026-12.")],
    commit: Annotated[
        str | None, typer.Option("--commit", help="What you commit to close in the period.")
    ] = None,
    best_case: Annotated[
        str | None, typer.Option("--best-case", help="What could close if things go well.")
    ] = None,
    for_: Annotated[
        str | None, typer.Option("--for", help="Whose call, by person id (admins); yourself.")
    ] = None,
    currency: Annotated[str, typer.Option("--currency", help="The amounts' currency.")] = "USD",
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Submit a forecast call for the current or a later period (each submission is kept; the
    latest one is in force)."""
    from attain.actions import NotAllowed
    from attain.actions.forecast_calls import CallRejected, check_call, submit_call
    from attain.data.store import get_engine

    amounts = {
        "commit": _amount(commit, "--commit"),
        "best_case": _amount(best_case, "--best-case"),
    }
    if all(v is None for v in amounts.values()):
        fail("give --commit AMOUNT and/or --best-case AMOUNT")
    actor = acting(db, as_)
    payee = for_ or (actor.name if actor.role in ("rep", "manager") else None)
    if payee is None:
        fail("--for PERSON: an admin says whose call it is")
    engine = get_engine(db)
    try:
        for category, amount in amounts.items():
            if amount is not None:
                check_call(actor, payee, period, category, amount, currency)
        for category, amount in amounts.items():
            if amount is not None:
                done = submit_call(engine, actor, payee, period, category, amount, currency)
                console.print(
                    f"{done.payee} {done.period} {done.category}: {done.currency} "
                    f"{done.amount:,.2f} (submitted {done.submitted_at:%Y-%m-%d %H:%M:%S} UTC)",
                    highlight=False,
                )
    except (CallRejected, NotAllowed) as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    """Nothing to add: the command joins `attain forecast` when this module is imported."""
