"""B2B customers: accounts whose size and industry set what each territory could sell.

A territory's true potential is the sum of its accounts' potentials, so bigger and more
numerous accounts make a richer territory, whoever works it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from attain.data.synth import _arrow as arr
from attain.data.synth.names import company_names
from attain.data.synth.org import Org
from attain.data.synth.spec import SynthSpec, rng_for

INDUSTRY_POTENTIAL = {
    "software": 1.35,
    "finance": 1.25,
    "healthcare": 1.0,
    "manufacturing": 0.9,
    "retail": 0.8,
    "education": 0.6,
}
"""How much an account of a given size spends, relative to the average industry."""

POTENTIAL_PER_SIZE = 1_400.0
"""Annual spend potential (USD) of an account with one employee, before the size exponent."""
SIZE_EXPONENT = 0.55


def segment_of(size: np.ndarray) -> np.ndarray:
    return np.where(size < 200, "SMB", np.where(size < 2000, "Mid-Market", "Enterprise"))


@dataclass
class Accounts:
    id: np.ndarray
    name: list[str]
    territory: np.ndarray
    """Territory index of each account."""
    size: np.ndarray
    industry: np.ndarray
    segment: np.ndarray
    potential: np.ndarray
    """True annual potential (USD) of each account."""


def build_accounts(spec: SynthSpec, org: Org) -> Accounts:
    rng = rng_for(spec.seed, "accounts")
    territories = np.array([org.territory[r] for r in org.reps], dtype=np.int64)
    counts = 8 + rng.poisson(14, len(territories))
    territory = np.repeat(territories, counts)
    n = len(territory)
    market = np.repeat(rng.lognormal(0.0, 0.3, len(territories)), counts)
    size = np.clip(np.exp(rng.normal(5.0, 1.5, n)), 5, 120_000).astype(np.int64)
    industries = np.array(list(INDUSTRY_POTENTIAL))
    industry = industries[rng.integers(0, len(industries), n)]
    factor = np.array([INDUSTRY_POTENTIAL[i] for i in industry])
    potential = POTENTIAL_PER_SIZE * np.power(size, SIZE_EXPONENT) * factor * market
    for t, total in zip(*_sum_by(territory, potential), strict=True):
        org.territory_potential[int(t)] = float(total)
    return Accounts(
        id=np.array([f"A{i + 1:05d}" for i in range(n)]),
        name=company_names(rng, n),
        territory=territory,
        size=size,
        industry=industry,
        segment=segment_of(size),
        potential=potential,
    )


def _sum_by(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, inverse = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inverse, weights=values)


def accounts_table(org: Org, accounts: Accounts) -> pa.Table:
    region = (
        np.array(org.territory_region)[accounts.territory] if len(accounts.id) else np.array([])
    )
    revenue_cents = accounts.size * 180_000 * 100  # about 180k USD revenue per employee
    return pa.table(
        {
            "id": pa.array(accounts.id.tolist(), pa.string()),
            "name": pa.array(accounts.name, pa.string()),
            "segment": pa.array(accounts.segment.tolist(), pa.string()),
            "industry": pa.array(accounts.industry.tolist(), pa.string()),
            "size": pa.array(accounts.size, pa.int64()),
            "revenue": arr.money(revenue_cents),
            "region": pa.array(region.tolist(), pa.string()),
            "territory": arr.pick(org.territory_id, accounts.territory),
        }
    )
