"""One exception for everything a plan author or a data owner must fix: `PlanError`."""

from __future__ import annotations


class PlanError(Exception):
    """A plan, case or data problem, with a message that says where (plan, rule, position)."""


def where(plan: str | None, part: str | None = None, field: str | None = None) -> str:
    """`plan ae, credit rule owner, value` — the place an error is reported at."""
    bits = []
    if plan:
        bits.append(f"plan {plan}")
    if part:
        bits.append(part)
    if field:
        bits.append(field)
    return ", ".join(bits)


def caret(text: str, column: int, end_column: int | None = None) -> str:
    """The expression with a caret line under columns `column`..`end_column` (1-based)."""
    width = max(1, (end_column or column + 1) - column)
    return f"    {text}\n    {' ' * (column - 1)}{'^' * width}"
