"""What a set of quotas would have cost in commission, given what each payee actually sold.

Stand-in plan until the compensation engine exposes a way to price quotas: a standard account
executive plan paying 10% of bookings up to quota and 15% above it, exact in Decimal, rounded to
the cent per payee. The backtest reports which plan priced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

STANDARD_PLAN = "standard AE plan: 10% of bookings to quota, 15% above"
BASE_RATE = Decimal("0.10")
ACCELERATED_RATE = Decimal("0.15")
CENT = Decimal("0.01")


def commission_cost(quotas: Mapping[str, Decimal], bookings: Mapping[str, Decimal]) -> Decimal:
    """Total commission over the payees with a quota (example: quota 100, sold 120 -> 13.00)."""
    total = Decimal(0)
    for payee, quota in quotas.items():
        sold = bookings.get(payee, Decimal(0))
        below = min(sold, quota) if quota > 0 else Decimal(0)
        above = max(sold - below, Decimal(0))
        pay = below * BASE_RATE + above * ACCELERATED_RATE
        total += pay.quantize(CENT, rounding=ROUND_HALF_UP)
    return total
