"""The two baselines the engine is measured against: hand-written DuckDB SQL, and pandas."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd


def _marginal_sql(measure: str, bound: str, tiers: list[tuple[object, str]]) -> str:
    """SUM over tiers of rate x the slice of `measure` between this tier's start and the next's."""
    parts = []
    for i, (start, rate) in enumerate(tiers):
        lo = f"({start}::DECIMAL(38, 6) * {bound})"
        hi = f"({tiers[i + 1][0]}::DECIMAL(38, 6) * {bound})" if i + 1 < len(tiers) else None
        top = f"LEAST({measure}, {hi})" if hi else measure
        parts.append(f"{rate}::DECIMAL(10, 6) * GREATEST({top} - {lo}, 0)")
    return " + ".join(parts)


def b2c_sql(con: duckdb.DuckDBPyConnection, tiers: list[tuple[object, str]]) -> list[tuple]:
    """The B2C plan written by hand: monthly revenue per seller, marginal tiers, rounded once."""
    pay = _marginal_sql("m.revenue", "1", tiers)
    return con.execute(
        f"""WITH m AS (
              SELECT o.seller AS payee, strftime(o.date, '%Y-%m') AS period, SUM(o.amount) AS revenue
              FROM orders o JOIN plan_assignments a
                ON a.payee = o.seller AND o.date BETWEEN a.valid_from AND a.valid_to
              GROUP BY ALL)
            SELECT payee, period, ROUND(({pay})::DECIMAL(38, 12), 2) AS amount FROM m
            WHERE ROUND(({pay})::DECIMAL(38, 12), 2) <> 0"""
    ).fetchall()


def b2b_sql(con: duckdb.DuckDBPyConnection, tiers: list[tuple[object, str]]) -> list[tuple]:
    """The B2B plan written by hand: quarterly bookings against quota, marginal attainment tiers."""
    pay = _marginal_sql("m.bookings", "q.amount", tiers)
    return con.execute(
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
    ).fetchall()


def _tiered(value: float, tiers: list[tuple[float, float]]) -> float:
    total = 0.0
    for i, (start, rate) in enumerate(tiers):
        end = tiers[i + 1][0] if i + 1 < len(tiers) else float("inf")
        if value > start:
            total += (min(value, end) - start) * rate
    return total


def b2c_pandas(
    orders: pd.DataFrame, assignments: pd.DataFrame, tiers: list[tuple[object, str]]
) -> pd.DataFrame:
    """What an analyst would write: merge, filter, group, apply the tiers row by row."""
    t = [(float(s), float(r)) for s, r in tiers]
    df = orders.merge(assignments, left_on="seller", right_on="payee")
    df = df[(df["date"] >= df["valid_from"]) & (df["date"] <= df["valid_to"])]
    df["period"] = pd.to_datetime(df["date"]).dt.strftime("%Y-%m")
    df["amount"] = df["amount"].astype(float)
    m = df.groupby(["seller", "period"], as_index=False)["amount"].sum()
    m["pay"] = m["amount"].apply(lambda v: _tiered(v, t))
    m["pay"] = m["pay"].apply(lambda v: Decimal(repr(v)).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return m[m["pay"] != 0]


def b2b_pandas(
    deals: pd.DataFrame,
    quotas: pd.DataFrame,
    assignments: pd.DataFrame,
    tiers: list[tuple[object, str]],
) -> pd.DataFrame:
    t = [(float(s), float(r)) for s, r in tiers]
    df = deals[deals["stage"] == "closed_won"].merge(assignments, left_on="owner", right_on="payee")
    df = df[(df["close_date"] >= df["valid_from"]) & (df["close_date"] <= df["valid_to"])]
    dates = pd.to_datetime(df["close_date"])
    df["period"] = dates.dt.year.astype(str) + "-Q" + dates.dt.quarter.astype(str)
    df["amount"] = df["amount"].astype(float)
    m = df.groupby(["owner", "period"], as_index=False)["amount"].sum()
    q = quotas.rename(columns={"amount": "quota"})
    m = m.merge(q, left_on=["owner", "period"], right_on=["payee", "period"])
    m["quota"] = m["quota"].astype(float)
    m["pay"] = m.apply(lambda r: _tiered(r["amount"], [(s * r["quota"], x) for s, x in t]), axis=1)
    m["pay"] = m["pay"].apply(lambda v: Decimal(repr(v)).quantize(Decimal("0.01"), ROUND_HALF_UP))
    return m[m["pay"] != 0]
