"""B2C revenue forecasts: weekly or monthly order revenue (net of returns, in the planning
currency) or units, per store, region and company, from the store's `orders` and `stores`.

Only what was known on the as-of day is read: orders dated on or before it, and only whole
periods (a week or month that ends after it is not history yet). Each order is converted from its
currency into PLANNING_CURRENCY at the rate of its own month (the latest rate on or before it).
Every series of the hierarchy is forecast on its own, then reconciled so stores add up to
regions and regions to the company (attain.forecasts.reconcile).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from attain.forecasts.hierarchy_sums import Hierarchy, store_hierarchy
from attain.forecasts.reconcile import Reconciled, reconcile
from attain.forecasts.revenue_models import forecast_series
from attain.quota.history import PLANNING_CURRENCY

GRAINS = {"week": 52, "month": 12}
"""Each grain and its season (periods in a year)."""
MODEL = "ets"
RECONCILIATION = {"week": "mint-shrink", "month": "wls-structural"}
"""The reconciliation kept per grain: the most accurate at store level in the demo's backtest
(docs/forecasts.md). Monthly, 36 periods are too few for MinT's error covariance of 24 series."""
CENT = Decimal("0.01")

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StoreHistory:
    """Whole periods up to the as-of day, per store (rows) and period (columns)."""

    grain: str
    as_of: dt.date
    periods: tuple[dt.date, ...]
    """The first day of each period (a Monday, or the 1st of a month)."""
    stores: tuple[str, ...]
    store_region: dict[str, str]
    store_currency: dict[str, str]
    revenue: Array
    """In PLANNING_CURRENCY."""
    units: Array

    @property
    def hierarchy(self) -> Hierarchy:
        return store_hierarchy(self.store_region)

    def values(self, units: bool = False) -> Array:
        return self.units if units else self.revenue


def period_end(start: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return start + dt.timedelta(days=6)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def next_period(start: dt.date, grain: str) -> dt.date:
    return period_end(start, grain) + dt.timedelta(days=1)


def _check_grain(grain: str) -> None:
    if grain not in GRAINS:
        raise ValueError(f"--grain must be week or month, not {grain!r}")


def load_store_history(engine: Engine, grain: str, as_of: dt.date | None = None) -> StoreHistory:
    """The orders known on `as_of` (default: the last order's day), summed per store and period."""
    import duckdb

    from attain.data.columnar import load_into_duckdb

    _check_grain(grain)
    con = duckdb.connect()
    load_into_duckdb(engine, con, ("orders", "stores", "fx_rates"))
    first, last = con.execute("SELECT min(date), max(date) FROM orders").fetchone() or (None, None)
    if first is None:
        raise ValueError("no B2C orders in the store (table orders is empty)")
    day = as_of or last
    if day < first:
        raise ValueError(f"--as-of {day}: no order on or before it (the first is on {first})")
    missing = con.execute(
        """
        SELECT DISTINCT o.currency, strftime(o.date, '%Y-%m') FROM orders o
        WHERE o.date <= $day AND coalesce(o.currency, $base) <> $base
          AND NOT EXISTS (SELECT 1 FROM fx_rates f WHERE f.currency = o.currency
                          AND f.month <= strftime(o.date, '%Y-%m'))
        ORDER BY 2 LIMIT 1""",
        {"day": day, "base": PLANNING_CURRENCY},
    ).fetchone()
    if missing:
        raise ValueError(
            f"fx_rates: no rate for {missing[0]} in or before {missing[1]} "
            f"(orders in {missing[0]} cannot be converted to {PLANNING_CURRENCY})"
        )
    rows = con.execute(
        f"""
        WITH known AS (
            SELECT coalesce(store, '(no store)') AS store, date, units,
                   CAST(amount AS DOUBLE) AS amount, coalesce(currency, $base) AS currency,
                   strftime(date, '%Y-%m') AS fx_month
            FROM orders WHERE date <= $day
        ), fx AS (
            SELECT currency, month, CAST(rate AS DOUBLE) AS rate FROM fx_rates
        )
        SELECT k.store, CAST(date_trunc('{grain}', k.date) AS DATE) AS period,
               sum(k.amount * CASE WHEN k.currency = $base THEN 1.0 ELSE fx.rate END),
               sum(k.units)
        FROM known k ASOF LEFT JOIN fx ON fx.currency = k.currency AND k.fx_month >= fx.month
        GROUP BY 1, 2 ORDER BY 1, 2""",
        {"day": day, "base": PLANNING_CURRENCY},
    ).fetchall()
    stores_meta = {
        sid: region or "(no region)"
        for sid, region in con.execute("SELECT id, region FROM stores ORDER BY id").fetchall()
    }
    currencies = dict(
        con.execute(
            f"""SELECT coalesce(store, '(no store)'), coalesce(mode(currency), '{PLANNING_CURRENCY}')
                FROM orders GROUP BY 1"""
        ).fetchall()
    )
    periods = _whole_periods(first, day, grain)
    if not periods:
        raise ValueError(f"no whole {grain} of orders between {first} and {day}")
    seen = sorted({store for store, *_ in rows})
    stores = tuple(s for s in stores_meta if s in set(seen)) + tuple(
        s for s in seen if s not in stores_meta
    )
    index = {p: i for i, p in enumerate(periods)}
    row_of = {s: i for i, s in enumerate(stores)}
    revenue = np.zeros((len(stores), len(periods)))
    units = np.zeros((len(stores), len(periods)))
    for store, period, amount, n in rows:
        if period in index:
            revenue[row_of[store], index[period]] = amount
            units[row_of[store], index[period]] = n
    return StoreHistory(
        grain,
        day,
        tuple(periods),
        stores,
        {s: stores_meta.get(s, "(no region)") for s in stores},
        {s: currencies.get(s, PLANNING_CURRENCY) for s in stores},
        revenue,
        units,
    )


def _whole_periods(first: dt.date, last: dt.date, grain: str) -> list[dt.date]:
    """Periods lying wholly between the first order's day and `last`."""
    if grain == "week":
        start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    else:
        start = first if first.day == 1 else next_period(first.replace(day=1), grain)
    out = []
    while period_end(start, grain) <= last:
        out.append(start)
        start = next_period(start, grain)
    return out


@dataclass(frozen=True)
class HierarchyForecast:
    """Base models per series and the reconciled forecast."""

    models: tuple[str, ...]
    seasonal: bool
    reconciled: Reconciled


def forecast_hierarchy(
    hierarchy: Hierarchy,
    store_values: Array,
    horizon: int,
    season: int,
    model: str = MODEL,
    methods: tuple[str, ...] = ("mint-shrink",),
) -> dict[str, HierarchyForecast]:
    """Forecast every series of the hierarchy on its own from the stores' history (stores x
    periods), then reconcile by each method; keyed by method."""
    totals = hierarchy.totals(store_values)
    fits = [forecast_series(model, row, horizon, season) for row in totals]
    mean = np.vstack([f.mean for f in fits])
    variance = np.vstack([f.variance for f in fits])
    residuals = np.vstack([f.residuals for f in fits])
    seasonal = any(f.seasonal for f in fits)
    return {
        m: HierarchyForecast(
            tuple(f.model for f in fits),
            seasonal,
            reconcile(m, hierarchy, mean, variance, residuals),
        )
        for m in methods
    }


@dataclass(frozen=True)
class ForecastLine:
    series: str
    level: str
    period: dt.date
    mean: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class RevenueForecast:
    grain: str
    as_of: dt.date
    measure: str
    """`revenue` (money in `currency`) or `units`."""
    currency: str | None
    history_periods: int
    seasonal: bool
    models: dict[str, str]
    """Per series, the base model fitted."""
    reconciliation: str
    notes: tuple[str, ...]
    lines: tuple[ForecastLine, ...]


def _rounded(x: float) -> Decimal:
    return Decimal(repr(float(x))).quantize(CENT, rounding=ROUND_HALF_UP)


def rounded_coherent(hierarchy: Hierarchy, values: Array) -> list[list[Decimal]]:
    """Round the stores to cents and sum them for every other series, so regions and the
    company are exactly the sum of what is shown for their stores."""
    n_all, n_bottom = hierarchy.summing.shape
    bottom = [[_rounded(x) for x in row] for row in values[n_all - n_bottom :]]
    out: list[list[Decimal]] = []
    for i in range(n_all - n_bottom):
        members = np.flatnonzero(hierarchy.summing[i])
        out.append(
            [sum((bottom[j][k] for j in members), Decimal(0)) for k in range(values.shape[1])]
        )
    return out + bottom


def forecast_revenue(
    engine: Engine,
    *,
    grain: str = "week",
    horizon: int = 13,
    as_of: dt.date | None = None,
    units: bool = False,
    model: str = MODEL,
    reconciliation: str | None = None,
) -> RevenueForecast:
    """The reconciled forecast of the next `horizon` whole periods after the as-of day (by the
    grain's kept reconciliation unless another is asked for)."""
    _check_grain(grain)
    reconciliation = reconciliation or RECONCILIATION[grain]
    if horizon < 1:
        raise ValueError(f"--horizon must be at least 1, not {horizon}")
    history = load_store_history(engine, grain, as_of)
    season = GRAINS[grain]
    hierarchy = history.hierarchy
    done = forecast_hierarchy(
        hierarchy, history.values(units), horizon, season, model, (reconciliation,)
    )[reconciliation]
    rec = done.reconciled
    means = rounded_coherent(hierarchy, rec.mean)
    lows = [[_rounded(x) for x in row] for row in rec.low]
    highs = [[_rounded(x) for x in row] for row in rec.high]
    periods = [next_period(history.periods[-1], grain)]
    while len(periods) < horizon:
        periods.append(next_period(periods[-1], grain))
    lines = tuple(
        ForecastLine(name, level, periods[k], means[i][k], lows[i][k], highs[i][k])
        for i, (name, level) in enumerate(zip(hierarchy.names, hierarchy.levels, strict=True))
        for k in range(horizon)
    )
    notes = []
    n = len(history.periods)
    if not done.seasonal:
        notes.append(
            f"{n} whole {grain}s of history, less than two seasons ({2 * season}): no seasonal term"
        )
    return RevenueForecast(
        grain=grain,
        as_of=history.as_of,
        measure="units" if units else "revenue",
        currency=None if units else PLANNING_CURRENCY,
        history_periods=n,
        seasonal=done.seasonal,
        models=dict(zip(hierarchy.names, done.models, strict=True)),
        reconciliation=reconciliation,
        notes=tuple(notes),
        lines=lines,
    )
