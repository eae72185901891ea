"""A period's current lines as CSV: what is paid now, line by line, for a spreadsheet.

Not the payroll file: payroll takes the ledger of a period finance approved
(`attain.pay.exports`), which does not move when a deal changes later. This export does, and
agrees with the dashboards."""

from __future__ import annotations

from sqlalchemy import Engine

from attain.comp.runs.published import shown_run
from attain.money_format import CENT
from attain.pay.current.by_period import period_lines
from attain.pay.current.names import person_names
from attain.pay.exports import csv_text
from attain.pay.line_units import run_units

HEADER = ("payee", "name", "period", "plan", "component", "currency", "amount")


def current_csv(engine: Engine, period: str, payees: frozenset[str] | None = None) -> str:
    """One row per current line of `period` (for the scope's payees), formula-like text escaped,
    amounts to the cent."""
    run = shown_run(engine)
    lines = period_lines(engine, period, payees) if run is not None else []
    units = run_units(run) if run is not None else None
    names = person_names(engine, sorted({ln.payee for ln in lines})) if lines else {}
    rows = (
        (
            ln.payee,
            names.get(ln.payee, ln.payee),
            ln.period,
            ln.plan,
            ln.component,
            units.currency(ln.plan) if units is not None else "",
            ln.amount.quantize(CENT),
        )
        for ln in lines
    )
    return csv_text(HEADER, rows)
