"""The baselines the engine is measured against: hand-written DuckDB SQL, and pandas twice.

The pandas plan comes as an analyst writes it first, with money as binary floats (fast, but a
cent off on some lines), and as one who needs every cent right writes it: money as
`decimal.Decimal` objects, summed exactly, tiers in Decimal arithmetic, rounded once half-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd
import pyarrow as pa

Tiers = Sequence[tuple[int | str, str]]
"""Marginal tiers: (start, rate); B2C starts are amounts, B2B starts are fractions of quota."""

CENT = Decimal("0.01")


def _marginal_sql(measure: str, bound: str, tiers: Tiers) -> str:
    """SUM over tiers of rate x the slice of `measure` between this tier's start and the next's."""
    parts = []
    for i, (start, rate) in enumerate(tiers):
        lo = f"({start}::DECIMAL(38, 6) * {bound})"
        hi = f"({tiers[i + 1][0]}::DECIMAL(38, 6) * {bound})" if i + 1 < len(tiers) else None
        top = f"LEAST({measure}, {hi})" if hi else measure
        parts.append(f"{rate}::DECIMAL(10, 6) * GREATEST({top} - {lo}, 0)")
    return " + ".join(parts)


def b2c_sql(con: duckdb.DuckDBPyConnection, tiers: Tiers) -> pa.Table:
    """The B2C plan written by hand: monthly revenue per seller, marginal tiers, rounded once."""
    pay = _marginal_sql("m.revenue", "1", tiers)
    return con.sql(
        f"""WITH m AS (
              SELECT o.seller AS payee, strftime(o.date, '%Y-%m') AS period, SUM(o.amount) AS revenue
              FROM orders o JOIN plan_assignments a
                ON a.payee = o.seller AND o.date BETWEEN a.valid_from AND a.valid_to
              GROUP BY ALL)
            SELECT payee, period, ROUND(({pay})::DECIMAL(38, 12), 2) AS amount FROM m
            WHERE ROUND(({pay})::DECIMAL(38, 12), 2) <> 0"""
    ).to_arrow_table()


def b2b_sql(con: duckdb.DuckDBPyConnection, tiers: Tiers) -> pa.Table:
    """The B2B plan written by hand: quarterly bookings against quota, marginal attainment tiers."""
    pay = _marginal_sql("m.bookings", "q.amount", tiers)
    return con.sql(
        f"""WITH m AS (
              SELECT d.owner AS payee,
                     strftime(d.close_date, '%Y') || '-Q' || quarter(d.close_date)::VARCHAR AS period,
                     SUM(d.amount) AS bookings
              FROM deals d JOIN plan_assignments a
                ON a.payee = d.owner AND d.close_date BETWEEN a.valid_from AND a.valid_to
              WHERE d.stage = 'closed_won' GROUP BY ALL)
            SELECT m.payee, m.period, ROUND(({pay})::DECIMAL(38, 12), 2) AS amount
            FROM m JOIN quotas q ON q.payee = m.payee AND q.period = m.period
                                AND q.measure = 'bookings'
            WHERE ROUND(({pay})::DECIMAL(38, 12), 2) <> 0"""
    ).to_arrow_table()


def exact_frame(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """`table` as a DataFrame with `amount` as exact Decimal objects.

    `.df()` turns DECIMAL columns into binary floats, so the amounts come out as text and are
    parsed back to Decimal: the exact analyst's loading step, not part of the timed plan.
    """
    df = con.execute(f"SELECT * REPLACE (amount::VARCHAR AS amount) FROM {table}").df()
    df["amount"] = df["amount"].map(Decimal)
    return df


def _tiered(value: float, tiers: list[tuple[float, float]]) -> float:
    total = 0.0
    for i, (start, rate) in enumerate(tiers):
        end = tiers[i + 1][0] if i + 1 < len(tiers) else float("inf")
        if value > start:
            total += (min(value, end) - start) * rate
    return total


def _tiered_exact(value: Decimal, tiers: list[tuple[Decimal, Decimal]]) -> Decimal:
    total = Decimal(0)
    for i, (start, rate) in enumerate(tiers):
        if value > start:
            top = min(value, tiers[i + 1][0]) if i + 1 < len(tiers) else value
            total += (top - start) * rate
    return total


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _b2c_months(orders: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Each seller's assigned orders with their month, `amount` as given."""
    df = orders.merge(assignments, left_on="seller", right_on="payee")
    df = df[(df["date"] >= df["valid_from"]) & (df["date"] <= df["valid_to"])]
    df["period"] = pd.to_datetime(df["date"]).dt.strftime("%Y-%m")
    return df


def _b2b_quarters(deals: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """Each owner's assigned won deals with their quarter, `amount` as given."""
    df = deals[deals["stage"] == "closed_won"].merge(assignments, left_on="owner", right_on="payee")
    df = df[(df["close_date"] >= df["valid_from"]) & (df["close_date"] <= df["valid_to"])]
    dates = pd.to_datetime(df["close_date"])
    df["period"] = dates.dt.year.astype(str) + "-Q" + dates.dt.quarter.astype(str)
    return df


def b2c_pandas(orders: pd.DataFrame, assignments: pd.DataFrame, tiers: Tiers) -> pd.DataFrame:
    """What an analyst would write: merge, filter, group, apply the tiers row by row, in floats."""
    t = [(float(s), float(r)) for s, r in tiers]
    df = _b2c_months(orders, assignments)
    df["amount"] = df["amount"].astype(float)
    m = df.groupby(["seller", "period"], as_index=False)["amount"].sum()
    m["pay"] = m["amount"].apply(lambda v: _tiered(v, t))
    m["pay"] = m["pay"].apply(lambda v: _cents(Decimal(repr(v))))
    return m[m["pay"] != 0]


def b2c_pandas_exact(orders: pd.DataFrame, assignments: pd.DataFrame, tiers: Tiers) -> pd.DataFrame:
    """The same, cents right: `orders.amount` holds Decimals (see `exact_frame`), summed exactly."""
    t = [(Decimal(s), Decimal(r)) for s, r in tiers]
    df = _b2c_months(orders, assignments)
    m = df.groupby(["seller", "period"], as_index=False)["amount"].sum()
    m["pay"] = m["amount"].apply(lambda v: _cents(_tiered_exact(v, t)))
    return m[m["pay"] != 0]


def b2b_pandas(
    deals: pd.DataFrame, quotas: pd.DataFrame, assignments: pd.DataFrame, tiers: Tiers
) -> pd.DataFrame:
    """What an analyst would write: bookings per quarter against quota, tiers in floats."""
    t = [(float(s), float(r)) for s, r in tiers]
    df = _b2b_quarters(deals, assignments)
    df["amount"] = df["amount"].astype(float)
    m = df.groupby(["owner", "period"], as_index=False)["amount"].sum()
    q = quotas[quotas["measure"] == "bookings"].rename(columns={"amount": "quota"})
    m = m.merge(q, left_on=["owner", "period"], right_on=["payee", "period"])
    m["quota"] = m["quota"].astype(float)
    m["pay"] = m.apply(lambda r: _tiered(r["amount"], [(s * r["quota"], x) for s, x in t]), axis=1)
    m["pay"] = m["pay"].apply(lambda v: _cents(Decimal(repr(v))))
    return m[m["pay"] != 0]


def b2b_pandas_exact(
    deals: pd.DataFrame, quotas: pd.DataFrame, assignments: pd.DataFrame, tiers: Tiers
) -> pd.DataFrame:
    """The same, cents right: deal and quota amounts hold Decimals (see `exact_frame`)."""
    t = [(Decimal(s), Decimal(r)) for s, r in tiers]
    df = _b2b_quarters(deals, assignments)
    m = df.groupby(["owner", "period"], as_index=False)["amount"].sum()
    q = quotas[quotas["measure"] == "bookings"].rename(columns={"amount": "quota"})
    m = m.merge(q, left_on=["owner", "period"], right_on=["payee", "period"])
    m["pay"] = m.apply(
        lambda r: _cents(_tiered_exact(r["amount"], [(s * r["quota"], x) for s, x in t])), axis=1
    )
    return m[m["pay"] != 0]
