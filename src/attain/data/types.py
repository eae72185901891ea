"""Column types that keep money exact on every store.

SQLite has no exact decimal type (SQLAlchemy's Numeric is stored as REAL there), so money is kept
as canonical decimal text on SQLite and as NUMERIC on PostgreSQL. Python code always sees Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

MONEY_SCALE = 6
"""Decimal places kept for stored amounts, rates and shares (enough for FX rates and splits)."""


class Money(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC(precision, scale) on PostgreSQL, canonical text on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 24, scale: int = MONEY_SCALE) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        numeric: Numeric[Decimal] = self.impl  # type: ignore[assignment]
        return dialect.type_descriptor(Numeric(numeric.precision, numeric.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            if isinstance(value, float):
                raise TypeError("money must be Decimal or str, never float")
            value = Decimal(str(value))
        if dialect.name == "sqlite":
            return format(value.normalize(), "f")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))
