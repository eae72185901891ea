"""Compensation: plans in the plan language and the engine that pays them.

    plans = load_plans(path_or_text)                      # -> list[Plan]
    compiled = compile_plans(plans, schemas_of(con))      # type-checked against the tables
    result = calculate(con, plans, assignments, start, end)
    result.lines    # PayoutLine(payee, plan, period, component, amount: Decimal, trace)
    result.credits  # Credit(credit_id, plan, rule, payee, date, value, kind, source_table, source_id)

Credits and each line's credit ids are read from `con` on first use: use a result while `con`
is open, or call `result.materialise()` before closing it.

Every problem with a plan or its data is a `PlanError` whose message says where.
"""

from __future__ import annotations

from attain.comp.engine import (
    Credit,
    LineTrace,
    PayoutLine,
    Result,
    TierSlice,
    calculate,
    credit_span,
    schemas_of,
)
from attain.comp.errors import PlanError
from attain.comp.language import Assignment, CompiledPlans, Plan, compile_plans, load_plans

__all__ = [
    "Assignment",
    "CompiledPlans",
    "Credit",
    "LineTrace",
    "PayoutLine",
    "Plan",
    "PlanError",
    "Result",
    "TierSlice",
    "calculate",
    "compile_plans",
    "credit_span",
    "load_plans",
    "schemas_of",
]
