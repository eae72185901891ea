"""What a calculation returns: payout lines with traces, and the credits behind them."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from attain.comp.engine.trace import Credit, PayoutLine

MONEY_ARROW = pa.decimal128(38, 2)


@dataclass(frozen=True)
class Result:
    """Payout lines (non-zero, rounded once to cents) and credits of one calculation."""

    lines: tuple[PayoutLine, ...]
    credits: tuple[Credit, ...]

    def lines_table(self) -> pa.Table:
        """The lines as an Arrow table: payee, plan, period, component, amount (DECIMAL)."""
        return pa.table(
            {
                "payee": [ln.payee for ln in self.lines],
                "plan": [ln.plan for ln in self.lines],
                "period": [ln.period for ln in self.lines],
                "component": [ln.component for ln in self.lines],
                "amount": pa.array([ln.amount for ln in self.lines], MONEY_ARROW),
            }
        )

    def credits_table(self) -> pa.Table:
        """The credits as an Arrow table (value as DECIMAL(38, 12))."""
        fields = Credit.__dataclass_fields__
        data = {f: [getattr(c, f) for c in self.credits] for f in fields}
        data["value"] = pa.array(data["value"], pa.decimal128(38, 12))
        return pa.table(data)
