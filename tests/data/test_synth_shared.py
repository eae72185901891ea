"""One small company shared by the synth tests (generated once per test process); no tests here."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pandas as pd

from attain.data.synth import Company, SynthSpec, generate

SPEC = SynthSpec(seed=5, b2b_reps=40, b2c_associates=48, years=2, start=dt.date(2024, 1, 1))


@cache
def company() -> Company:
    return generate(SPEC)


@cache
def frame(name: str) -> pd.DataFrame:
    return company().tables[name].to_pandas()


def usd_rate(currency: pd.Series, day: pd.Series) -> pd.Series:
    """USD per unit of `currency` in the month of `day` (from the company's fx_rates)."""
    fx = frame("fx_rates")
    rates = {(c, m): float(r) for c, m, r in zip(fx.currency, fx.month, fx.rate, strict=True)}
    months = pd.to_datetime(day).dt.strftime("%Y-%m")
    first, last = fx.month.min(), fx.month.max()
    return pd.Series(
        [rates[(c, min(max(m, first), last))] for c, m in zip(currency, months, strict=True)],
        index=currency.index,
    )
