"""`attain period | adjust | dispute | statement | export` and `attain comp publish | approve |
verify`: the pay lifecycle from the command line, thin over `attain.pay`.

Every write acts as a real attain user (`attain.cli.acting`: an API token, or the local operator
an admin mapped); the rules (finance closes, an admin reopens with a reason, the approver is not
the preparer) are enforced by `attain.pay` for that user's role, as for the web.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, RetiredOption, acting
from attain.cli.runs_commands import comp_app
from attain.money_format import CENT, cents, money_totals

T = TypeVar("T")


period_app = typer.Typer(
    name="period", help="Payout periods: list, prepare, close, reopen.", no_args_is_help=True
)
dispute_app = typer.Typer(
    name="dispute", help="Disputes: raise, comment, assign, resolve, list.", no_args_is_help=True
)
export_app = typer.Typer(
    name="export", help="Payroll, accruals and the ASC 340-40 schedule.", no_args_is_help=True
)


_money = cents
"""An amount to cents, as every page and statement writes it (the currency is in the table)."""


def _act(fn: Callable[[], T]) -> T:
    """Run an action; its refusal is one clear line and exit code 2."""
    from attain.comp.errors import PlanError
    from attain.pay import PayError

    try:
        return fn()
    except (PayError, PlanError, ValueError) as e:
        fail(str(e))


@period_app.command("list")
def period_list(db: DbOption = None) -> None:
    """Every period the lifecycle has touched: status, version, who prepared and closed it."""
    from attain.pay import period_states

    table = Table("period", "status", "version", "prepared by", "closed by", "closed at")
    for s in period_states(db):
        table.add_row(
            s.period,
            s.status,
            str(s.version),
            s.prepared_by or "",
            s.closed_by or "",
            f"{s.closed_at:%Y-%m-%d %H:%M}" if s.closed_at else "",
        )
    console.print(table)


@period_app.command("show")
def period_show(
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    db: DbOption = None,
) -> None:
    """What a period pays, per payee and kind of line, with its status, version and approvals: what an approver reviews."""
    from collections import defaultdict

    from attain.pay import approvals, ledger_lines, period_state

    state = _act(lambda: period_state(db, period))
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for ln in ledger_lines(db, period=period):
        sums[(ln.payee, ln.kind)] += ln.amount
    kinds = sorted({k for _, k in sums})
    table = Table(
        "payee", *kinds, "total", title=f"{period}: {state.status}, version {state.version}"
    )
    for payee in sorted({p for p, _ in sums}):
        table.add_row(
            payee,
            *(_money(sums.get((payee, k), 0)) for k in kinds),
            _money(sum((v for (p, _), v in sums.items() if p == payee), Decimal(0))),
        )
    console.print(table)
    console.print(f"total {_money(sum(sums.values(), Decimal(0)))}")
    for a in approvals(db, period):
        covered = (
            f"{a.payees} payees, {a.lines} lines, {money_totals(a.totals)}; " if a.lines else ""
        )
        console.print(
            f"approved at level {a.level} by {a.approved_by} ({covered}"
            f"{a.approved_at:%Y-%m-%d %H:%M}, version {a.version})"
        )
    if state.status == "prepared":
        from attain.pay.approvals import manager_progress

        console.print(str(manager_progress(db, period)))


@period_app.command("prepare")
def period_prepare(
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Mark a period's payouts ready for approval."""
    from attain.pay import prepare_period

    actor = acting(db, as_)
    s = _act(lambda: prepare_period(db, period, actor))
    console.print(
        f"period {s.period} prepared by {actor.name} (version {s.version}); approve with: attain comp approve {period}"
    )


@period_app.command("close")
def period_close(
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Close an approved period (finance): its lines never change again; later changes pay as adjustments."""
    from attain.audit.anchor import newest_checkpoint
    from attain.data.store import get_engine
    from attain.pay import close_period

    actor = acting(db, as_)
    s = _act(lambda: close_period(db, period, actor))
    console.print(f"period {s.period} closed by {actor.name}")
    mark = newest_checkpoint(get_engine(db))
    if mark is not None:  # kept outside the store: `attain audit verify` holds the log to it
        console.print(
            f"audit checkpoint: entry {mark.seq} hash {mark.hash}", highlight=False, soft_wrap=True
        )


@period_app.command("reopen")
def period_reopen(
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it must be reopened (kept in the audit log).")
    ],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Reopen a closed period (admin only, with a reason); its approvals start over."""
    from attain.pay import reopen_period

    actor = acting(db, as_)
    s = _act(lambda: reopen_period(db, period, actor, reason))
    console.print(f"period {s.period} reopened by {actor.name}: {reason}")


@period_app.command("revoke")
def period_revoke(
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the payouts go back.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Send a prepared or approved period back to open, so its numbers can change."""
    from attain.pay import revoke_approval

    actor = acting(db, as_)
    s = _act(lambda: revoke_approval(db, period, actor, reason))
    console.print(f"period {s.period} is open again")


@comp_app.command("publish")
def comp_publish(
    run_id: Annotated[str, typer.Argument(help="A run id (or a unique prefix, or `latest`).")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Make a run's lines payable: open periods are replaced, closed ones get true-ups in the next open period."""
    from attain.pay import publish_run

    actor = acting(db, as_)
    p = _act(lambda: publish_run(db, run_id, actor))
    console.print(
        f"run {p.run_id} published: {p.periods} periods, {p.lines} ledger lines, "
        f"{p.true_ups} true-ups totalling {_money(p.true_up_total)}"
    )
    if p.reopened:
        console.print(f"back to open (their numbers changed): {', '.join(p.reopened)}")
    if not p.verifiable:
        console.print(
            "warning: the data changed since the run; its inputs were not kept (verify will refuse)",
            style="yellow",
        )


@comp_app.command("approve")
def comp_approve(
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    level: Annotated[
        str | None, typer.Option(help="manager or finance (default: the next level due).")
    ] = None,
    version: Annotated[
        int | None, typer.Option(help="The period version you reviewed (refused if it changed).")
    ] = None,
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Approve a prepared period: a manager their team's part (never their own pay), finance the whole period once every team is approved."""
    from attain.pay import approve_period
    from attain.pay.approvals import approvals, manager_progress

    actor = acting(db, as_)
    s = _act(lambda: approve_period(db, period, actor, level, expected_version=version))
    mine = [a for a in approvals(db, period) if a.approved_by == actor.name]
    covered = f" ({mine[-1].payees} payees, {money_totals(mine[-1].totals)})" if mine else ""
    console.print(f"period {s.period}: approved by {actor.name}{covered}; status {s.status}")
    if s.status == "prepared":
        console.print(str(manager_progress(db, period)))


@comp_app.command("verify")
def comp_verify(
    run_id: Annotated[
        str | None,
        typer.Argument(help="A run id (or a unique prefix, or `latest`); none: the ledger only."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Recalculate a stored run to the cent, and trace every ledger line; approved and closed periods must match their signed copy."""
    from attain.pay import verify_run
    from attain.pay.verify_ledger import verify_ledger

    bad = 0
    if run_id is not None:
        v = _act(lambda: verify_run(db, run_id))
        if v.ok:
            console.print(f"run {v.run_id}: all {v.lines:,} lines recalculated to the cent")
        for d in v.differences[:50]:
            console.print(d, highlight=False, soft_wrap=True)
        if not v.ok:
            console.print(
                f"run {v.run_id}: {len(v.differences)} of {v.lines:,} lines differ from a"
                " recalculation",
                highlight=False,
                soft_wrap=True,
            )
            bad += len(v.differences)
    ledger = _act(lambda: verify_ledger(db))
    for note in ledger.notes:
        console.print(note, highlight=False, soft_wrap=True)
    for d in ledger.differences[:50]:
        console.print(d, highlight=False, soft_wrap=True)
    if ledger.ok:
        console.print(
            f"ledger: all {ledger.lines:,} lines traced; {ledger.frozen} approved or closed"
            " periods match their signed copy",
            highlight=False,
            soft_wrap=True,
        )
    bad += len(ledger.differences)
    if bad:
        fail(f"{bad} differences (run lines and ledger)", code=1)


def adjust(
    payee: Annotated[str, typer.Argument(help="Who is paid.")],
    period: Annotated[str, typer.Argument(help="An open period, e.g. 2027-02.")],
    amount: Annotated[str, typer.Argument(help="Amount in cents precision; negative takes back.")],
    reason_code: Annotated[
        str,
        typer.Option(
            "--reason-code", help="missed_credit, dispute, correction, spiff, draw, other."
        ),
    ],
    comment: Annotated[
        str, typer.Option("--comment", help="What and why (shown on the statement).")
    ],
    plan: Annotated[str, typer.Option(help="The plan it belongs to, if any.")] = "-",
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Add a manual adjustment (admin or finance) to an open period."""
    from attain.pay import add_adjustment

    actor = acting(db, as_)
    line = _act(
        lambda: add_adjustment(
            db,
            actor,
            payee=payee,
            period=period,
            amount=amount.replace(",", ""),
            reason_code=reason_code,
            comment=comment,
            plan=plan,
        )
    )
    console.print(
        f"adjustment {line}: {payee} {period} {_money(amount.replace(',', ''))} ({reason_code})"
    )


@dispute_app.command("raise")
def dispute_raise(
    payee: Annotated[str, typer.Argument(help="Whose pay is disputed.")],
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    subject: Annotated[str, typer.Option("--subject", help="What is wrong.")],
    line: Annotated[
        int | None, typer.Option(help="The ledger line disputed (see the statement).")
    ] = None,
    deal: Annotated[str | None, typer.Option(help="A deal believed missing.")] = None,
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Raise a dispute about a line, or a deal believed missing."""
    from attain.pay import raise_dispute

    actor = acting(db, as_)
    i = _act(
        lambda: raise_dispute(
            db, actor, payee=payee, period=period, subject=subject, line=line, deal=deal
        )
    )
    console.print(f"dispute {i} raised")


@dispute_app.command("comment")
def dispute_comment(
    dispute_id: Annotated[int, typer.Argument(help="The dispute's number.")],
    text: Annotated[str, typer.Argument(help="The comment.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Add a comment to a dispute."""
    from attain.pay import comment_dispute

    actor = acting(db, as_)
    _act(lambda: comment_dispute(db, actor, dispute_id, text))
    console.print(f"dispute {dispute_id}: comment added")


@dispute_app.command("assign")
def dispute_assign(
    dispute_id: Annotated[int, typer.Argument(help="The dispute's number.")],
    owner: Annotated[str, typer.Argument(help="Who investigates it.")],
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Give a dispute an owner; it is then being investigated."""
    from attain.pay import assign_dispute

    actor = acting(db, as_)
    _act(lambda: assign_dispute(db, actor, dispute_id, owner))
    console.print(f"dispute {dispute_id}: owned by {owner}")


@dispute_app.command("resolve")
def dispute_resolve(
    dispute_id: Annotated[int, typer.Argument(help="The dispute's number.")],
    resolution: Annotated[str, typer.Option("--resolution", help="How it was settled.")],
    amount: Annotated[str | None, typer.Option(help="Pay this as an adjustment.")] = None,
    period: Annotated[
        str | None,
        typer.Option(help="The open period the adjustment goes in (default: the dispute's)."),
    ] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the dispute instead.")] = False,
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Resolve a dispute, with or without an adjustment, or reject it."""
    from attain.pay import resolve_dispute

    actor = acting(db, as_)
    adj = _act(
        lambda: resolve_dispute(
            db,
            actor,
            dispute_id,
            resolution,
            accept=not reject,
            amount=amount,
            period=period,
        )
    )
    console.print(
        f"dispute {dispute_id} {'rejected' if reject else 'resolved'}"
        + (f" with adjustment {adj}" if adj else "")
    )


@dispute_app.command("list")
def dispute_list(
    payee: Annotated[str | None, typer.Option(help="Only this payee's.")] = None,
    status: Annotated[
        str | None, typer.Option(help="open, investigating, resolved or rejected.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Disputes with their history."""
    from attain.pay import disputes

    for d in disputes(db, payee=payee, status=status):
        about = f"line {d.ledger_line}" if d.ledger_line else f"missing deal {d.deal}"
        console.print(
            f"[bold]#{d.id}[/] {d.payee} {d.period} {about}: {d.subject} [{d.status}]"
            + (f" owner {d.owner}" if d.owner else "")
        )
        for at, actor, kind, text in d.events:
            console.print(f"    {at:%Y-%m-%d %H:%M} {actor} {kind}: {text or ''}", highlight=False)


def statement_cmd(
    payee: Annotated[str, typer.Argument(help="Whose statement.")],
    period: Annotated[str, typer.Argument(help="The period, e.g. 2027-01.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Write a PDF.")] = False,
    html: Annotated[bool, typer.Option("--html", help="Write an HTML page.")] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="File to write (default: statement-PAYEE-PERIOD.pdf/.html)."),
    ] = None,
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """A payee's statement for a period: totals, each line's trace, adjustments, holds, draw, year to date."""
    from attain.money_format import money
    from attain.pay.render import statement_html, statement_pdf
    from attain.pay.statements import statement

    actor = acting(db, as_)
    s = _act(lambda: statement(db, payee, period, actor))
    if pdf or html:
        target = out or Path(f"statement-{payee}-{period}.{'pdf' if pdf else 'html'}")
        if pdf:
            target.write_bytes(statement_pdf(s))
        else:
            target.write_text(statement_html(s), encoding="utf-8")
        console.print(f"wrote {target}")
        return
    console.print(f"[bold]{s.name} ({s.payee})[/], {s.period}: {s.status}")
    for ln in s.lines:
        console.print(
            f"  #{ln.id} {ln.plan}/{ln.component} {ln.kind}: "
            f"[bold]{money(ln.amount, ln.currency)}[/]"
        )
        for step in ln.how:
            console.print(f"      {step}", highlight=False)
        if ln.credits:
            console.print(f"      {len(ln.credits)} credits", style="dim")
    console.print(
        f"total payable {money(s.total, s.currency)}; year to date "
        f"{money(s.year_to_date, s.currency)}; still held {money(s.held_outstanding, s.currency)}"
        + (
            f"; draw balance {money(s.draw_balance, s.currency)}"
            if s.draw_balance is not None
            else ""
        )
    )


@export_app.command("payroll")
def export_payroll(
    period: Annotated[str, typer.Argument(help="An approved or closed period.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="A .csv or .xlsx file (default: payroll-PERIOD.csv)."),
    ] = None,
    as_: AsOption = None,
    retired: RetiredOption = None,
    db: DbOption = None,
) -> None:
    """Payroll: one line per payee, period and pay code (CSV or XLSX; formula-like text escaped).

    The export is logged (who, lines, total, the file's SHA-256).
    """
    from attain.pay.exports import export_payroll as write

    actor = acting(db, as_)
    target = out or Path(f"payroll-{period}.csv")
    rows = _act(lambda: write(db, period, actor, target))
    console.print(
        f"wrote {target}: {len(rows)} lines, total {_money(sum((r.amount for r in rows), Decimal(0)))}"
    )
    from attain.audit.anchor import newest_checkpoint
    from attain.data.store import get_engine

    mark = newest_checkpoint(get_engine(db))
    if mark is not None:  # beside the file: the audit log's head when it was exported
        sidecar = target.with_name(target.name + ".audit")
        sidecar.write_text(mark.text + "\n")
        console.print(
            f"audit checkpoint: entry {mark.seq} hash {mark.hash} (in {sidecar})",
            highlight=False,
            soft_wrap=True,
        )


@export_app.command("accruals")
def export_accruals(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write a CSV here as well as printing.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Commission owed for periods not yet closed, per period, payee and plan."""
    from attain.pay.accruals import accruals
    from attain.pay.exports import csv_text

    rows = accruals(db)
    table = Table("period", "status", "payee", "plan", "amount")
    for a in rows:
        table.add_row(a.period, a.status, a.payee, a.plan, _money(a.amount))
    console.print(table)
    console.print(f"accrued {_money(sum((a.amount for a in rows), Decimal(0)))}")
    if out:
        header = ["period", "status", "payee", "plan", "amount"]
        cells = ([a.period, a.status, a.payee, a.plan, a.amount.quantize(CENT)] for a in rows)
        out.write_text(csv_text(header, cells), encoding="utf-8")
        console.print(f"wrote {out}")


@export_app.command("asc340")
def export_asc340(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the schedule as CSV as well.")
    ] = None,
    default_term: Annotated[
        int, typer.Option(help="Benefit period in months for deals without term_months.")
    ] = 12,
    expedient: Annotated[
        bool, typer.Option(help="Expense costs of contracts of 12 months or less at once.")
    ] = False,
    db: DbOption = None,
) -> None:
    """The ASC 340-40 schedule: commissions capitalised and amortised over each contract's term, by month."""
    from attain.pay.accruals import asc340_schedule
    from attain.pay.exports import csv_text

    schedule, _ = asc340_schedule(db, default_term=default_term, expedient=expedient)
    table = Table(
        "month", "capitalised", "amortised", "expensed at once", "expense", "asset balance"
    )
    for m in schedule:
        table.add_row(
            m.month,
            _money(m.capitalised),
            _money(m.amortised),
            _money(m.expensed),
            _money(m.expense),
            _money(m.balance),
        )
    console.print(table)
    if out:
        header = ["month", "capitalised", "amortised", "expensed", "expense", "balance"]
        cells = (
            [m.month, m.capitalised, m.amortised, m.expensed, m.expense, m.balance]
            for m in schedule
        )
        out.write_text(csv_text(header, cells), encoding="utf-8")
        console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(period_app)
    app.command("adjust")(adjust)
    app.add_typer(dispute_app)
    app.command("statement")(statement_cmd)
    app.add_typer(export_app)
