"""What a plan may hold, so that checking it is quick and the engine can pay it exactly.

The engine computes in DECIMAL(38, 12) and multiplies two such numbers into 24 places, which
leaves 14 integer digits for a product (`attain.comp.decimals`). Plan numbers stay below a
trillion (12 integer digits, 12 places) and multipliers (rates, curve points) below a million
(a rate per unit of a count may be large; a rate on money is a fraction). A plan text is refused before it is parsed when it is too large, and its YAML may
not use anchors or aliases (one alias can expand a few hundred bytes into gigabytes).
"""

from __future__ import annotations

from decimal import Decimal

from attain.comp.decimals import SCALE

MAX_PLAN_BYTES = 1_000_000
"""A plan's YAML text, in UTF-8 bytes."""
MAX_NESTING = 32
"""How deep YAML mappings and lists may nest."""
MAX_CREDIT_RULES = 50
MAX_MEASURES = 100
MAX_COMPONENTS = 200
MAX_TIERS = 100
MAX_EXPRESSION = 2_000
"""Characters of one expression."""
MAX_INTEGER_DIGITS = 12
"""Digits before the point of any number in a plan (below one trillion)."""
MAX_MULTIPLIER = Decimal(1_000_000)
"""Rates and curve points stay below this."""
MAX_ROUND_PLACES = SCALE
"""`round(x, n)`: n from 0 to the engine's scale."""
MAX_DAYS = 36_500
"""`within_days` of a clawback: a hundred years."""


def number_problem(value: Decimal) -> str | None:
    """Why a number cannot be in a plan (not finite, too many digits or places), or None."""
    if not value.is_finite():
        return "is not a finite number"
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -SCALE:
        return f"has more than {SCALE} decimal places"
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return f"has more than {MAX_INTEGER_DIGITS} digits before the point"
    return None


def excerpt(text: object, limit: int = 60) -> str:
    """The start of a value as text, cut to `limit` characters: errors never carry a whole input."""
    shown = text if isinstance(text, str) else repr(text)
    return shown if len(shown) <= limit else f"{shown[: limit - 1]}…"
