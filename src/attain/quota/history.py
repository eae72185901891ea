"""What a quota plan may know: the store as it stood before the plan year began.

Every method reads its inputs from one `History`, built by `load_history`, which keeps only rows
dated before the first day of the plan year and masks later dates (a deal that closes in the plan
year is still open as far as the plan knows). That single gate is what keeps a backtest honest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
from sqlalchemy import Engine

from attain.data.columnar import load_into_duckdb
from attain.data.stages import register_stages, stage_catalog

STORE_TABLES = ("people", "accounts", "territories", "deals", "deal_splits", "fx_rates")
PLANNING_CURRENCY = "USD"
"""Quota planning's currency: the one `fx_rates` converts into (a rate is the worth of one unit
of a currency in it). Bookings history is converted into it at each deal's close month, and
drafted quotas are in it (their `currency` says so when published)."""


def open_store(engine: Engine, extra: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
    """The store's revenue tables in an in-process DuckDB, typed by the data model, with the
    stage catalog as `stage_categories` (stage, category)."""
    con = duckdb.connect()
    load_into_duckdb(engine, con, (*STORE_TABLES, *extra))
    register_stages(con, stage_catalog(engine))
    return con


@dataclass(frozen=True)
class History:
    """Aggregates of everything dated before `cutoff`, the first day of the plan year, money in
    PLANNING_CURRENCY (column `usd` of the deals, converted at each deal's close month)."""

    year: int
    cutoff: dt.date
    territory_months: pd.DataFrame
    """territory, month, bookings, deals: won bookings by the account's territory."""
    payee_months: pd.DataFrame
    """payee, month, bookings: won bookings credited to each payee (splits by share)."""
    created_months: pd.DataFrame
    """territory, month, created_amount, created_deals: pipeline created."""
    pipeline: pd.DataFrame
    """territory, year_end, open_amount, open_deals: open pipeline on each year's last day."""
    win_rate: pd.DataFrame
    """year, won, lost: closed deals by the year they closed."""
    people: pd.DataFrame
    """id, valid_from, valid_to, role, team, territory, hired: versions known before cutoff."""
    territories: pd.DataFrame
    """territory, region, accounts, size_total, revenue_total, ... (static attributes)."""
    accounts: pd.DataFrame
    """account, territory, size, industry, segment, region (static attributes)."""
    account_years: pd.DataFrame
    """account, year, bookings: won bookings per account and calendar year."""
    seller_roles: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def first_month(self) -> dt.date | None:
        """The first month with bookings, or None for a company with no bookings yet."""
        if self.payee_months.empty:
            return None
        first: dt.date = pd.Timestamp(self.payee_months["month"].min()).date()
        return first

    @property
    def last_month(self) -> dt.date | None:
        """The last month with bookings, or None for a company with no bookings yet."""
        if self.payee_months.empty:
            return None
        last: dt.date = pd.Timestamp(self.payee_months["month"].max()).date()
        return last

    def full_years(self) -> list[int]:
        """Calendar years before the plan year whose every month lies inside the history."""
        first, last = self.first_month, self.last_month
        if first is None or last is None:
            return []
        start = first.year if first.month == 1 else first.year + 1
        end = last.year if last.month == 12 else last.year - 1
        return list(range(start, min(end, self.year - 1) + 1))

    def max_date(self) -> dt.date | None:
        """The latest date in any frame the methods receive (the leakage check reads this)."""
        dates: list[dt.date] = []
        for frame, cols in (
            (self.territory_months, ["month"]),
            (self.payee_months, ["month"]),
            (self.account_years, ["year_end"]),
            (self.created_months, ["month"]),
            (self.pipeline, ["year_end"]),
            (self.people, ["valid_from", "valid_to", "hired"]),
        ):
            for col in cols:
                if not frame.empty and frame[col].notna().any():
                    dates.append(pd.Timestamp(frame[col].max()).date())
        if not self.win_rate.empty:
            dates.append(dt.date(int(self.win_rate["year"].max()), 12, 31))
        return max(dates) if dates else None

    def payees(self, on: dt.date | None = None) -> pd.DataFrame:
        """Sellers in force on a day (default: the eve of the plan year): payee, territory, ..."""
        day = pd.Timestamp(on or self.cutoff - dt.timedelta(days=1))
        p = self.people
        live = p[
            (p["valid_from"] <= day)
            & (p["valid_to"].isna() | (p["valid_to"] >= day))
            & p["territory"].notna()
            & p["role"].isin(self.seller_roles)
        ]
        live = live.sort_values("valid_from").drop_duplicates("id", keep="last")
        return live[["id", "territory", "team", "hired"]].rename(columns={"id": "payee"})

    def year_bookings(self, level: str = "territory") -> pd.DataFrame:
        """Bookings per territory (or payee) and calendar year: rows are units, columns years."""
        frame = self.territory_months if level == "territory" else self.payee_months
        key = "territory" if level == "territory" else "payee"
        if frame.empty:
            return pd.DataFrame()
        by_year = frame.assign(year=pd.to_datetime(frame["month"]).dt.year)
        return by_year.pivot_table(
            index=key, columns="year", values="bookings", aggfunc="sum"
        ).fillna(0.0)


def load_history(con: duckdb.DuckDBPyConnection, year: int) -> History:
    """Everything a plan for `year` may know, read from a DuckDB holding the store's tables."""
    cutoff = dt.date(year, 1, 1)
    _known_rows(con, cutoff)
    won = "category = 'won' AND cancelled_date IS NULL AND close_date IS NOT NULL"
    territory_months = con.execute(f"""
        SELECT territory, CAST(date_trunc('month', close_date) AS DATE) AS month,
               sum(usd) AS bookings, count(*) AS deals
        FROM q_deals WHERE {won} AND territory IS NOT NULL AND usd IS NOT NULL
        GROUP BY ALL ORDER BY ALL""").df()
    payee_months = con.execute("""
        SELECT coalesce(s.payee, d.owner) AS payee,
               CAST(date_trunc('month', d.close_date) AS DATE) AS month,
               sum(d.usd * coalesce(CAST(s.share AS DOUBLE), 1.0)) AS bookings
        FROM q_deals d LEFT JOIN deal_splits s ON s.deal = d.id
        WHERE d.category = 'won' AND d.cancelled_date IS NULL
          AND d.close_date IS NOT NULL AND d.usd IS NOT NULL
        GROUP BY ALL ORDER BY ALL""").df()
    created_months = con.execute("""
        SELECT territory, CAST(date_trunc('month', created) AS DATE) AS month,
               sum(usd) AS created_amount, count(*) AS created_deals
        FROM q_deals WHERE created IS NOT NULL AND territory IS NOT NULL AND usd IS NOT NULL
        GROUP BY ALL ORDER BY ALL""").df()
    pipeline = con.execute(
        """
        WITH ends AS (
            SELECT make_date(CAST(y AS INTEGER), 12, 31) AS year_end
            FROM range((SELECT coalesce(year(min(created)), ?) FROM q_deals), ?) t(y)
        )
        SELECT d.territory, e.year_end, sum(d.usd) AS open_amount, count(*) AS open_deals
        FROM q_deals d JOIN ends e
          ON d.created <= e.year_end AND (d.close_date IS NULL OR d.close_date > e.year_end)
        WHERE d.territory IS NOT NULL AND d.usd IS NOT NULL
          AND (d.category = 'open' OR d.close_date IS NOT NULL)
        GROUP BY ALL ORDER BY ALL""",
        [year, year],
    ).df()
    win_rate = con.execute("""
        SELECT year(close_date) AS year,
               count(*) FILTER (WHERE category = 'won') AS won,
               count(*) FILTER (WHERE category = 'lost') AS lost
        FROM q_deals WHERE close_date IS NOT NULL GROUP BY ALL ORDER BY ALL""").df()
    account_years = con.execute(f"""
        SELECT account, year(close_date) AS year, make_date(year(close_date), 12, 31) AS year_end,
               sum(usd) AS bookings
        FROM q_deals WHERE {won} AND account IS NOT NULL AND usd IS NOT NULL
        GROUP BY ALL ORDER BY ALL""").df()
    account_years["year_end"] = pd.to_datetime(account_years["year_end"])
    accounts = con.execute("""
        SELECT id AS account, territory, size, industry, segment, region FROM accounts
        ORDER BY id""").df()
    people = con.execute("SELECT * FROM q_people ORDER BY id, valid_from").df()
    for col in ("valid_from", "valid_to", "hired"):
        people[col] = pd.to_datetime(people[col])
    roles = con.execute("""
        SELECT DISTINCT p.role FROM q_people p JOIN q_deals d ON d.owner = p.id
        WHERE p.role IS NOT NULL AND p.territory IS NOT NULL""").fetchall()
    seller_roles = tuple(sorted(r[0] for r in roles)) or tuple(
        sorted(set(people.loc[people["territory"].notna(), "role"].dropna()))
    )
    warnings = [
        f"deal stage {r[0]!r} is not in the stage catalog (deal_stages) and was read as {r[1]}"
        for r in con.execute(
            "SELECT stage, category FROM stage_categories WHERE NOT listed ORDER BY stage"
        ).fetchall()
    ]
    unconverted = con.execute("SELECT count(*) FROM q_deals WHERE usd IS NULL").fetchone()
    if unconverted and unconverted[0]:
        warnings.append(f"{unconverted[0]} deals have no exchange rate and were left out")
    for frame in (territory_months, payee_months, created_months):
        frame["month"] = pd.to_datetime(frame["month"])
    pipeline["year_end"] = pd.to_datetime(pipeline["year_end"])
    return History(
        year=year,
        cutoff=cutoff,
        territory_months=territory_months,
        payee_months=payee_months,
        created_months=created_months,
        pipeline=pipeline,
        win_rate=win_rate,
        people=people,
        territories=_territories(con),
        accounts=accounts,
        account_years=account_years,
        seller_roles=seller_roles,
        warnings=warnings,
    )


def _known_rows(con: duckdb.DuckDBPyConnection, cutoff: dt.date) -> None:
    """Temp tables of people, rates and deals as they stood the day before `cutoff`."""
    month = cutoff.strftime("%Y-%m")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE q_people AS
        SELECT id, valid_from, CASE WHEN valid_to < $cut THEN valid_to END AS valid_to,
               role, team, territory, CASE WHEN hired < $cut THEN hired END AS hired
        FROM people WHERE valid_from < $cut""",
        {"cut": cutoff},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE q_fx AS
        SELECT currency, month, CAST(rate AS DOUBLE) AS rate FROM fx_rates WHERE month < $m""",
        {"m": month},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE q_deals AS
        WITH d AS (
            SELECT id, owner, account, amount, currency, created,
                   CASE WHEN close_date < $cut THEN close_date END AS close_date,
                   CASE WHEN close_date < $cut THEN coalesce(sc.category, 'open')
                        ELSE 'open' END AS category,
                   CASE WHEN cancelled_date < $cut THEN cancelled_date END AS cancelled_date,
                   strftime(CASE WHEN close_date < $cut THEN close_date
                                 ELSE $cut - INTERVAL 1 DAY END, '%Y-%m') AS fx_month
            FROM deals LEFT JOIN stage_categories sc ON sc.stage = deals.stage
            WHERE coalesce(created, close_date) < $cut AND amount IS NOT NULL
        ), placed AS (
            SELECT d.*, coalesce(a.territory, p.territory) AS territory
            FROM d
            LEFT JOIN accounts a ON a.id = d.account
            LEFT JOIN q_people p ON p.id = d.owner
                 AND p.valid_from <= coalesce(d.close_date, d.created)
                 AND (p.valid_to IS NULL OR coalesce(d.close_date, d.created) <= p.valid_to)
        )
        SELECT placed.* EXCLUDE (fx_month),
               CAST(placed.amount AS DOUBLE) * coalesce(
                   fx.rate, CASE WHEN coalesce(placed.currency, $base) = $base THEN 1.0 END
               ) AS usd
        FROM placed ASOF LEFT JOIN q_fx fx
          ON fx.currency = placed.currency AND placed.fx_month >= fx.month""",
        {"cut": cutoff, "base": PLANNING_CURRENCY},
    )


def _territories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Static territory attributes from its accounts: how many, how big, which segments."""
    segments = [
        r[0]
        for r in con.execute("""
            SELECT segment FROM accounts WHERE segment IS NOT NULL
            GROUP BY segment ORDER BY count(*) DESC, segment LIMIT 6""").fetchall()
    ]
    seg_cols = "".join(
        f", count(a.id) FILTER (WHERE a.segment = '{s.replace(chr(39), chr(39) * 2)}')"
        f' AS "seg_{i}"'
        for i, s in enumerate(segments)
    )
    return con.execute(f"""
        WITH ids AS (
            SELECT id AS territory, region FROM territories
            UNION SELECT DISTINCT territory, NULL FROM accounts WHERE territory IS NOT NULL
            UNION SELECT DISTINCT territory, NULL FROM q_people WHERE territory IS NOT NULL
        ), t AS (SELECT territory, max(region) AS region FROM ids GROUP BY territory)
        SELECT t.territory, t.region, count(a.id) AS accounts,
               coalesce(sum(a.size), 0) AS size_total,
               coalesce(avg(ln(1 + a.size)), 0) AS size_log_mean,
               coalesce(sum(CAST(a.revenue AS DOUBLE)), 0) AS revenue_total,
               count(DISTINCT a.industry) AS industries{seg_cols}
        FROM t LEFT JOIN accounts a ON a.territory = t.territory
        GROUP BY t.territory, t.region ORDER BY t.territory""").df()
