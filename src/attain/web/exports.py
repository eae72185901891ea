"""CSV exports that spreadsheets cannot turn into formulas.

A cell starting with =, +, -, @, a tab or a carriage return would run as a formula in Excel or
LibreOffice (`=cmd()`); such text cells are prefixed with a single quote. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from attain.comp.runs.show import StoredLine

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text, neutralised when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def payout_lines_csv(lines: Iterable[StoredLine], names: dict[str, str]) -> str:
    """A period's payout lines for payroll: payee, name, plan, period, component, amount."""
    return to_csv(
        ["payee", "name", "plan", "period", "component", "amount"],
        (
            (ln.payee, names.get(ln.payee, ""), ln.plan, ln.period, ln.component, ln.amount)
            for ln in lines
        ),
    )
