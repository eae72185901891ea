"""What the win score reads of an open deal, from the pipeline as of a day (`deals_as_of`) and the
store's slow-moving facts (stage catalog, account segment, exchange rates).

Every feature is computed from the as-of frame and the day itself, so a deal scored as of a past
day sees only what was known then. The owner's history counts only deals the owner had decided
on or before the day (the `decided` column of the same frame).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Engine

from attain.data.stages import stage_catalog
from attain.quota.history import PLANNING_CURRENCY

STAGE_AND_AGE = (
    "stage_position",
    "days_in_stage",
    "age_days",
    "owner_win_rate",
    "owner_decided",
)
"""What the score can trust without a deal history: the stage (from stage events) and age."""
HISTORY = (
    "slips",
    "slip_days",
    "amount_changes",
    "amount_ratio",
    "log_amount",
    "days_to_close",
    "days_to_period_end",
)
"""Known only with deal history: without it amount and close date would be today's values."""
CATEGORICAL_STAGE_AND_AGE = ("type", "product", "segment")
CATEGORICAL_HISTORY = ("forecast_category",)
OWNER_PRIOR = 10
"""The owner's win rate counts as if the owner had this many more decided deals at the
company's rate: a new rep starts at the company's rate."""


@dataclass(frozen=True)
class StoreFacts:
    """The store's slow-moving facts the features need, read once per fit."""

    stage_position: dict[str, int]
    stage_probability: dict[str, float]
    segment: dict[str, str]
    fx: pd.DataFrame = field(repr=False)
    """currency, month (YYYY-MM), rate (one unit in PLANNING_CURRENCY)."""


def read_facts(engine: Engine) -> StoreFacts:
    """The stage catalog, account segments and exchange rates."""
    with engine.connect() as conn:
        catalog = stage_catalog(conn)
        probability = {
            name: float(p)
            for name, p in conn.execute(sa.text("SELECT name, probability FROM deal_stages"))
            if p is not None
        }
        segment = {
            a: s
            for a, s in conn.execute(sa.text("SELECT id, segment FROM accounts"))
            if s is not None
        }
        fx = pd.read_sql(sa.text("SELECT currency, month, rate FROM fx_rates"), conn)
    position = {name: i for i, (name, _) in enumerate(catalog.stages)}
    fx["rate"] = fx["rate"].astype("float64")
    return StoreFacts(position, probability, segment, fx)


def as_of_day(frame: pd.DataFrame) -> dt.date:
    """The day an as-of frame describes: creation plus age, the same for every row."""
    days = pd.to_datetime(frame["created"]) + pd.to_timedelta(frame["age_days"], unit="D")
    return days.max().date() if len(frame) else dt.date.min


def owner_history(frame: pd.DataFrame) -> pd.DataFrame:
    """Per owner, deals won and decided on or before the frame's day, and the smoothed rate."""
    done = frame[frame["decided"].notna() & frame["category"].isin(["won", "lost"])]
    counts = (
        done.assign(wins=(done["category"] == "won").astype("int64"), decided=1)
        .groupby("owner")[["wins", "decided"]]
        .sum()
        .astype("float64")
    )
    overall = float(counts["wins"].sum() / counts["decided"].sum()) if len(counts) else np.nan
    counts["rate"] = (counts["wins"] + OWNER_PRIOR * overall) / (counts["decided"] + OWNER_PRIOR)
    counts.attrs["overall"] = overall
    return counts


def to_planning(
    amount: pd.Series, currency: pd.Series, day: dt.date, fx: pd.DataFrame
) -> pd.Series:
    """Amounts in PLANNING_CURRENCY at the latest rate of each currency on or before `day`'s
    month; the planning currency itself (or a currency with no rate) converts at 1."""
    month = f"{day:%Y-%m}"
    known = fx[fx["month"] <= month].sort_values("month").groupby("currency")["rate"].last()
    rate = currency.map(known).where(currency != PLANNING_CURRENCY, 1.0).fillna(1.0)
    return amount.astype("float64") * rate.astype("float64")


def quarter_end(day: dt.date) -> dt.date:
    """The last day of `day`'s calendar quarter (the period a snapshot is scored against)."""
    q_month = 3 * ((day.month - 1) // 3) + 3
    first_next = dt.date(day.year + q_month // 12, q_month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def features(
    frame: pd.DataFrame,
    day: dt.date,
    period_end: dt.date,
    facts: StoreFacts,
    owners: pd.DataFrame,
) -> pd.DataFrame:
    """One row per deal of `frame` (same index): the win score's inputs as of `day`."""
    stamp = pd.Timestamp(day)
    overall = owners.attrs.get("overall", np.nan)
    first = frame["first_amount"].astype("float64")
    amount = frame["amount"].astype("float64")
    close = pd.to_datetime(frame["close_date"])
    out = pd.DataFrame(
        {
            "stage_position": frame["stage"].map(facts.stage_position).astype("float64"),
            "days_in_stage": frame["days_in_stage"].astype("float64"),
            "age_days": frame["age_days"].astype("float64"),
            "owner_win_rate": frame["owner"].map(owners["rate"]).fillna(overall).astype("float64"),
            "owner_decided": frame["owner"].map(owners["decided"]).fillna(0).astype("float64"),
            "slips": frame["slips"].astype("float64"),
            "slip_days": frame["slip_days"].astype("float64"),
            "amount_changes": frame["amount_changes"].astype("float64"),
            "amount_ratio": (amount / first.where(first > 0)).astype("float64"),
            "log_amount": np.log1p(
                to_planning(amount, frame["currency"], day, facts.fx).clip(lower=0)
            ),
            "days_to_close": ((close - stamp).dt.days).astype("float64"),
            "days_to_period_end": float((period_end - day).days),
            "type": frame["type"].astype("object"),
            "product": frame["product"].astype("object"),
            "segment": frame["account"].map(facts.segment).astype("object"),
            "forecast_category": frame["forecast_category"].astype("object"),
        },
        index=frame.index,
    )
    return out
