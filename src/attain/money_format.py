"""How an amount, a share and an exact figure are written for people: one place for pages,
statements (HTML and PDF), traces and exports, so a figure reads the same everywhere.

Money is shown to cents with its currency (`USD 5,019.92`); an attainment as a percentage with
one decimal (`139.2%`); the exact value (`837981.726555`) is kept for a title or the JSON trace.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def cents(value: Any) -> str:
    """`5019.9161` -> `5,019.92` (half away from zero, as the engine rounds a line); blank for nothing."""
    d = _decimal(value)
    if d is None:
        return ""
    return f"{d.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def money(value: Any, currency: str | None) -> str:
    """`USD 5,019.92`: an amount to cents after its ISO currency code (the code alone when an
    amount is blank, so a column still says what it is in)."""
    text = cents(value)
    if not currency:
        return text
    return f"{currency} {text}" if text else ""


def percent(value: Any) -> str:
    """A fraction as a percentage with one decimal: `1.391823634706` -> `139.2%`."""
    d = _decimal(value)
    if d is None:
        return ""
    return f"{(d * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,.1f}%"


def exact(value: Any) -> str:
    """The value as kept, without trailing zeros: `837981.726555000000` -> `837981.726555`."""
    d = _decimal(value)
    if d is None:
        return "" if value is None else str(value)
    d = d.normalize()
    return f"{d:f}"


def number(value: Any) -> str:
    """A count or a rate as written, with thousands separators: `0.09`, `1,250`."""
    d = _decimal(value)
    if d is None:
        return ""
    d = d.normalize()
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):,}"
    whole, _, frac = f"{d:f}".partition(".")
    return f"{int(whole):,}.{frac}" if whole not in ("-0",) else f"-0.{frac}"


def money_totals(amounts: dict[str, Decimal]) -> str:
    """Amounts in several currencies, never added together: `USD 1,000.00, EUR 250.00`."""
    return ", ".join(money(a, c) for c, a in sorted(amounts.items())) or money(0, "")
