"""Live recalculation after changes that are not deals or orders: the hierarchy, quotas and
exchange rates. Each names the payees whose pay can move, and the day it can move from.

- A manager change (a new people version from a day on) moves the roll-ups of the person's
  deals from that day: the person and everyone above them, before and after, are paid again.
- A quota is read by its own payee only (attainment is a payee's measure over their quota), from
  the first day of its period.
- An exchange rate converts the deals in its currency closing in its month, for their payees
  and everyone above them, and the quotas in its currency whose period starts in that month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Engine, and_, or_, select

from attain.comp.live.recalculate import (
    SOURCES,
    LiveResult,
    chunks,
    recalculate,
)
from attain.data.schema import DealSplit, Quota
from attain.hierarchy import all_links, closure
from attain.pay.periods import parse_period


def ever_above(engine: Engine, people: Iterable[str]) -> set[str]:
    """`people` and everyone ever above them (every version of the hierarchy)."""
    up, _down = all_links(engine)
    return closure(people, up)


def people_changed(
    engine: Engine, ids: list[str], since: dt.date | None = None, before: Iterable[str] = ()
) -> LiveResult:
    """Pay again the people whose rows changed from `since` on (not known, as after an import:
    the published run's first day) and everyone above them.

    Managers above them only before the change (a version edited in place rather than closed)
    are named in `before` (see `ever_above`, read before the change)."""
    if not ids:
        return LiveResult([], None)
    return recalculate(engine, ever_above(engine, ids) | set(before), since)


def quotas_changed(engine: Engine, quotas: list[tuple[str, str]]) -> LiveResult:
    """Pay again each payee whose quota (payee, period key) was set, changed or removed."""
    if not quotas:
        return LiveResult([], None)
    since = min(parse_period(period).start for _payee, period in quotas)
    return recalculate(engine, {payee for payee, _period in quotas}, since)


def _month(key: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(key + "-01")
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def fx_changed(engine: Engine, rates: list[tuple[str, str]]) -> LiveResult:
    """Pay again whoever a rate (currency, month) set, changed or removed converts pay for."""
    if not rates:
        return LiveResult([], None)
    credited: set[str] = set()
    quota_payees: set[str] = set()
    with engine.connect() as conn:
        for table, (model, people_cols, date_col) in SOURCES.items():
            cond = or_(
                *[
                    and_(
                        model.currency == currency,
                        getattr(model, date_col).between(*_month(month)),
                    )
                    for currency, month in rates
                ]
            )
            rows = conn.execute(
                select(model.id, *[getattr(model, c) for c in people_cols]).where(cond)
            )
            ids = []
            for row in rows.all():
                ids.append(row[0])
                credited.update(p for p in row[1:] if p)
            if table == "deals":
                for some in chunks(ids):
                    credited.update(
                        conn.execute(select(DealSplit.payee).where(DealSplit.deal.in_(some)))
                        .scalars()
                        .all()
                    )
        months = set(rates)
        for payee, period, currency in conn.execute(
            select(Quota.payee, Quota.period, Quota.currency).where(
                Quota.currency.in_(sorted({c for c, _m in rates}))
            )
        ).all():
            if (currency, f"{parse_period(period).start:%Y-%m}") in months:
                quota_payees.add(payee)
    since = min(_month(month)[0] for _currency, month in rates)
    return recalculate(engine, ever_above(engine, credited) | quota_payees, since)
