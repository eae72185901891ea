"""Payroll export: one line per payee, period and pay code, as CSV or XLSX.

Only approved or closed periods are exported. Text cells that start with `=`, `+`, `-` or `@`
get a leading apostrophe so a spreadsheet never runs them as formulas; amounts are numbers.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select

from attain.data.schema import Person
from attain.pay.actions import engine_of
from attain.pay.errors import PayError
from attain.pay.periods import parse_period, period_state
from attain.pay.schema import LedgerLine

HEADER = ("payee", "name", "period", "pay_code", "amount")
FORMULA_START = ("=", "+", "-", "@")


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


def payroll_rows(url: str | Engine | None, period: str) -> list[PayrollRow]:
    """The period's payable lines summed per payee and pay code (zeros left out)."""
    parse_period(period)
    state = period_state(url, period)
    if state.status not in ("approved", "closed"):
        raise PayError(f"period {period} is {state.status}: payroll takes approved periods only")
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    with engine_of(url).connect() as conn:
        for r in conn.execute(
            select(
                LedgerLine.payee,
                LedgerLine.kind,
                LedgerLine.component,
                LedgerLine.reason_code,
                LedgerLine.amount,
            ).where(LedgerLine.period == period)
        ):
            sums[(r.payee, pay_code(r.kind, r.component, r.reason_code))] += Decimal(r.amount)
        names = dict(conn.execute(select(Person.id, Person.name)).all())
    return [
        PayrollRow(payee, names.get(payee) or payee, period, code, amount.quantize(Decimal("0.01")))
        for (payee, code), amount in sorted(sums.items())
        if amount != 0
    ]


def _cells(r: PayrollRow) -> list[str | Decimal]:
    return [escape_cell(r.payee), escape_cell(r.name), r.period, escape_cell(r.pay_code), r.amount]


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
            sheet.append([*(str(c) for c in cells[:4]), r.amount])
            sheet.cell(sheet.max_row, 5).number_format = "#,##0.00"
            for col in range(1, 5):
                sheet.cell(sheet.max_row, col).data_type = "s"
        book.save(path)
        return
    path.write_text(payroll_csv(rows), encoding="utf-8")


def payroll_csv(rows: list[PayrollRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([*_cells(r)[:4], f"{r.amount:.2f}"])
    return out.getvalue()
