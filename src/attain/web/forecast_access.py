"""Which forecast a viewer is shown: the period asked for, and the node of the hierarchy, by the
one rule of `attain.access` (a rep: themselves; a manager: their part of the hierarchy as of the
period; admin and finance: anyone, the whole company by default).

Another person's forecast, or a deal outside the viewer's part, is "not found", never
"forbidden", as for pay.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine

from attain.access import NotVisible, Scope, Viewer
from attain.comp.engine.periods import kind_of, period_named, period_of
from attain.pay import current as pay
from attain.web.deps import today


class BadInput(ValueError):
    """A period or amount that is not one (422, one line naming the field)."""


def chosen_period(period: str | None) -> str:
    """The period asked for, or the current quarter. A forecast is made as of today, so the
    period is a quarter or a month that holds today (or begins tomorrow)."""
    day = today()
    if not period:
        return period_of(day, "quarter").key
    try:
        named = period_named(period.strip())
    except ValueError as exc:
        raise BadInput(f"period: {exc}") from None
    if kind_of(named.key) not in ("quarter", "month"):
        raise BadInput(f"period: {named.key} is not a quarter (2026-Q4) or a month (2026-12)")
    if not named.start - dt.timedelta(days=1) <= day <= named.end:
        now = f"{period_of(day, 'quarter').key} or {period_of(day, 'month').key}"
        raise BadInput(f"period: {named.key} does not hold today ({day}); forecast {now}")
    return named.key


def chosen_node(
    engine: Engine, viewer: Viewer, scope: Scope, node: str | None, period: str
) -> str | None:
    """The node to forecast: `node` if the viewer may see it, else `NotVisible`; without one,
    the viewer's own node (None, the whole company, for those who see everyone)."""
    node = (node or "").strip() or None
    if scope.everyone:
        if node is not None and not pay.person_names(engine, [node]):
            raise NotVisible(node)
        return node
    if viewer.person is None:
        raise NotVisible(node or "")
    if node is None or node == viewer.person:
        return viewer.person
    scope.check_in(engine, node, period)
    return node


def amount_of(text: str | None, field: str) -> Decimal | None:
    """An amount typed by a person (`1,200,000.50`), None when blank."""
    cleaned = (text or "").replace(",", "").replace("_", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadInput(f"{field}: {text!r} is not an amount") from None
    if not value.is_finite():
        raise BadInput(f"{field}: {text!r} is not an amount")
    return value
