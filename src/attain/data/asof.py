"""The pipeline as it stood at the end of a past day, and the forecast calls in force then.

A forecast or score made "as of" a day may use only what was known by the end of that day. For a
deal with `deal_history` snapshots every field comes from the snapshots dated by then; the
`deals` table is read only for what does not change (owner, account, product, type, currency,
created). A deal without snapshots falls back to its stage events for the stage and to the
`deals` table for amount and close date: that deal knows less, because those two are today's.

Build a `DealHistory` once and call `.as_of(day)` for each day of a backtest; `deals_as_of` is
the one-day shortcut.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
from sqlalchemy import Engine, select

from attain.data.columnar import load_into_duckdb
from attain.data.schema import ForecastCall
from attain.data.stages import StageCatalog, stage_catalog

HISTORY_TABLES = ("deals", "deal_stage_events", "deal_history")
DATE_COLUMNS = ("created", "stage_entered", "close_date", "first_close_date", "decided")
COLUMNS = (
    "deal",
    "owner",
    "account",
    "product",
    "type",
    "currency",
    "created",
    "stage",
    "category",
    "stage_entered",
    "days_in_stage",
    "age_days",
    "amount",
    "first_amount",
    "close_date",
    "first_close_date",
    "slips",
    "slip_days",
    "amount_changes",
    "forecast_category",
    "decided",
    "from_history",
)
"""What `as_of` returns, one row per deal; `from_history` is False for a deal that fell back."""

_PREPARE = """
CREATE TABLE snap AS
WITH ordered AS (
  SELECT deal, "at", stage, CAST(amount AS DOUBLE) AS amount, close_date, forecast_category,
    row_number() OVER (ORDER BY deal, "at", id) AS seq,
    lag(stage) OVER w AS prev_stage,
    last_value(CAST(amount AS DOUBLE) IGNORE NULLS) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
      AND 1 PRECEDING) AS prev_amount,
    last_value(close_date IGNORE NULLS) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
      AND 1 PRECEDING) AS prev_close
  FROM deal_history
  WINDOW w AS (PARTITION BY deal ORDER BY "at", id)
)
SELECT deal, "at", stage, amount, close_date, forecast_category, seq,
  prev_stage IS NULL OR prev_stage <> stage AS stage_change,
  COALESCE(amount <> prev_amount, FALSE) AS amount_change,
  COALESCE(close_date > prev_close, FALSE) AS slip,
  CASE WHEN close_date > prev_close THEN date_diff('day', prev_close, close_date) ELSE 0 END
    AS slip_days
FROM ordered;
CREATE TABLE deal_facts AS
SELECT d.id AS deal, d.owner, d.account, d.product, d.type, d.currency,
  COALESCE(d.created, CAST(h.first_at AS DATE), CAST(e.first_at AS DATE)) AS created,
  d.stage AS stage_now, CAST(d.amount AS DOUBLE) AS amount_now, d.close_date AS close_now
FROM deals d
LEFT JOIN (SELECT deal, min("at") AS first_at FROM deal_history GROUP BY deal) h ON h.deal = d.id
LEFT JOIN (SELECT deal, min("at") AS first_at FROM deal_stage_events GROUP BY deal) e
  ON e.deal = d.id;
"""

_AS_OF = """
WITH h AS (
  SELECT deal,
    arg_max(stage, seq) AS stage,
    arg_max(forecast_category, seq) FILTER (WHERE forecast_category IS NOT NULL) AS fc,
    arg_max(amount, seq) FILTER (WHERE amount IS NOT NULL) AS amount,
    arg_min(amount, seq) FILTER (WHERE amount IS NOT NULL) AS first_amount,
    arg_max(close_date, seq) FILTER (WHERE close_date IS NOT NULL) AS close_date,
    arg_min(close_date, seq) FILTER (WHERE close_date IS NOT NULL) AS first_close_date,
    max("at") FILTER (WHERE stage_change) AS entered,
    sum(CAST(slip AS BIGINT)) AS slips,
    sum(slip_days) AS slip_days,
    sum(CAST(amount_change AS BIGINT)) AS amount_changes
  FROM snap WHERE "at" < $cutoff GROUP BY deal
), ev AS (
  SELECT deal, arg_max(to_stage, "at") AS stage, max("at") AS entered
  FROM deal_stage_events WHERE "at" < $cutoff GROUP BY deal
)
SELECT f.deal, f.owner, f.account, f.product, f.type, f.currency, f.created,
  h.deal IS NOT NULL AS from_history,
  COALESCE(h.stage, ev.stage) AS stage,
  f.stage_now, f.close_now,
  COALESCE(h.entered, ev.entered, CAST(f.created AS TIMESTAMP)) AS entered,
  CASE WHEN h.deal IS NULL THEN f.amount_now ELSE h.amount END AS amount,
  CASE WHEN h.deal IS NULL THEN f.amount_now ELSE h.first_amount END AS first_amount,
  CASE WHEN h.deal IS NULL THEN f.close_now ELSE h.close_date END AS close_date,
  CASE WHEN h.deal IS NULL THEN f.close_now ELSE h.first_close_date END AS first_close_date,
  COALESCE(h.slips, 0) AS slips, COALESCE(h.slip_days, 0) AS slip_days,
  COALESCE(h.amount_changes, 0) AS amount_changes, h.fc AS forecast_category
FROM deal_facts f
LEFT JOIN h ON h.deal = f.deal
LEFT JOIN ev ON ev.deal = f.deal
WHERE f.created <= $day
ORDER BY f.deal
"""

FALLBACK_CATEGORY = {"open": "pipeline", "won": "closed", "lost": "omitted"}
"""The forecast category of a deal without snapshots (or snapshots without one), by category."""


class DealHistory:
    """Deals, their stage events and their snapshots, loaded once into DuckDB; `as_of(day)`
    rebuilds the pipeline as it stood at the end of any day from that one load.

    >>> history = DealHistory.load(engine)  # doctest: +SKIP
    >>> history.as_of(dt.date(2026, 3, 31))[["deal", "stage", "slips"]]  # doctest: +SKIP
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, catalog: StageCatalog) -> None:
        self._con = con
        self.catalog = catalog
        self._first_open = (catalog.names("open") or ("open",))[0]

    @classmethod
    def load(cls, engine: Engine) -> DealHistory:
        con = duckdb.connect()
        load_into_duckdb(engine, con, HISTORY_TABLES)
        con.execute(_PREPARE)
        return cls(con, stage_catalog(engine))

    @property
    def snapshots(self) -> int:
        """How many `deal_history` rows were loaded (0: every deal falls back)."""
        row = self._con.execute("SELECT count(*) FROM snap").fetchone()
        return int(row[0]) if row else 0

    def as_of(self, day: dt.date) -> pd.DataFrame:
        """Every deal created on or before `day`, with what was known at the end of `day`."""
        cutoff = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        df = self._con.execute(_AS_OF, {"cutoff": cutoff, "day": day}).df()
        return self._finish(df, day)

    def _finish(self, df: pd.DataFrame, day: dt.date) -> pd.DataFrame:
        stamp = pd.Timestamp(day)
        for col in ("created", "close_date", "first_close_date", "close_now"):
            df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
        df["entered"] = pd.to_datetime(df["entered"]).astype("datetime64[ns]")
        # A deal with no stage known by then: the deals table's stage, unless that is a decision
        # made after the day, when it was still at the first open stage as far as anyone knew.
        missing = df["stage"].isna()
        if missing.any():
            now = df.loc[missing, "stage_now"].fillna(self._first_open)
            decided_later = now.map(self.catalog.category).ne("open") & (
                df.loc[missing, "close_now"].isna() | (df.loc[missing, "close_now"] > stamp)
            )
            df.loc[missing, "stage"] = now.where(~decided_later, self._first_open)
        df["category"] = df["stage"].map(self._category_of(df["stage"]))
        closed = df["category"] != "open"
        entered_day = df["entered"].dt.normalize()
        told = df["close_date"].where(df["close_date"] <= stamp)
        df["decided"] = told.fillna(entered_day).where(closed)
        df["close_date"] = df["close_date"].where(~closed, df["decided"])
        df["stage_entered"] = entered_day
        df["days_in_stage"] = (stamp - entered_day).dt.days.astype("int64")
        df["age_days"] = (stamp - df["created"]).dt.days.astype("int64")
        df["forecast_category"] = df["forecast_category"].fillna(
            df["category"].map(FALLBACK_CATEGORY)
        )
        for col in ("slips", "slip_days", "amount_changes"):
            df[col] = df[col].astype("int64")
        for col in ("amount", "first_amount"):
            df[col] = df[col].astype("float64")
        for col in DATE_COLUMNS:
            df[col] = df[col].astype("datetime64[ns]")
        return df[list(COLUMNS)].reset_index(drop=True)

    def _category_of(self, stages: pd.Series) -> dict[str, str]:
        return {s: self.catalog.category(s) for s in stages.dropna().unique()}


def deals_as_of(engine: Engine, day: dt.date) -> pd.DataFrame:
    """The pipeline at the end of `day`: one row per deal created by then (see `COLUMNS`).

    For many days, load a `DealHistory` once and call `.as_of` for each.
    """
    return DealHistory.load(engine).as_of(day)


def calls_as_of(engine: Engine, day: dt.date, period: str) -> pd.DataFrame:
    """The forecast calls for `period` in force at the end of `day`: per payee and category, the
    latest one submitted by then. Columns payee, category, amount (Decimal), currency,
    submitted_at, submitted_by."""
    cutoff = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    query = (
        select(
            ForecastCall.payee,
            ForecastCall.category,
            ForecastCall.amount,
            ForecastCall.currency,
            ForecastCall.submitted_at,
            ForecastCall.submitted_by,
        )
        .where(ForecastCall.period == period, ForecastCall.submitted_at < cutoff)
        .order_by(ForecastCall.payee, ForecastCall.category, ForecastCall.submitted_at)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["payee", "category", "amount", "currency", "submitted_at", "submitted_by"]
    df = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    df = df.drop_duplicates(["payee", "category"], keep="last").reset_index(drop=True)
    df["amount"] = df["amount"].astype(object)
    df["submitted_at"] = pd.to_datetime(df["submitted_at"]).astype("datetime64[ns]")
    return df
