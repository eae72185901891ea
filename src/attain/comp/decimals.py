"""Exact money in the engine: every intermediate is DECIMAL(38, 12), every line cents.

DuckDB adds scales on multiplication (38,12 × 38,12 -> 38,24) and divides decimals in DOUBLE;
Ibis infers different types and would drop a cast it thinks is a no-op. `exact` therefore
builds the cast node itself, so the SQL always says CAST(... AS DECIMAL(38, 12)).

Precision: 12 decimal places and 26 integer digits. Sums, products and comparisons are exact.
Ratios (curve interpolation, `attainment(m)`, `/` in expressions) are rounded to 12 places; on
DuckDB they are computed in double precision first (about 15 significant digits), on PostgreSQL
exactly. Tier boundaries on attainment are computed as `from × quota`, never as a ratio.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops

SCALE = 12
MONEY = dt.Decimal(38, SCALE)
CENTS = Decimal("0.01")


def exact(value: Any) -> Any:
    """`value` cast to DECIMAL(38, 12), always emitted (see module docstring)."""
    return ops.Cast(value.op() if hasattr(value, "op") else value, to=MONEY).to_expr()


def number(value: Decimal | int) -> Any:
    """A DECIMAL(38, 12) literal of `value`."""
    return ibis.literal(Decimal(value), type=MONEY)


def to_cents(value: Decimal) -> Decimal:
    """Round once, to cents, half away from zero (Python's ROUND_HALF_UP is away from zero)."""
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)
