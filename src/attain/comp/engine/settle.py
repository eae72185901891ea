"""Settle: what carries from period to period, per payee over its periods (small: no rows).

- Capped `window: year` components pay the year-to-date earning (rounded) less what earlier
  periods of the year paid, after the gate and the per-period cap (uncapped ones are done with
  window functions in the pay stage).
- Draws pay the shortfall below the draw amount and, when recoverable, recover the balance
  from later excess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from attain.comp.decimals import to_cents
from attain.comp.engine.trace import draw_line
from attain.comp.language.model import Component, Draw


def capped_year_increments(
    rows: Iterable[dict[str, Any]], c: Component
) -> list[tuple[dict[str, Any], Decimal, Decimal]]:
    """(row, amount, paid before) for each payee-period of a capped year-window component.

    Without a cap the pay stage does this with window functions; with one, what was paid
    depends on earlier periods' caps, so it runs here per payee over its periods.
    """
    out = []
    paid: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in sorted(rows, key=lambda r: (r["payee"], r["seq"])):
        key = (row["payee"], row["year"])
        before = paid[key]
        if row["gate"]:
            amount = to_cents(row["earned"]) - before
            if c.cap is not None:
                amount = min(amount, c.cap)
        else:
            amount = Decimal("0.00")
        paid[key] = before + amount
        out.append((row, to_cents(amount), before))
    return out


def draws(
    periods: Iterable[tuple[str, str, int]],
    earnings: dict[tuple[str, str], Decimal],
    draw: Draw,
) -> list[tuple[str, str, Decimal, Decimal, Decimal, Decimal]]:
    """(payee, period, line, earnings, balance before, balance after), periods in order."""
    out = []
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for payee, period, _seq in sorted(periods, key=lambda p: (p[0], p[2])):
        e = earnings.get((payee, period), Decimal(0))
        before = balance[payee]
        line, after = draw_line(e, draw.amount, before, draw.recoverable)
        balance[payee] = after
        out.append((payee, period, to_cents(line), e, before, after))
    return out
