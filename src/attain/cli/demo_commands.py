"""`attain synth` and `attain demo`: a realistic company to try attain on."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail
from attain.clock import TODAY_VARIABLE

if TYPE_CHECKING:
    from attain.comp.runs import RunSummary
    from attain.data.synth.demo import DemoContext, DemoStep
    from attain.data.synth.summary import StoreSummary
    from attain.pay.line_units import RunUnits
    from attain.web.demo_users import DemoLogin

DEMO_SEED = 42
DEMO_B2B_REPS = 120
"""The demo company's seed and size, as `attain.data.synth.demo` builds it by default: stated
here so that the command line starts without loading the generator (a test holds them equal)."""


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=f"Build as if today were this day, YYYY-MM-DD (default: {TODAY_VARIABLE}, else today).",
    ),
]


class Kind(StrEnum):
    b2b = "b2b"
    b2c = "b2c"
    both = "both"


def synth(
    kind: Annotated[
        Kind,
        typer.Option(help="b2b: accounts, deals, leads, tickets; b2c: stores and orders; both."),
    ] = Kind.b2b,
    reps: Annotated[
        int, typer.Option(help="Sellers per business line (B2B reps, store associates).")
    ] = 50,
    years: Annotated[int, typer.Option(help="Years of history.")] = 2,
    seed: Annotated[int, typer.Option(help="Same seed (and start), same company.")] = 1,
    start: Annotated[
        str | None,
        typer.Option(
            help="First day of history, YYYY-MM-01 (default: so history ends with last month)."
        ),
    ] = None,
    orders: Annotated[
        int | None, typer.Option(help="B2C order rows in all (default: 500 per associate-year).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write CSV files (one per table) and truths.json here instead."),
    ] = None,
    db: DbOption = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Empty the whole store first (same transaction)."),
    ] = False,
    as_of: AsOfOption = None,
) -> None:
    """Generate a realistic company (with its hidden truths) into the store or a CSV folder."""
    from attain.data.store import database_url, get_engine
    from attain.data.synth import (
        StoreNotEmpty,
        SynthSpec,
        generate,
        last_complete_month_start,
        write_csv,
        write_store,
    )
    from attain.data.synth.summary import truth_lines
    from attain.data.synth.today import today as pinned_today

    if out is not None and db is not None:
        fail("give either --out (CSV files) or --db (a store), not both")
    try:
        first = (
            dt.date.fromisoformat(start)
            if start
            else last_complete_month_start(pinned_today(as_of), years)
        )
        spec = SynthSpec(
            seed=seed,
            b2b_reps=reps if kind in (Kind.b2b, Kind.both) else 0,
            b2c_associates=reps if kind in (Kind.b2c, Kind.both) else 0,
            years=years,
            start=first,
            orders=orders,
        )
    except ValueError as exc:
        fail(str(exc))
    began = time.perf_counter()
    engine = None if out is not None else get_engine(db)
    with console.status("generating") as status:
        company = generate(spec, progress=lambda part: status.update(f"generating {part}"))
        made = time.perf_counter() - began
        status.update("writing")
        try:
            if out is not None:
                written = write_csv(company, out)
            else:
                assert engine is not None
                written = write_store(company, engine, replace=replace, progress=status.update)
                if replace:
                    from attain.audit.anchor import retire_checkpoints

                    retire_checkpoints(engine)
        except StoreNotEmpty as exc:
            fail(str(exc))
    where = str(out) if out is not None else database_url(db)
    shown = Table("table", "rows", title=f"synth -> {where}")
    for name, n in written.items():
        shown.add_row(name, f"{n:,}")
    console.print(shown)
    console.print(
        f"{spec.start} to {spec.end}, seed {seed}: generated in {made:.1f} s, "
        f"written in {time.perf_counter() - began - made:.1f} s"
    )
    show_truths(truth_lines(company.truths))


def demo(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Seed of the demo company.")] = DEMO_SEED,
    reps: Annotated[
        int,
        typer.Option(min=1, help="Account executives (the stores get twice as many associates)."),
    ] = DEMO_B2B_REPS,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Empty a store that holds data attain did not generate."),
    ] = False,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Stop before serving the web UI.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve the web UI on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve the web UI on.")] = 8000,
    as_of: AsOfOption = None,
) -> None:
    """Build the demo company (B2B and retail, three years to last month), pay it, and show it.

    Over a store that holds an earlier generated company, the whole store is replaced.
    """
    from attain.comp.demo import pay_step
    from attain.comp.errors import PlanError
    from attain.data.store import database_url, get_engine
    from attain.data.synth import StoreNotEmpty
    from attain.data.synth.demo import STEPS, DemoContext, DemoStep, run_demo
    from attain.data.synth.today import today as pinned_today
    from attain.pay.demo import publish_step
    from attain.pay.errors import PayError
    from attain.pay.line_units import units_of_run
    from attain.web.demo_users import logins_step

    try:
        ctx = DemoContext(
            url=db,
            seed=seed,
            reps=reps,
            today=pinned_today(as_of),
            serve=not no_serve,
            replace=replace,
        )
    except ValueError as exc:
        fail(str(exc))
    began = time.perf_counter()
    spent: dict[str, float] = {}

    def timed(step: DemoStep) -> DemoStep:
        def run(c: DemoContext) -> None:
            console.print(f"[bold]>[/] {step.name}")
            at = time.perf_counter()
            step.run(c)
            spent[step.name] = time.perf_counter() - at

        return DemoStep(step.name, run)

    steps = [
        STEPS[0],
        DemoStep("start the audit trail of the new store", fresh_audit_step),
        *STEPS[1:],
        DemoStep("calculate pay", pay_step),
        DemoStep("publish the pay run", publish_step),
        DemoStep("create the demo logins", logins_step),
        DemoStep("let you act as the demo admin on the command line", operator_step),
    ]
    try:
        run_demo(ctx, steps=[timed(step) for step in steps])
    except (StoreNotEmpty, PlanError, PayError) as exc:
        fail(str(exc))
    if ctx.summary is not None:
        show_summary(ctx.summary, database_url(db))
    run = ctx.outputs.get("run")
    if run is not None:
        show_run(run, units_of_run(get_engine(database_url(db)), run.id))
    show_logins(ctx.outputs.get("logins", []))
    if "operator" in ctx.outputs:
        me, username = ctx.outputs["operator"]
        console.print(
            f"on the command line you ({me}) act as {username}; as another login: "
            "ATTAIN_TOKEN=$(attain tokens create finance) attain ...",
            highlight=False,
        )
    console.print(
        f"demo ready in {time.perf_counter() - began:.1f} s ("
        + ", ".join(f"{name} {s:.1f} s" for name, s in spent.items())
        + f"), as of {ctx.today}"
    )
    if not no_serve:
        from attain.cli.web_commands import serve_demo

        serve_demo(db, host, port)


def fresh_audit_step(ctx: DemoContext) -> None:
    """The demo replaced the whole store, its audit log included: the checkpoints of the old
    log are set aside, so `attain audit verify` holds the new log to its own checkpoints."""
    from attain.audit.anchor import retire_checkpoints
    from attain.data.store import database_url, get_engine

    retired = retire_checkpoints(get_engine(database_url(ctx.url)))
    if retired is not None:
        console.print(f"  the replaced store's checkpoints are kept in {retired}", highlight=False)


def operator_step(ctx: DemoContext) -> None:
    """Map whoever runs the demo to its admin login, unless they act as someone already, so
    the CLI commands of the README work on the demo store (see docs/cli.md)."""
    from attain.accounts.operators import operator_user
    from attain.actions.operators import map_operator
    from attain.audit.actor import SYSTEM
    from attain.cli.acting import os_user
    from attain.data.store import database_url, get_engine

    engine = get_engine(database_url(ctx.url))
    me = os_user()
    logins = ctx.outputs.get("logins", [])
    admin = next((login.username for login in logins if login.role == "admin"), None)
    if admin is not None and operator_user(engine, me) is None:
        map_operator(engine, SYSTEM, me, admin)
    mapped = operator_user(engine, me)
    if mapped is not None:
        ctx.outputs["operator"] = (me, mapped.username)


def show_logins(logins: list[DemoLogin]) -> None:
    """One login per role, printed whether or not the demo serves (`attain serve` uses them)."""
    table = Table("role", "username", "password", "person", title="demo logins")
    for login in logins:
        table.add_row(login.role, login.username, login.password, login.person or "")
    console.print(table)


def show_run(run: RunSummary, units: RunUnits) -> None:
    """Totals of the demo's pay run per plan and component, each in its plan's currency."""
    from attain.money_format import money

    totals: dict[tuple[str, str], Decimal] = {}
    assert run.result is not None
    for line in run.result.lines:
        key = (line.plan, line.component)
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    table = Table("plan", "component", "paid", title=f"pay {run.span_from} to {run.span_to}")
    for (plan, component), amount in sorted(totals.items()):
        table.add_row(plan, component, money(amount, units.currency(plan)))
    console.print(table)
    by_currency: dict[str, Decimal] = {}
    for (plan, _), amount in totals.items():
        by_currency[units.currency(plan)] = (
            by_currency.get(units.currency(plan), Decimal(0)) + amount
        )
    total = ", ".join(money(a, c) for c, a in sorted(by_currency.items()))
    console.print(
        f"run {run.id}: {run.lines:,} payout lines for {run.payees:,} payees from "
        f"{run.credits:,} credits, total {total}; "
        f"see a rep's lines with: attain comp show {run.id} --payee <id>"
    )


def show_summary(summary: StoreSummary, where: str) -> None:
    counts = Table("table", "rows", title=where)
    for name, n in summary.rows.items():
        counts.add_row(name, f"{n:,}")
    console.print(counts)
    console.print(
        f"history {summary.first_day} to {summary.last_day}; {summary.people:,} people: "
        f"{summary.sellers:,} sellers, {summary.managers:,} managers; "
        f"currencies {', '.join(summary.currencies)}"
    )
    show_truths(summary.truth_lines)


def show_truths(lines: dict[str, str]) -> None:
    truths = Table("hidden truth", "what the generator used", title="hidden truths (synth_truths)")
    for key, line in lines.items():
        truths.add_row(key, line)
    console.print(truths)


def register(app: typer.Typer) -> None:
    app.command()(synth)
    app.command()(demo)
