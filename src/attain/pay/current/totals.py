"""Amounts per currency: current figures are never added across currencies."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0.00")


class Totals(dict[str, Decimal]):
    """Amounts per currency (never added across currencies), shown `USD 1.00 · EUR 2.00`."""

    def add(self, currency: str, amount: Decimal) -> None:
        self[currency] = self.get(currency, ZERO) + amount

    def merge(self, other: Totals) -> None:
        for currency, amount in other.items():
            self.add(currency, amount)

    def single(self) -> tuple[Decimal | None, str | None]:
        """The amount and its currency when there is one currency (zero, no currency, when
        empty); `(None, None)` when amounts are in several currencies."""
        if not self:
            return ZERO, None
        if len(self) > 1:
            return None, None
        currency, amount = next(iter(self.items()))
        return amount, currency or None


def one_currency(currencies: set[str]) -> str:
    """The currency when there is exactly one, else blank (none, or several)."""
    return next(iter(currencies)) if len(currencies) == 1 else ""
