"""Datasets for the compensation benchmark, generated inside DuckDB (deterministic, seconds).

B2C: payees selling orders all year; B2B: account executives closing deals against quarterly
quotas. Money is DECIMAL from integer cents, never binary floats.
"""

from __future__ import annotations

import duckdb

YEAR = 2027


def b2c_orders(
    con: duckdb.DuckDBPyConnection, payees: int, orders: int, seed: float = 0.42
) -> None:
    """Tables people, orders, plan_assignments for a B2C company."""
    con.execute(f"SELECT setseed({seed})")
    con.execute(
        f"""CREATE OR REPLACE TABLE people AS
        SELECT 'p' || lpad(i::VARCHAR, 6, '0') AS id, 'Associate' AS role,
               'm' || lpad((i // 12)::VARCHAR, 5, '0') AS manager,
               DATE '1900-01-01' AS valid_from, NULL::DATE AS valid_to
        FROM range({payees}) t(i)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE orders AS
        SELECT 'o' || i::VARCHAR AS id,
               'p' || lpad((hash(i) % {payees})::VARCHAR, 6, '0') AS seller,
               DATE '{YEAR}-01-01' + (hash(i * 7) % 365)::INTEGER AS date,
               (1 + hash(i * 13) % 5)::INTEGER AS units,
               ((500 + hash(i * 31) % 20000)::DECIMAL(18, 0) * 0.01::DECIMAL(3, 2))::DECIMAL(18, 2)
                   AS amount
        FROM range({orders}) t(i)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE plan_assignments AS
        SELECT id AS payee, 'associate' AS plan, DATE '{YEAR}-01-01' AS valid_from,
               DATE '{YEAR}-12-31' AS valid_to FROM people"""
    )


def b2b_deals(con: duckdb.DuckDBPyConnection, reps: int, deals: int, seed: float = 0.42) -> None:
    """Tables people, deals, quotas, plan_assignments for a B2B company."""
    con.execute(f"SELECT setseed({seed})")
    con.execute(
        f"""CREATE OR REPLACE TABLE people AS
        SELECT 'r' || lpad(i::VARCHAR, 5, '0') AS id, 'AE' AS role, NULL::VARCHAR AS manager,
               DATE '1900-01-01' AS valid_from, NULL::DATE AS valid_to
        FROM range({reps}) t(i)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE deals AS
        SELECT 'd' || i::VARCHAR AS id,
               'r' || lpad((hash(i) % {reps})::VARCHAR, 5, '0') AS owner,
               CASE WHEN hash(i * 3) % 10 < 3 THEN 'closed_lost' ELSE 'closed_won' END AS stage,
               DATE '{YEAR}-01-01' + (hash(i * 7) % 365)::INTEGER AS close_date,
               ((100000 + hash(i * 31) % 9000000)::DECIMAL(18, 0) * 0.01::DECIMAL(3, 2))::DECIMAL(18, 2)
                   AS amount
        FROM range({deals}) t(i)"""
    )
    per_quarter = deals * 0.7 * 46000 / reps / 4
    con.execute(
        f"""CREATE OR REPLACE TABLE quotas AS
        SELECT p.id AS payee, 'bookings' AS measure, '{YEAR}-Q' || q::VARCHAR AS period,
               {round(per_quarter, -3):.0f}::DECIMAL(18, 2) AS amount
        FROM people p, range(1, 5) t(q)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE plan_assignments AS
        SELECT id AS payee, 'ae' AS plan, DATE '{YEAR}-01-01' AS valid_from,
               DATE '{YEAR}-12-31' AS valid_to FROM people"""
    )


B2C_PLAN = """
id: associate
currency: USD
period: month
credits:
  - {id: sale, from: orders, to: seller, value: amount, date: date}
measures:
  revenue: {sum: value}
components:
  - id: commission
    measure: revenue
    tier_mode: marginal
    tiers: [{from: 0, rate: 0.03}, {from: 5000, rate: 0.05}, {from: 10000, rate: 0.08}]
"""
B2C_TIERS = [(0, "0.03"), (5000, "0.05"), (10000, "0.08")]

B2B_PLAN = """
id: ae
currency: USD
period: quarter
credits:
  - {id: owner, from: deals, where: stage == "closed_won", to: owner, value: amount, date: close_date}
measures:
  bookings: {sum: value}
components:
  - id: commission
    measure: bookings
    tier_basis: attainment
    tier_mode: marginal
    tiers: [{from: 0, rate: 0.08}, {from: 1.0, rate: 0.12}, {from: 1.5, rate: 0.15}]
"""
B2B_TIERS = [("0", "0.08"), ("1.0", "0.12"), ("1.5", "0.15")]
