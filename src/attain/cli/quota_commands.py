"""`attain quota ...`: plan quotas by a method, backtest the methods, and take a draft through
adjustment, approval and publication."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, RetiredOption, acting

quota_app = typer.Typer(
    name="quota",
    help="Quota planning: methods, backtest, drafts, approval and publishing.",
    no_args_is_help=True,
)


def _shown(value: object) -> str:
    """An audit entry's before or after, as one short line."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _amount(text: str | None, what: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        fail(f"{what} must be an amount like 12500000, not {text!r}")


@quota_app.command("plan")
def plan(
    method: Annotated[
        str,
        typer.Option("--method", help="top_down, historical_growth, bottom_up or data_driven."),
    ],
    year: Annotated[int, typer.Option("--year", help="The year to set quotas for.")],
    target: Annotated[
        str | None,
        typer.Option("--target", help="Company bookings target (default: last year grown)."),
    ] = None,
    over_assignment: Annotated[
        float, typer.Option("--over-assignment", help="Quotas above target, 0.10 for 10%.")
    ] = 0.10,
    periods: Annotated[
        str, typer.Option("--periods", help="year, quarter or month lines.")
    ] = "year",
    basis: Annotated[
        str,
        typer.Option("--basis", help="Top-down share: headcount, last_year or territory_size."),
    ] = "headcount",
    growth: Annotated[
        float | None,
        typer.Option("--growth", help="Historical growth rate (default: meet the target)."),
    ] = None,
    measure: Annotated[str, typer.Option("--measure", help="Measure the quota is for.")] = (
        "bookings"
    ),
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Set a year's quotas with one method and keep them as a draft."""
    from attain.actions import NotAllowed
    from attain.data.store import get_engine
    from attain.quota import QuotaError, plan_quotas
    from attain.quota.drafts import create_draft
    from attain.quota.plan import PlanRequest

    try:
        request = PlanRequest(
            year=year,
            target=_amount(target, "--target"),
            over_assignment=over_assignment,
            periods=periods,
            basis=basis,
            growth=growth,
            measure=measure,
        )
        engine = get_engine(db)
        quotas = plan_quotas(engine, method, request)
        draft = create_draft(engine, acting(db, as_), quotas)
    except (QuotaError, NotAllowed) as e:
        fail(str(e))
    out = Table(
        "payee",
        "territory",
        "quota",
        "low",
        "high",
        "ramp",
        "note",
        title=f"{quotas.method} quotas for {year}",
    )
    for row in quotas.quotas.head(20).itertuples(index=False):
        out.add_row(
            str(row.payee),
            str(row.territory),
            f"{row.amount:,.0f}",
            "" if row.low != row.low else f"{row.low:,.0f}",
            "" if row.high != row.high else f"{row.high:,.0f}",
            f"{row.ramp:.0%}",
            str(row.note),
        )
    console.print(out)
    if len(quotas.quotas) > 20:
        console.print(f"... and {len(quotas.quotas) - 20} more payees")
    for w in quotas.warnings:
        console.print(f"[yellow]note:[/] {w}", highlight=False)
    console.print(
        f"draft [bold]{draft.id}[/]: {len(quotas.quotas)} payees, total {quotas.total:,} "
        f"against target {quotas.target:,}"
    )


@quota_app.command("backtest")
def backtest_command(
    year: Annotated[int, typer.Option("--year", help="The past year to set again and score.")],
    target: Annotated[
        str | None,
        typer.Option("--target", help="That year's target (default: the year before, grown)."),
    ] = None,
    over_assignment: Annotated[
        float, typer.Option("--over-assignment", help="Quotas above target, 0.10 for 10%.")
    ] = 0.10,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report with charts here.")
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="Price commission with this plan (plan language; default: standard AE)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Set a past year's quotas with every method from earlier data, and score each."""
    from attain.comp import PlanError
    from attain.data.store import get_engine
    from attain.quota import QuotaError, backtest
    from attain.quota.commission import STANDARD_PLAN_NAME
    from attain.quota.report import table_rows, write_report

    if plan is not None and not plan.is_file():
        fail(f"no such plan file: {plan}")
    try:
        result = backtest(
            get_engine(db),
            year,
            target=_amount(target, "--target"),
            over_assignment=over_assignment,
            plans=plan.read_text(encoding="utf-8") if plan else None,
            plans_name=f"plan in {plan.name}" if plan else STANDARD_PLAN_NAME,
        )
    except (QuotaError, PlanError) as e:
        fail(str(e))
    rows = table_rows(result)
    out = Table(*rows[0], title=f"Quota backtest {year} (target {float(result.target):,.0f})")
    for r in rows[1:]:
        out.add_row(*r)
    console.print(out)
    console.print(f"fairness judged against {result.potential_source}", highlight=False)
    console.print(f"commission priced with the {result.commission_plan}", highlight=False)
    for w in result.warnings:
        console.print(f"[yellow]note:[/] {w}", highlight=False)
    if html is not None:
        write_report(result, html)
        console.print(f"report written to {html}")


@quota_app.command("drafts")
def drafts(db: DbOption = None) -> None:
    """List quota drafts with their status."""
    from attain.data.store import get_engine
    from attain.quota.drafts import list_drafts

    out = Table(
        "draft", "year", "method", "measure", "status", "target", "prepared by", "approved by"
    )
    for d in list_drafts(get_engine(db)):
        out.add_row(
            d.id,
            str(d.year),
            d.method,
            d.measure,
            d.status,
            f"{d.target:,.0f}",
            d.prepared_by,
            d.approved_by or "",
        )
    console.print(out)


@quota_app.command("show")
def show(
    draft: Annotated[str, typer.Argument(help="Draft id.")],
    audit: Annotated[bool, typer.Option("--audit", help="Also show every change.")] = False,
    db: DbOption = None,
) -> None:
    """A draft's lines (and its audit trail with --audit)."""
    from attain.actions import NotAllowed
    from attain.data.store import get_engine
    from attain.quota import QuotaError
    from attain.quota.drafts import audit_trail, draft_lines

    engine = get_engine(db)
    try:
        lines = draft_lines(engine, draft)
    except (QuotaError, NotAllowed) as e:
        fail(str(e))
    out = Table("payee", "period", "quota", "proposed", "low", "high", "note", title=draft)
    for r in lines.itertuples(index=False):
        out.add_row(
            str(r.payee),
            str(r.period),
            f"{r.amount:,}",
            f"{r.proposed:,}",
            f"{r.low:,}" if isinstance(r.low, Decimal) else "",
            f"{r.high:,}" if isinstance(r.high, Decimal) else "",
            r.note if isinstance(r.note, str) else "",
        )
    console.print(out)
    if audit:
        trail = Table("at", "by", "action", "before", "after", "reason")
        for a in audit_trail(engine, draft):
            trail.add_row(
                f"{a.at:%Y-%m-%d %H:%M:%S}",
                a.actor,
                a.action,
                _shown(a.before),
                _shown(a.after),
                a.reason or "",
            )
        console.print(trail)


@quota_app.command("compare")
def compare_command(
    first: Annotated[str, typer.Argument(help="Draft id.")],
    second: Annotated[str, typer.Argument(help="Another draft id.")],
    db: DbOption = None,
) -> None:
    """Two drafts side by side per payee, with the difference."""
    from attain.actions import NotAllowed
    from attain.data.store import get_engine
    from attain.quota import QuotaError
    from attain.quota.drafts import compare

    try:
        frame = compare(get_engine(db), first, second)
    except (QuotaError, NotAllowed) as e:
        fail(str(e))
    out = Table("payee", first, second, "difference")
    for r in frame.itertuples(index=False):
        out.add_row(str(r[0]), f"{r[1]:,}", f"{r[2]:,}", f"{r[3]:+,}")
    console.print(out)


@quota_app.command("adjust")
def adjust_command(
    draft: Annotated[str, typer.Argument(help="Draft id.")],
    payee: Annotated[str, typer.Argument(help="Payee id.")],
    amount: Annotated[str, typer.Argument(help="The new quota.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required, kept in the audit).")],
    period: Annotated[
        str | None, typer.Option("--period", help="Period (default: the draft's year).")
    ] = None,
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Change one payee's quota in a draft, with a reason."""
    from attain.actions import NotAllowed
    from attain.data.store import get_engine
    from attain.quota import QuotaError
    from attain.quota.drafts import adjust, draft_lines

    engine = get_engine(db)
    value = _amount(amount, "the amount")
    assert value is not None
    try:
        chosen = period or str(draft_lines(engine, draft)["period"].min())[:4]
        line = adjust(engine, acting(db, as_), draft, payee, chosen, value, reason)
    except (QuotaError, NotAllowed) as e:
        fail(str(e))
    console.print(f"{payee} {line.period}: {line.amount:,} (was proposed {line.proposed:,})")


@quota_app.command("approve")
def approve_command(
    draft: Annotated[str, typer.Argument(help="Draft id.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Approve a draft (by someone other than the person who prepared it)."""
    from attain.actions import NotAllowed
    from attain.data.store import get_engine
    from attain.quota import QuotaError
    from attain.quota.drafts import approve

    actor = acting(db, as_)
    try:
        approve(get_engine(db), actor, draft)
    except (QuotaError, NotAllowed) as e:
        fail(str(e))
    console.print(f"draft {draft} approved by {actor.name}")


@quota_app.command("publish")
def publish_command(
    draft: Annotated[str, typer.Argument(help="Draft id.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Write an approved draft into the quotas the compensation engine reads."""
    from attain.actions import NotAllowed
    from attain.data.store import get_engine
    from attain.quota import QuotaError
    from attain.quota.drafts import publish

    try:
        n = publish(get_engine(db), acting(db, as_), draft)
    except (QuotaError, NotAllowed) as e:
        fail(str(e))
    console.print(f"published {n} quota lines from draft {draft}")


def register(app: typer.Typer) -> None:
    app.add_typer(quota_app)
