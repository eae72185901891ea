"""Runs over the store: calculate plans on the data hub's tables and keep what was paid and why.

summary = calculate_run(Path("plans/"), date(2027, 1, 1), date(2027, 3, 31))
lines = run_lines(get_engine(), summary.id, payee="ana")
"""

from __future__ import annotations

from attain.comp.runs.inputs import read_plans, store_assignments, tables_read
from attain.comp.runs.run import RunSummary, calculate_run
from attain.comp.runs.show import (
    StoredLine,
    get_run,
    list_runs,
    run_credits,
    run_lines,
    run_warnings,
)

__all__ = [
    "RunSummary",
    "StoredLine",
    "calculate_run",
    "get_run",
    "list_runs",
    "read_plans",
    "run_credits",
    "run_lines",
    "run_warnings",
    "store_assignments",
    "tables_read",
]
