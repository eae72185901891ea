"""Pieces the methods share: who gets a quota, and turning territory numbers into payee numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attain.quota.errors import QuotaError
from attain.quota.history import History
from attain.quota.plan import PlanRequest
from attain.quota.shaping import ramp_months_factor


def sellers(history: History, request: PlanRequest) -> tuple[pd.DataFrame, np.ndarray]:
    """The payees to plan for and their month-by-month productivity in the plan year."""
    payees = history.payees().reset_index(drop=True)
    if payees.empty:
        raise QuotaError(
            f"no sellers in force on {history.cutoff:%Y-%m-%d} (people with a territory and a "
            "selling role): nothing to plan"
        )
    ramp = ramp_months_factor(payees["hired"], request.year, request.ramp_months)
    return payees, ramp


def share_territory(payees: pd.DataFrame, values: pd.Series, ramp_year: np.ndarray) -> np.ndarray:
    """A territory's number shared evenly by its payees, each scaled by their ramp."""
    per = payees["territory"].map(values).fillna(0.0).to_numpy(dtype=float)
    heads = payees.groupby("territory")["payee"].transform("count").to_numpy(dtype=float)
    out: np.ndarray = per / heads * ramp_year
    return out


def quota_frame(
    payees: pd.DataFrame,
    amount: np.ndarray,
    ramp_year: np.ndarray,
    notes: list[str] | None = None,
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
) -> pd.DataFrame:
    n = len(payees)
    return pd.DataFrame(
        {
            "payee": payees["payee"].to_numpy(),
            "territory": payees["territory"].to_numpy(),
            "amount": np.round(np.asarray(amount, dtype=float), 0),
            "low": np.full(n, np.nan) if low is None else np.round(low, 0),
            "high": np.full(n, np.nan) if high is None else np.round(high, 0),
            "ramp": np.round(ramp_year, 3),
            "note": notes or [""] * n,
        }
    )


def empty_territory_notes(history: History, payees: pd.DataFrame) -> list[str]:
    """A note for each payee whose territory has no accounts (a size-based share gives them 0)."""
    accounts = history.territories.set_index("territory")["accounts"]
    counts = payees["territory"].map(accounts).fillna(0).to_numpy()
    return ["territory has no accounts" if c == 0 else "" for c in counts]


def join_notes(*columns: list[str]) -> list[str]:
    return ["; ".join(x for x in parts if x) for parts in zip(*columns, strict=True)]
