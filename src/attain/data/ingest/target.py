"""The table an import writes to, described by what each column accepts.

Everything the validator needs comes from the data model (`attain.data.schema`) or, for a user
table, from its registered definition: types, lengths, required columns, defaults, references.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from attain.data.schema import DATA_TABLES, Base
from attain.data.types import MONEY_SCALE, Money

Kind = Literal["text", "integer", "money", "date", "datetime"]

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class TargetColumn:
    """What one column accepts, and what happens when a file leaves it blank."""

    name: str
    kind: Kind
    max_length: int | None = None
    int_range: tuple[int, int] = INT32
    required: bool = False
    primary_key: bool = False
    default: str | None = None
    ref: str | None = None
    currency: bool = False
    format: str | None = None
    """A text format the values follow (`attain.data.work_hours.FORMATS`), if any."""

    @property
    def ref_table(self) -> str | None:
        return self.ref.split(".", 1)[0] if self.ref else None


@dataclass(frozen=True)
class Target:
    """A table to import into: its columns by name and its primary key (what rows upsert on)."""

    name: str
    table: sa.Table
    columns: dict[str, TargetColumn]
    user_table: bool = False

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns.values() if c.primary_key)

    @property
    def required(self) -> list[TargetColumn]:
        return [c for c in self.columns.values() if c.required]


def column_kind(column: sa.Column[object]) -> tuple[Kind, int | None, tuple[int, int]]:
    """The kind of value a column holds, its longest text, and its integer range."""
    t = column.type
    if isinstance(t, Money):
        return "money", None, INT64
    if isinstance(t, sa.BigInteger):
        return "integer", None, INT64
    if isinstance(t, sa.Integer):
        return "integer", None, INT32
    if isinstance(t, sa.DateTime):
        return "datetime", None, INT32
    if isinstance(t, sa.Date):
        return "date", None, INT32
    if isinstance(t, sa.String):
        return "text", t.length, INT32
    raise TypeError(f"column {column} has a type the importer does not know: {t!r}")


def _default_text(column: sa.Column[object]) -> str | None:
    default = column.default
    if default is None or not getattr(default, "is_scalar", False):
        return None
    value = default.arg  # type: ignore[attr-defined]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def describe(table: sa.Table, *, user_table: bool = False) -> Target:
    """The target for a SQLAlchemy table: kinds, required columns, defaults and references."""
    columns: dict[str, TargetColumn] = {}
    for col in table.columns:
        kind, length, int_range = column_kind(col)
        default = _default_text(col)
        columns[col.name] = TargetColumn(
            name=col.name,
            kind=kind,
            max_length=length,
            int_range=int_range,
            required=not col.nullable and default is None,
            primary_key=col.primary_key,
            default=default,
            ref=col.info.get("ref"),
            currency="currency" in col.info,
            format=col.info.get("format"),
        )
    return Target(name=table.name, table=table, columns=columns, user_table=user_table)


def data_model_target(name: str) -> Target | None:
    """The data model's table called `name`, or None when the data model has no such table."""
    if name not in DATA_TABLES:
        return None
    return describe(Base.metadata.tables[name])


__all__ = ["MONEY_SCALE", "Kind", "Target", "TargetColumn", "data_model_target", "describe"]
