"""`attain comp run | check | show | runs`: check and calculate plans over the store, and read
the results back."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.tree import Tree

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, acting
from attain.cli.progress import step_progress
from attain.money_format import money, money_totals, number

if TYPE_CHECKING:
    from attain.pay.line_units import RunUnits

comp_app = typer.Typer(
    name="comp", help="Calculate pay over the store's data, and show runs.", no_args_is_help=True
)


def _by_currency(totals: dict[tuple[str, str], Decimal], units: RunUnits) -> str:
    """Totals per (plan, component), added up per currency: never one sum of two currencies."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for (plan, _), amount in totals.items():
        out[units.currency(plan)] += amount
    return money_totals(dict(out))


def _run_total(run: Any) -> str:
    """A kept run's total in its plans' currency (blank when its plans pay in several)."""
    from attain.pay.line_units import run_units

    currencies = set(run_units(run).plans.values())
    return money(run.total, currencies.pop()) if len(currencies) == 1 else "several currencies"


@comp_app.command("run")
def run(
    plans: Annotated[
        Path, typer.Option("--plans", help="A plan file, or a folder of *.yaml plans.")
    ],
    start: Annotated[str, typer.Option("--from", help="First day of the span (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day of the span (YYYY-MM-DD).")],
    db: DbOption = None,
    backend: Annotated[
        str, typer.Option(help="duckdb (in process) or postgres (inside a PostgreSQL store).")
    ] = "duckdb",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Calculate and print, but keep nothing.")
    ] = False,
    as_: AsOption = None,
) -> None:
    """Calculate every plan over the span on the store's data and keep the run (lines, traces)."""
    from attain.actions import NotAllowed
    from attain.actions.runs import run as run_action
    from attain.comp.errors import PlanError

    actor = acting(db, as_)

    if backend not in ("duckdb", "postgres"):
        fail(f"unknown backend {backend!r} (duckdb or postgres)")
    if not plans.exists():
        fail(f"no such plan file or folder: {plans}")
    try:
        span = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as e:
        fail(f"--from/--to must be dates like 2027-01-31 ({e})")
    try:
        with step_progress(console, "run") as progress:
            summary = run_action(
                db,
                actor,
                plans,
                *span,
                backend=backend,  # type: ignore[arg-type]
                keep=not dry_run,
                progress=progress,
            )
    except (PlanError, NotAllowed) as e:
        fail(str(e))
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    assert summary.result is not None
    from attain.comp.runs.inputs import read_plans
    from attain.pay.line_units import plan_units

    units = plan_units(read_plans(plans)[0])
    for ln in summary.result.lines_table().select(["plan", "component", "amount"]).to_pylist():
        totals[(ln["plan"], ln["component"])] += ln["amount"]
    table = Table(
        "plan", "component", "total", title=f"run {summary.id}" if not dry_run else "dry run"
    )
    for (plan, component), amount in sorted(totals.items()):
        table.add_row(plan, component, money(amount, units.currency(plan)))
    console.print(table)
    console.print(
        f"{summary.lines:,} lines for {summary.payees:,} payees from {summary.credits:,} credits, "
        f"{summary.span_from} to {summary.span_to}; total {_by_currency(totals, units)}"
    )
    for warning in summary.warnings:
        console.print(f"warning: {warning}", style="yellow", highlight=False)
    console.print(
        "time: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary.seconds.items()), style="dim"
    )
    if not dry_run:
        console.print(f"show it with: attain comp show {summary.id}")


@comp_app.command("check")
def check(
    plans: Annotated[
        Path, typer.Option("--plans", help="A plan file, or a folder of *.yaml plans.")
    ],
    db: DbOption = None,
) -> None:
    """Check plans against the store's tables: every error as `file:line:column: message`.

    Exits 2 when any plan has an error, 0 when all compile."""
    from attain.comp.language.check import check_text, problems_text
    from attain.comp.runs.inputs import store_schemas
    from attain.data.store import get_engine

    if not plans.exists():
        fail(f"no such plan file or folder: {plans}")
    files = sorted([*plans.glob("*.yaml"), *plans.glob("*.yml")]) if plans.is_dir() else [plans]
    if not files:
        fail(f"{plans}: no plan files (*.yaml) found")
    engine = get_engine(db)
    count = 0
    for f in files:
        problems = check_text(
            f.read_text(encoding="utf-8"), lambda ps: store_schemas(engine, ps), str(f)
        )
        if problems:
            print(problems_text(problems, str(f)))
        count += len(problems)
    if count:
        raise typer.Exit(2)
    console.print(f"{len(files)} plan file{'s' if len(files) > 1 else ''}: no errors")


def _trace_tree(line: Any, credits: dict[str, Any], show_credits: int, units: Any) -> Tree:
    from attain.pay.statements import explain

    t = line.trace
    of = units.of(line.plan, line.component)
    tree = Tree(
        f"[bold]{line.payee}[/] {line.period} {line.plan}/{line.component}: "
        f"[bold]{money(line.amount, of.currency)}[/]"
    )
    for step in explain(t, of):  # the same words as the statement: one explanation of a trace
        tree.add(step)
    if "quota_currency" in t:  # a quota in another currency, as written and converted
        tree.add(
            f"quota {money(t['quota_amount'], t['quota_currency'])} x {number(t['quota_rate'])} "
            f"({t['quota_rate_month']}) = {money(t['quota'], of.currency)}"
        )
    ids = t.get("credit_ids", [])
    if ids:
        node = tree.add(f"{len(ids):,} credits")
        for cid in ids[:show_credits]:
            c = credits.get(cid)
            if c is None:
                node.add(cid)
            else:
                value = (
                    money(c.value, of.measure_currency) if of.measure_currency else number(c.value)
                )
                node.add(f"{c.source_table} {c.source_id} ({c.kind}, {c.rule}) {c.date}: {value}")
        if len(ids) > show_credits:
            node.add(f"... and {len(ids) - show_credits:,} more")
    return tree


@comp_app.command("show")
def show(
    run_id: Annotated[str, typer.Argument(help="A run id (or a unique prefix, or `latest`).")],
    payee: Annotated[str | None, typer.Option(help="Only this payee's lines.")] = None,
    period: Annotated[
        str | None, typer.Option(help="Only this period's lines (e.g. 2027-01).")
    ] = None,
    credits: Annotated[
        int, typer.Option(help="Credits listed per line (the rest are counted).")
    ] = 10,
    db: DbOption = None,
) -> None:
    """Print a run's payout lines, each with its trace: credits, measure, quota, tiers, gate, cap."""
    from attain.comp.runs import get_run, run_credits, run_lines, run_warnings
    from attain.data.store import get_engine
    from attain.pay.line_units import run_units

    engine = get_engine(db)
    found = get_run(engine, run_id)
    if found is None:
        fail(f"no run {run_id!r} (list them with: attain comp runs)")
    lines = run_lines(engine, found.id, payee=payee, period=period)
    if not lines:
        fail(
            f"run {found.id} has no lines{' for ' + payee if payee else ''}{' in ' + period if period else ''}"
        )
    wanted = sorted({cid for ln in lines for cid in ln.trace.get("credit_ids", [])[:credits]})
    known = run_credits(engine, found.id, wanted)
    units = run_units(found)
    console.print(
        f"run {found.id}: {found.span_from} to {found.span_to}, engine {found.engine_version}, "
        f"{found.line_count:,} lines"
    )
    for warning in run_warnings(found):
        console.print(f"warning: {warning}", style="yellow", highlight=False)
    shown: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for ln in lines:
        console.print(_trace_tree(ln, known, credits, units))
        shown[(ln.plan, ln.component)] += ln.amount
    console.print(f"{len(lines):,} lines, total {_by_currency(shown, units)}")


@comp_app.command("runs")
def runs(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many of the newest runs.")] = 20,
) -> None:
    """The newest runs: id, span, lines, total."""
    from attain.comp.runs import list_runs
    from attain.data.store import get_engine

    table = Table("run", "created", "span", "lines", "credits", "total", "engine")
    for col in table.columns:
        col.no_wrap = True
    for r in list_runs(get_engine(db), limit):
        table.add_row(
            r.id,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            f"{r.span_from} .. {r.span_to}",
            f"{r.line_count:,}",
            f"{r.credit_count:,}",
            _run_total(r),
            r.engine_version,
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(comp_app)
