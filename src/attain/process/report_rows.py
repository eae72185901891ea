"""Result rows as people read them, one way for the terminal, the standalone HTML and the pages:
seconds humanised (`3 d 4 h`), money with its currency to cents, shares as percentages, a path
of activities joined by arrows. Works on any of the results' frozen dataclasses by their field
names, so a figure added to a result shows up without a change here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from attain.money_format import money, percent
from attain.process.durations import humanised

ARROW = " → "


def heading(field: str) -> str:
    """`wait_median_s` -> `wait median`; `value_at_stake` -> `value at stake`."""
    name = field[:-2] if field.endswith("_s") else field
    return name.replace("_", " ")


def cell(field: str, value: Any, currency: str | None = None) -> str:
    """One figure as text, by what its field holds."""
    if value is None:
        return "–"
    if field.endswith("_s") and isinstance(value, int | float):
        return humanised(float(value))
    if isinstance(value, Decimal):
        return money(value, currency)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and (field == "share" or field.endswith(("_share", "share_"))):
        return percent(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return ARROW.join(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(field, v, currency)}" for k, v in value.items())
    return str(value)


def plain_fields(row: Any, skip: Iterable[str] = ()) -> list[str]:
    """The fields of a result row that print as one cell (nested results are left out)."""
    left = set(skip)
    out = []
    for f in dataclasses.fields(row):
        if f.name in left:
            continue
        v = getattr(row, f.name)
        if dataclasses.is_dataclass(v) or (
            isinstance(v, tuple | list) and v and dataclasses.is_dataclass(v[0])
        ):
            continue
        out.append(f.name)
    return out


def table(
    rows: Sequence[Any], currency: str | None = None, skip: Iterable[str] = ()
) -> tuple[list[str], list[list[str]]]:
    """Headings and cells of a list of result rows (all of one dataclass)."""
    if not rows:
        return [], []
    names = plain_fields(rows[0], skip)
    return [heading(n) for n in names], [
        [cell(n, getattr(r, n), currency) for n in names] for r in rows
    ]
