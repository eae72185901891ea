"""One exception for everything a plan author or a data owner must fix: `PlanError`."""

from __future__ import annotations


class PlanError(Exception):
    """A plan, case or data problem, with a message that says where (plan, rule, position).

    When known, it also says where in the plan's YAML: `path` (keys and list positions from the
    plan's root, e.g. `("credits", 0, "value")`), `column` (1-based, within that expression),
    or `line`/`col` (1-based, in the YAML text itself: a syntax error). The checker uses them
    to put each error at its line and column.
    """

    def __init__(
        self,
        message: str,
        *,
        path: tuple[str | int, ...] | None = None,
        column: int | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.column = column
        self.line = line
        self.col = col


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
