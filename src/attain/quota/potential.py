"""A learned model of each territory's potential: what it will book next year, relative to the
average territory, from what was known at the start of the year.

Two levels. Accounts first: gradient boosting learns what an account of a given size, industry,
segment and region books in a year, from every account's past bookings (many rows, so it learns
well even for a small sales team); a territory's account potential is the sum over its accounts.
Then territories: a non-negative linear model weighs that account potential against the
territory's own record (last two years and last half-year, adjusted for a ramping seller) and its
open pipeline, learned from past years (features on a year's first day, label that year's
bookings). The 80% prediction interval comes from how far past predictions missed.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from attain.quota.history import History
from attain.quota.plan import RAMP_MONTHS
from attain.quota.shaping import ramp_months_factor

MIN_TRAINING_ROWS = 10
RECORD = ("bookings_1", "bookings_2", "bookings_h2", "open_pipeline")
"""The territory's own record; a missing value is filled with its account potential."""


@dataclass(frozen=True)
class Potential:
    """Predicted bookings per territory for the plan year, relative to the average territory."""

    mean: pd.Series
    low: pd.Series
    high: pd.Series
    training_rows: int
    learned: bool
    """False when there was too little history to learn from (a simpler estimate was used)."""
    weights: dict[str, float]


def account_potential(history: History, before: int) -> pd.Series:
    """Each territory's summed account potential from a model fit on years before `before`.

    Relative to the average territory (mean 1); territories with no accounts get 0.
    """
    acc = history.accounts
    territories = history.territories["territory"]
    years = [y for y in history.full_years() if y < before]
    if acc.empty or not years:
        return pd.Series(0.0, index=territories)
    ay = history.account_years[history.account_years["year"].isin(years)]
    totals = ay.groupby("year")["bookings"].transform("sum")
    ay = ay.assign(share=ay["bookings"] / totals)
    label = ay.groupby("account")["share"].sum() / len(years)
    x = _account_features(acc)
    y = label.reindex(acc["account"]).fillna(0.0).to_numpy(dtype=float) * len(acc)
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    # One thread: these fits take a fraction of a second even for 100,000 accounts, and more
    # threads mostly wait on each other on a busy machine.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        model = HistGradientBoostingRegressor(
            max_iter=100,
            learning_rate=0.1,
            max_leaf_nodes=15,
            min_samples_leaf=max(10, len(acc) // 200),
            l2_regularization=1.0,
            categorical_features=[1, 2, 3],
            random_state=0,
        ).fit(x, y)
        pred = np.clip(model.predict(x), 0.0, None)
    per = pd.Series(pred, index=acc["territory"].to_numpy()).groupby(level=0).sum()
    out = per.reindex(territories).fillna(0.0)
    mean = out.mean()
    return out / mean if mean > 0 else out


def _account_features(acc: pd.DataFrame) -> np.ndarray:
    size = np.log1p(acc["size"].astype(float).fillna(0.0).clip(lower=0))
    codes = [
        acc[c].astype("category").cat.codes.to_numpy(dtype=float)
        for c in ("industry", "segment", "region")
    ]
    cols = [size.to_numpy()] + [np.where(c < 0, np.nan, c) for c in codes]
    return np.column_stack(cols)


def territory_features(history: History, year: int, accounts: pd.Series) -> pd.DataFrame:
    """Features of every territory on 1 January of `year`, from history before it."""
    start = pd.Timestamp(year, 1, 1)
    tm = history.territory_months[history.territory_months["month"] < start]
    index = history.territories["territory"]
    out = pd.DataFrame(index=index)
    seated = _seated(history, year)
    out["sellers"] = seated.groupby("territory")["payee"].count().reindex(index)
    out["account_potential"] = accounts.reindex(index).fillna(0.0)
    first = history.first_month
    for lag in (1, 2):
        y = year - lag
        if first is None or dt.date(y, 1, 1) < first:
            out[f"bookings_{lag}"] = np.nan
            continue
        booked = tm[tm["month"].dt.year == y].groupby("territory")["bookings"].sum()
        out[f"bookings_{lag}"] = _relative(booked, index) / _ramp_of(history, y, index)
    half = tm[tm["month"] >= pd.Timestamp(year - 1, 7, 1)].groupby("territory")["bookings"].sum()
    out["bookings_h2"] = _relative(half, index) / _ramp_of(history, year - 1, index, half=True)
    pipe = history.pipeline[history.pipeline["year_end"] == pd.Timestamp(year - 1, 12, 31)]
    out["open_pipeline"] = _relative(pipe.groupby("territory")["open_amount"].sum(), index)
    return out


def _relative(values: pd.Series, index: pd.Series) -> pd.Series:
    v = values.reindex(index).fillna(0.0).astype(float)
    mean = v.mean()
    return v / mean if mean > 0 else v


def _seated(history: History, year: int) -> pd.DataFrame:
    on = min(dt.date(year, 1, 1), history.cutoff) - dt.timedelta(days=1)
    return history.payees(on=on)


def _ramp_of(history: History, year: int, index: pd.Series, half: bool = False) -> pd.Series:
    """Average productivity of each territory's seller(s) over `year` (or its second half)."""
    seated = history.payees(on=min(dt.date(year, 12, 31), history.cutoff - dt.timedelta(days=1)))
    if seated.empty:
        return pd.Series(1.0, index=index)
    prod = ramp_months_factor(seated["hired"], year, RAMP_MONTHS)
    level = prod[:, 6:].mean(axis=1) if half else prod.mean(axis=1)
    per = pd.Series(level, index=seated["territory"].to_numpy()).groupby(level=0).mean()
    return per.reindex(index).fillna(1.0).clip(lower=0.25).set_axis(index)


def training_set(history: History) -> tuple[pd.DataFrame, pd.Series]:
    """Past years as examples: features on each year's first day, that year's relative bookings."""
    by_year = history.year_bookings()
    xs, ys = [], []
    for year in history.full_years()[1:]:
        x = territory_features(history, year, account_potential(history, before=year))
        x = x[x["sellers"].notna()]
        if year not in by_year.columns:
            continue
        label = by_year[year].reindex(x.index).fillna(0.0)
        label = label / _ramp_of(history, year, x.index.to_series()).to_numpy()
        if label.mean() <= 0:
            continue
        xs.append(x)
        ys.append(label / label.mean())
    if not xs:
        return pd.DataFrame(), pd.Series(dtype=float)
    return pd.concat(xs), pd.concat(ys)


def _design(x: pd.DataFrame, columns: list[str]) -> np.ndarray:
    filled = x[columns].copy()
    for c in columns:
        filled[c] = filled[c].fillna(x["account_potential"])
    out: np.ndarray = filled.to_numpy(dtype=float)
    return out


def predict_potential(history: History) -> Potential:
    """Each territory's expected bookings in the plan year for a fully ramped seller."""
    x_plan = territory_features(history, history.year, account_potential(history, history.year))
    x, y = training_set(history)
    if len(x) < MIN_TRAINING_ROWS:
        blend = x_plan["bookings_1"].fillna(x_plan["account_potential"])
        mean = (0.5 * blend + 0.5 * x_plan["account_potential"]).clip(lower=0.0)
        return Potential(mean, mean * 0.7, mean * 1.3, len(x), False, {})
    from sklearn.linear_model import LinearRegression

    columns = ["account_potential"] + [c for c in RECORD if x[c].notna().any()]
    model = LinearRegression(positive=True, fit_intercept=False).fit(
        _design(x, columns), y.to_numpy(dtype=float)
    )
    fitted = np.clip(model.predict(_design(x, columns)), 1e-6, None)
    mean = pd.Series(model.predict(_design(x_plan, columns)), index=x_plan.index).clip(lower=0.0)
    ratio = y.to_numpy(dtype=float) / fitted
    low_q, high_q = np.quantile(ratio, [0.1, 0.9])
    weights = {c: round(float(w), 4) for c, w in zip(columns, model.coef_, strict=True)}
    weights["intercept"] = round(float(model.intercept_), 4)
    return Potential(mean, mean * low_q, mean * max(high_q, 1.0), len(x), True, weights)
