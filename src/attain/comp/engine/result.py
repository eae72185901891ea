"""What a calculation returns: payout lines with traces, and the credits behind them.

Lines are an Arrow table, so a run of millions of credits never becomes millions of Python
objects; `lines` and `credits` are dataclass views built on first use, for small results,
statements, tests and the CLI. The credits and each line's credit ids stay in the backend until
first asked for, and each line's trace JSON is written from the figures its component's rows
hold the first time lines are read (see `deferred`): a `Result` is valid while the connection
given to `calculate` is open (and the tables it read unchanged), or after `materialise()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from attain.comp.engine.trace import Credit, PayoutLine
from attain.comp.engine.trace_json import trace_from_json

if TYPE_CHECKING:
    from attain.comp.engine.deferred import Deferred

MONEY_ARROW = pa.decimal128(38, 2)
VALUE_ARROW = pa.decimal128(38, 12)
LINE_COLUMNS = ("payee", "plan", "period", "component", "amount")
CREDIT_FIELDS = tuple(Credit.__dataclass_fields__)

LINES_SCHEMA = pa.schema(
    [
        ("payee", pa.string()),
        ("plan", pa.string()),
        ("period", pa.string()),
        ("component", pa.string()),
        ("amount", MONEY_ARROW),
        ("credit_ids", pa.list_(pa.string())),
        ("trace", pa.string()),
    ]
)
"""Lines in order; `trace` is JSON without `credit_ids`: those are the list column, as the
backend collected them (in no order; a credit may repeat; NULL when none). Views and the store sort them and
keep each once, so the calculation itself does not pay for that ordering."""

CREDITS_SCHEMA = pa.schema(
    [
        ("credit_id", pa.string()),
        ("plan", pa.string()),
        ("rule", pa.string()),
        ("payee", pa.string()),
        ("date", pa.date32()),
        ("value", VALUE_ARROW),
        ("kind", pa.string()),
        ("source_table", pa.string()),
        ("source_id", pa.string()),
    ]
)


@dataclass(frozen=True, eq=False)
class Result:
    """Payout lines (non-zero, rounded once to cents) and credits of one calculation."""

    paid_rows: pa.Table  # lines; ids and trace text not yet filled in (see `line_rows`)
    deferred: Deferred | None = None  # the credits, id queries and trace figures
    warnings: tuple[str, ...] = ()  # what matched nothing (see `unmatched`): paid, but suspect

    @cached_property
    def line_rows(self) -> pa.Table:
        """The lines (LINES_SCHEMA) with their traces and credit ids, written once on first use."""
        rows = self.paid_rows
        if self.deferred is not None:
            rows = rows.set_column(
                rows.schema.get_field_index("trace"), "trace", self.deferred.trace_texts(rows)
            )
            ids = self.deferred.credit_ids(rows)
            rows = rows.set_column(rows.schema.get_field_index("credit_ids"), "credit_ids", ids)
        return rows.select(LINES_SCHEMA.names).cast(LINES_SCHEMA)

    @cached_property
    def credit_rows(self) -> pa.Table:
        """The credits (CREDITS_SCHEMA), exported from the backend once."""
        if self.deferred is None:
            return CREDITS_SCHEMA.empty_table()
        return self.deferred.credit_rows()

    def materialise(self) -> Result:
        """Fetch the credits and credit ids now, so the result outlives its connection."""
        _ = self.line_rows, self.credit_rows
        return self

    @cached_property
    def lines(self) -> tuple[PayoutLine, ...]:
        """The lines as dataclasses with parsed traces (builds one object per line: small runs)."""
        return tuple(
            PayoutLine(
                r["payee"],
                r["plan"],
                r["period"],
                r["component"],
                r["amount"],
                trace_from_json(r["trace"], sorted(set(r["credit_ids"] or ()))),
            )
            for r in self.line_rows.to_pylist()
        )

    @cached_property
    def credits(self) -> tuple[Credit, ...]:
        """The credits as dataclasses (one object per credit: small runs only)."""
        return tuple(Credit(**r) for r in self.credit_rows.to_pylist())

    def lines_table(self) -> pa.Table:
        """The lines as an Arrow table: payee, plan, period, component, amount (DECIMAL)."""
        return self.paid_rows.select(list(LINE_COLUMNS))

    def credits_table(self) -> pa.Table:
        """The credits as an Arrow table (value as DECIMAL(38, 12))."""
        return self.credit_rows

    @property
    def line_count(self) -> int:
        return int(self.paid_rows.num_rows)

    @cached_property
    def credit_count(self) -> int:
        """How many credits (counted in the backend unless already fetched)."""
        if "credit_rows" in self.__dict__ or self.deferred is None:
            return int(self.credit_rows.num_rows)
        return self.deferred.credit_count()

    def total(self) -> Decimal:
        """The sum of every line, exact (Arrow sums decimals as decimals)."""
        value = pc.sum(self.paid_rows.column("amount")).as_py()
        return Decimal("0.00") if value is None else Decimal(value).quantize(Decimal("0.01"))

    def payee_count(self) -> int:
        """How many payees have at least one line."""
        return int(pc.count_distinct(self.paid_rows.column("payee")).as_py())
