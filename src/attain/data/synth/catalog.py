"""What is sold and what money is worth: products with list prices, monthly exchange rates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.spec import SynthSpec, rng_for

B2B_PRODUCTS = (
    # id, name, family, annual list price (USD), segment it is sold to
    ("PLT-STD", "Platform Standard", "platform", 12_000, "SMB"),
    ("PLT-PRO", "Platform Professional", "platform", 36_000, "Mid-Market"),
    ("PLT-ENT", "Platform Enterprise", "platform", 120_000, "Enterprise"),
    ("ADD-ANL", "Analytics add-on", "add-on", 8_000, "any"),
    ("ADD-SEC", "Security add-on", "add-on", 10_000, "any"),
    ("SRV-ONB", "Onboarding services", "services", 15_000, "any"),
)
B2C_PRODUCTS = (
    # id, name, family, price (USD cents), popularity
    ("TEE-01", "Cotton tee", "apparel", 1_999, 9.0),
    ("TEE-02", "Graphic tee", "apparel", 2_499, 6.0),
    ("HOOD-01", "Hoodie", "apparel", 5_999, 4.0),
    ("JEAN-01", "Slim jeans", "apparel", 6_999, 4.0),
    ("JACK-01", "Rain jacket", "apparel", 12_999, 1.5),
    ("SNK-01", "Everyday sneaker", "footwear", 8_999, 3.0),
    ("SNK-02", "Running shoe", "footwear", 12_999, 1.8),
    ("BOOT-01", "Winter boot", "footwear", 15_999, 0.9),
    ("SOCK-03", "Socks, three pack", "accessories", 1_299, 8.0),
    ("CAP-01", "Cap", "accessories", 1_999, 3.5),
    ("BAG-01", "Tote bag", "accessories", 2_999, 2.5),
    ("BAG-02", "Backpack", "accessories", 7_999, 1.4),
    ("EAR-01", "Wireless earbuds", "electronics", 7_999, 1.6),
    ("SPK-01", "Bluetooth speaker", "electronics", 4_999, 1.2),
    ("CHG-01", "Phone charger", "electronics", 1_999, 4.0),
    ("MUG-01", "Ceramic mug", "home", 1_499, 3.0),
    ("CND-01", "Scented candle", "home", 2_299, 2.5),
    ("BLK-01", "Throw blanket", "home", 4_999, 1.2),
    ("GFT-25", "Gift card 25", "gift", 2_500, 1.5),
    ("GFT-50", "Gift card 50", "gift", 5_000, 0.8),
)
LOCAL_PRICE_FACTOR = {"USD": 1.0, "EUR": 0.95, "GBP": 0.82}
"""Retail price lists by currency, relative to the US list (prices end in .99 where possible)."""

FX_START = {"EUR": 1.08, "GBP": 1.27}
"""USD per unit at the start of history; each month moves by a small random step."""


def products_table(spec: SynthSpec) -> pa.Table:
    rows = []
    if spec.b2b_reps:
        rows += [(p, n, f, c * 100) for p, n, f, c, _ in B2B_PRODUCTS]
    if spec.b2c_associates:
        rows += [(p, n, f, c) for p, n, f, c, _ in B2C_PRODUCTS]
    return pa.table(
        {
            "id": pa.array([r[0] for r in rows], pa.string()),
            "name": pa.array([r[1] for r in rows], pa.string()),
            "family": pa.array([r[2] for r in rows], pa.string()),
            "list_price": arr.money(np.array([r[3] for r in rows], dtype=np.int64)),
            "currency": pa.array(["USD"] * len(rows), pa.string()),
        }
    )


def local_retail_prices(currency: str) -> np.ndarray:
    """Unit prices in cents of `currency` for each B2C product, in catalogue order."""
    usd = np.array([p[3] for p in B2C_PRODUCTS], dtype=np.int64)
    local = np.round(usd * LOCAL_PRICE_FACTOR[currency] / 100.0)
    return np.where(usd % 100 == 99, local * 100 - 1, local * 100).astype(np.int64)


def retail_popularity() -> np.ndarray:
    w = np.array([p[4] for p in B2C_PRODUCTS])
    share: np.ndarray = w / w.sum()
    return share


def fx_rates(spec: SynthSpec) -> dict[str, np.ndarray]:
    """USD per unit of each currency, per month of history (a random walk with 1.5% steps)."""
    rng = rng_for(spec.seed, "fx")
    months = spec.years * 12
    out = {"USD": np.ones(months)}
    for currency, level in FX_START.items():
        steps = rng.normal(0.0, 0.015, months)
        steps[0] = 0.0
        out[currency] = np.round(level * np.exp(np.cumsum(steps)), 6)
    return out


def months_before_history(spec: SynthSpec) -> int:
    """Months before the start whose rates quotas need: a quota is converted at the month its
    period starts, so the first year's January and the first week's Monday need a rate too."""
    start = spec.start.year * 12 + spec.start.month - 1
    monday = spec.start - dt.timedelta(days=spec.start.weekday())
    return start - min(spec.start.year * 12, monday.year * 12 + monday.month - 1)


def fx_table(spec: SynthSpec, rates: dict[str, np.ndarray]) -> pa.Table:
    """The rates of every month of history, and of the months before it that quotas start in
    (walked back from the first month on a stream of their own, so history's rates stay put)."""
    before = months_before_history(spec)
    first = spec.start.year * 12 + spec.start.month - 1 - before
    months = np.arange(spec.years * 12 + before) + first
    labels = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]
    rng = rng_for(spec.seed, "fx-before")
    currency, month, micro = [], [], []
    for c, values in rates.items():
        steps = rng.normal(0.0, 0.015, before) if c != "USD" else np.zeros(before)
        earlier = values[0] * np.exp(-np.cumsum(steps[::-1]))[::-1] if before else values[:0]
        currency += [c] * len(labels)
        month += labels
        micro.append(np.round(np.concatenate([earlier, values]) * 1_000_000).astype(np.int64))
    return pa.table(
        {
            "currency": pa.array(currency, pa.string()),
            "month": pa.array(month, pa.string()),
            "rate": arr.money(np.concatenate(micro), scale=6),
        }
    )
