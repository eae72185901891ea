"""Payroll export: one line per payee, period and pay code (and currency), as CSV or XLSX.

The one payroll export: the CLI (`attain export payroll`), the API and the finance page's button
all call it. Only approved or closed periods are exported; every line carries its currency and
an amount with two decimals; adjustments, holds, releases and true-ups are lines like any other. Text cells that start with `=`, `+`, `-` or `@`
get a leading apostrophe so a spreadsheet never runs them as formulas; amounts are numbers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from attain.actions.core import audit, user_action
from attain.audit.actor import Actor
from attain.comp.language import load_plans
from attain.comp.runs.schema import CompRun
from attain.data.schema import Person
from attain.money_format import CENT
from attain.pay.actions import action, engine_of, require
from attain.pay.errors import PayError
from attain.pay.line_units import ledger_currencies, payee_currencies
from attain.pay.periods import parse_period, period_state
from attain.pay.schema import LedgerLine

HEADER = ("payee", "name", "period", "pay_code", "currency", "amount")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """`=SUM(A1)` -> `'=SUM(A1)`: shown as text, never evaluated."""
    return "'" + text if text.startswith(FORMULA_START) else text


def pay_code(kind: str, component: str, reason_code: str | None) -> str:
    """What payroll calls a line: the component (a hold nets against it), or the kind of correction."""
    if kind in ("calculated", "held"):
        return component.upper()
    if kind == "release":
        return "HOLD_RELEASE"
    if kind == "true_up":
        return "TRUE_UP"
    return f"ADJ_{(reason_code or 'other').upper()}"


@dataclass(frozen=True)
class PayrollRow:
    payee: str
    name: str
    period: str
    pay_code: str
    amount: Decimal
    currency: str = ""


def plan_currencies(conn: Connection, run_ids: set[str]) -> dict[str, str]:
    """plan -> its currency, as the runs behind the ledger recorded it (newest run wins)."""
    out: dict[str, str] = {}
    rows = conn.execute(
        select(CompRun.plans).where(CompRun.id.in_(sorted(run_ids))).order_by(CompRun.created_at)
    ).scalars()
    for text in rows:
        for version in json.loads(text):
            for plan in load_plans(version["text"]):
                out[plan.id] = plan.currency
    return out


def payroll_rows(url: str | Engine | None, period: str) -> list[PayrollRow]:
    """The period's payable lines summed per payee and pay code (zeros left out)."""
    parse_period(period)
    state = period_state(url, period)
    if state.status not in ("approved", "closed"):
        raise PayError(f"period {period} is {state.status}: payroll takes approved periods only")
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    with engine_of(url).connect() as conn:
        lines = conn.execute(
            select(
                LedgerLine.id,
                LedgerLine.payee,
                LedgerLine.plan,
                LedgerLine.kind,
                LedgerLine.component,
                LedgerLine.reason_code,
                LedgerLine.amount,
                LedgerLine.run_id,
            ).where(LedgerLine.period == period)
        ).all()
        currency_of = plan_currencies(conn, {r.run_id for r in lines if r.run_id})
        names = dict(conn.execute(select(Person.id, Person.name)).all())
    engine = engine_of(url)
    currency_of = {**ledger_currencies(engine), **currency_of}
    payee_currency: dict[str, set[str]] = defaultdict(set)
    for r in lines:
        if r.plan in currency_of:
            payee_currency[r.payee].add(currency_of[r.plan])
    for r in lines:
        # an adjustment outside any plan is in the payee's plans' currency when they have one
        own = payee_currency[r.payee] or set(payee_currencies(engine, r.payee))
        currency = currency_of.get(r.plan) or (next(iter(own)) if len(own) == 1 else "")
        if not currency:
            raise PayError(
                f"period {period}: payee {r.payee}'s {r.kind} line {r.id} ({r.plan}) is in no"
                " known currency (the payee has no plan paid in exactly one currency)"
            )
        code = pay_code(r.kind, r.component, r.reason_code)
        sums[(r.payee, code, currency)] += Decimal(r.amount)
    return [
        PayrollRow(
            payee,
            names.get(payee) or payee,
            period,
            code,
            amount.quantize(Decimal("0.01")),
            currency,
        )
        for (payee, code, currency), amount in sorted(sums.items())
        if amount != 0
    ]


def _cells(r: PayrollRow) -> list[str]:
    return [
        escape_cell(r.payee),
        escape_cell(r.name),
        r.period,
        escape_cell(r.pay_code),
        r.currency,
    ]


def write_payroll(rows: list[PayrollRow], path: Path) -> None:
    """CSV or XLSX, by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "payroll"
        sheet.append(list(HEADER))
        for r in rows:
            cells = _cells(r)
            sheet.append([*cells, r.amount])
            sheet.cell(sheet.max_row, 6).number_format = "#,##0.00"
            for col in range(1, 6):
                sheet.cell(sheet.max_row, col).data_type = "s"
        book.save(path)
        return
    path.write_text(payroll_csv(rows), encoding="utf-8")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV, each text cell escaped (`escape_cell`; pass amounts as Decimal, not text):
    every CSV attain writes for people to open in a spreadsheet goes through here."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()


def payroll_csv(rows: list[PayrollRow]) -> str:
    return csv_text(HEADER, ([*_cells(r), r.amount.quantize(CENT)] for r in rows))


@user_action("payroll.export", capability="exports")
def export_payroll(
    url: str | Engine | None, period: str, actor: Actor, path: Path
) -> list[PayrollRow]:
    """Write the payroll file and log it (who, lines, total, the file's SHA-256) for the auditor."""
    require(actor, "exports", doing="export payroll")
    rows = payroll_rows(url, period)
    write_payroll(rows, path)
    _log_export(url, period, actor, path.name, path.read_bytes(), rows)
    return rows


def payroll_download(
    url: str | Engine | None, period: str, actor: Actor
) -> tuple[list[PayrollRow], str]:
    """The payroll CSV for a download (the web app), logged exactly as a written file is (the
    same action, `payroll.export`)."""
    require(actor, "exports", doing="export payroll")
    rows = payroll_rows(url, period)
    text = payroll_csv(rows)
    _log_export(url, period, actor, f"payroll-{period}.csv", text.encode(), rows)
    return rows, text


def _log_export(
    url: str | Engine | None,
    period: str,
    actor: Actor,
    name: str,
    content: bytes,
    rows: list[PayrollRow],
) -> None:
    with action(url) as conn:
        audit(
            conn,
            actor,
            "payroll.export",
            "period",
            period,
            after={
                "file": name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "lines": len(rows),
                "total": sum((r.amount for r in rows), Decimal(0)),
            },
        )
