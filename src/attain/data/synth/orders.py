"""B2C orders at volume: every associate's daily sales, drawn as one Poisson count per day.

The rate of an associate on a day is their skill x their store's traffic x their ramp x the
retail month and weekday profile x growth. Counts are drawn for blocks of associates at once
and expanded into order rows with numpy: no Python loop per order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.calendar import RETAIL_MONTHS, RETAIL_WEEKDAYS, month_of, trend, weekday_of
from attain.data.synth.catalog import B2C_PRODUCTS, local_retail_prices, retail_popularity
from attain.data.synth.org import B2C_RAMP_MONTHS, NEVER, Org, ramp
from attain.data.synth.spec import SynthSpec, day_number, rng_for

RETURN_RATE = 0.03
DISCOUNT_RATE = 0.12
UNITS_P = 0.7
"""Units per order are geometric with this success probability (mostly one, sometimes more)."""
BLOCK = 512
"""Associates whose days are drawn together: bounds memory whatever the size."""
STANDARD_STAFF = 12


@dataclass
class OrderBook:
    table: pa.Table
    associate: np.ndarray
    """Index into `org.associates` of each order's seller."""
    store: np.ndarray
    day: np.ndarray
    units: np.ndarray
    amount_cents: np.ndarray
    """In the store's currency."""
    store_potential_usd: np.ndarray
    """True annual revenue (USD) a standard-staffed, average store team would make there."""


def build_orders(spec: SynthSpec, org: Org) -> OrderBook:
    rng = rng_for(spec.seed, "orders")
    start, end = day_number(spec.start), day_number(spec.end)
    days = np.arange(start, end + 1)
    day_factor = (
        RETAIL_MONTHS[month_of(days) - 1]
        * RETAIL_WEEKDAYS[weekday_of(days)]
        * trend((days - start) / 365.25)
    )
    people = np.array(org.associates, dtype=np.int64)
    store_a = np.array(org.associate_store, dtype=np.int64)
    store_b = np.array(org.associate_store_after, dtype=np.int64)
    move = np.array([org.first_move(p) for p in people], dtype=np.int64)
    hired = np.array(org.hired)[people]
    left = np.array(org.left)[people]
    skill = np.array(org.skill)[people]
    traffic = np.array(org.territory_potential)[np.array(org.store_territory)]

    def rates(block: slice) -> np.ndarray:
        d = days[None, :]
        here = np.where(
            d < move[block, None], traffic[store_a[block], None], traffic[store_b[block], None]
        )
        active = (d >= hired[block, None]) & (d <= np.minimum(left[block, None], NEVER))
        on_ramp = ramp((d - hired[block, None]) / 30.44, B2C_RAMP_MONTHS)
        rate: np.ndarray = skill[block, None] * here * on_ramp * active * day_factor[None, :]
        return rate

    blocks = [slice(i, min(i + BLOCK, len(people))) for i in range(0, len(people), BLOCK)]
    total_rate = sum(float(rates(b).sum()) for b in blocks)
    scale = spec.order_target / (1.0 + RETURN_RATE) / max(total_rate, 1e-9)
    seller_parts, day_parts = [], []
    for b in blocks:
        counts = rng.poisson(rates(b) * scale)
        a_k, d_k = np.nonzero(counts)
        per = counts[a_k, d_k]
        seller_parts.append(np.repeat(a_k + b.start, per).astype(np.int32))
        day_parts.append(np.repeat(d_k, per).astype(np.int32))
    seller = np.concatenate(seller_parts) if seller_parts else np.zeros(0, np.int32)
    day = (np.concatenate(day_parts) if day_parts else np.zeros(0, np.int32)).astype(
        np.int64
    ) + start
    del seller_parts, day_parts
    n = len(seller)
    store = np.where(day < move[seller], store_a[seller], store_b[seller])
    product = rng.choice(len(B2C_PRODUCTS), n, p=retail_popularity()).astype(np.int32)
    units = rng.geometric(UNITS_P, n).astype(np.int64)
    currencies = sorted({org.currency[m] for m in org.store_manager})
    store_currency = np.array([currencies.index(org.currency[m]) for m in org.store_manager])
    price = np.stack([local_retail_prices(c) for c in currencies])
    cur = store_currency[store]
    off = np.where(rng.random(n) < DISCOUNT_RATE, rng.choice([10, 20, 30], n), 0)
    amount = (units * price[cur, product] * (100 - off) + 50) // 100

    returned = np.flatnonzero(rng.random(n) < RETURN_RATE)
    back = day[returned] + rng.integers(1, 31, len(returned))
    # A return is booked by the same associate at the same store, so it must fall while both hold.
    ok = (back <= end) & (back <= left[seller[returned]])
    ok &= (day[returned] < move[seller[returned]]) == (back < move[seller[returned]])
    returned, back = returned[ok], back[ok]
    seller = np.concatenate([seller, seller[returned]])
    store = np.concatenate([store, store[returned]])
    product = np.concatenate([product, product[returned]])
    units = np.concatenate([units, -units[returned]])
    amount = np.concatenate([amount, -amount[returned]])
    cur = np.concatenate([cur, cur[returned]])
    day = np.concatenate([day, back])
    order = np.argsort(day, kind="stable")
    seller, store, product, units, amount, cur, day = arr.take(
        order, seller, store, product, units, amount, cur, day
    )
    table = pa.table(
        {
            "id": arr.ids("O", np.arange(1, len(day) + 1), 9),
            "seller": arr.pick(org.person, people[seller]),
            "store": arr.pick(org.store_id, store),
            "date": arr.dates(day),
            "product": arr.pick([p[0] for p in B2C_PRODUCTS], product),
            "units": pa.array(units, pa.int64()),
            "amount": arr.money(amount),
            "currency": arr.pick(currencies, cur),
        }
    )
    usd_price = local_retail_prices("USD")
    mean_order_usd = float((retail_popularity() * usd_price).sum()) / UNITS_P / 100.0
    mean_order_usd *= 1.0 - DISCOUNT_RATE * 0.2
    potential = traffic * scale * 365.0 * mean_order_usd * STANDARD_STAFF
    return OrderBook(table, seller.astype(np.int64), store, day, units, amount, potential)
