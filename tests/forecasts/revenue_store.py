"""A small hand-made B2C store for the revenue forecast tests: three stores (two in NA selling in
USD, one in EMEA selling in EUR), one order a day each, with a yearly season, a slow trend and
noise, a return every 29 days, and EUR rates per month. Built with plain inserts (a second)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from sqlalchemy import Engine, insert

from attain.data.schema import FxRate, Order, Person, Store

FIRST_DAY = dt.date(2024, 1, 1)  # a Monday
DAYS = 7 * 120
STORES = (("S1", "NA", "USD", 400.0), ("S2", "NA", "USD", 250.0), ("S3", "EMEA", "EUR", 300.0))
EUR_RATE = {2024: Decimal("1.10"), 2025: Decimal("1.05"), 2026: Decimal("1.20")}


def month_keys(first: dt.date, last: dt.date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def order_rows(seed: int = 0) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for store, _, currency, level in STORES:
        for d in range(DAYS):
            day = FIRST_DAY + dt.timedelta(days=d)
            season = 1.0 + 0.3 * np.sin(2 * np.pi * d / 365.25)
            amount = level * season * (1 + d / 2000) * rng.lognormal(0, 0.15)
            rows.append(_order(f"{store}-{d}", store, day, amount, 2, currency))
            if d % 29 == 0:
                rows.append(_order(f"{store}-{d}-r", store, day, -amount / 4, -1, currency))
    return rows


def _order(
    oid: str, store: str, day: dt.date, amount: float, units: int, currency: str
) -> dict[str, object]:
    return {
        "id": oid,
        "seller": f"P-{store}",
        "store": store,
        "date": day,
        "units": units,
        "amount": Decimal(f"{amount:.2f}"),
        "currency": currency,
    }


def fill_store(engine: Engine, orders: list[dict[str, object]] | None = None) -> None:
    last = FIRST_DAY + dt.timedelta(days=DAYS - 1)
    with engine.begin() as conn:
        conn.execute(
            insert(Person),
            [
                {"id": f"P-{s}", "valid_from": FIRST_DAY, "name": f"Associate {s}", "role": "rep"}
                for s, *_ in STORES
            ],
        )
        conn.execute(
            insert(Store),
            [{"id": s, "name": f"Store {s}", "region": r} for s, r, _, _ in STORES],
        )
        conn.execute(
            insert(FxRate),
            [
                {"currency": "EUR", "month": m, "rate": EUR_RATE[int(m[:4])]}
                for m in month_keys(FIRST_DAY, last)
            ],
        )
        conn.execute(insert(Order), orders if orders is not None else order_rows())
