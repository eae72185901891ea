"""The store's B2B pipeline read once, and rebuilt as it stood at the end of any day.

A forecast may use only what was known on its as-of day; `PipelineBook.as_of(day)` is the one
gate. Where the store keeps deal history (`attain.data.asof`), a deal's stage, amount and
expected close date are the ones recorded by that day. Without it the stage comes from the
stage-change events and the amount and close date are today's (they know less, and a close
date read that way may be the real decision date: the stage-rates model never reads it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from attain.data.columnar import load_into_duckdb
from attain.data.schema import DealStage
from attain.data.stages import StageCatalog, stage_catalog
from attain.quota.history import PLANNING_CURRENCY

TABLES = ("deals", "deal_stage_events", "fx_rates", "people", "quotas")


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


@dataclass
class PipelineBook:
    """Deals, their stage events, rates, people and quotas of one store, loaded once."""

    catalog: StageCatalog
    stage_probability: dict[str, float]
    deals: pd.DataFrame
    events: pd.DataFrame
    fx: pd.DataFrame
    people: pd.DataFrame
    quotas: pd.DataFrame
    history: Any = None
    calls: Any = None
    """A deal-history reader with `.as_of(day)` (attain.data.asof), when the store has one."""

    @classmethod
    def load(cls, engine: Engine) -> PipelineBook:
        con = duckdb.connect()
        try:
            load_into_duckdb(engine, con, TABLES)
            deals = _frame(
                con,
                """SELECT id AS deal, name, owner, account, product, type,
                          CAST(amount AS DOUBLE) AS amount, currency, stage AS final_stage,
                          created, close_date AS final_close_date, cancelled_date
                   FROM deals WHERE amount IS NOT NULL ORDER BY id""",
            )
            events = _frame(
                con, 'SELECT deal, to_stage, "at" FROM deal_stage_events ORDER BY deal, "at", id'
            )
            fx = _frame(con, "SELECT currency, month, CAST(rate AS DOUBLE) AS rate FROM fx_rates")
            people = _frame(
                con,
                "SELECT id, valid_from, valid_to, name, role, manager, team, currency "
                "FROM people ORDER BY id, valid_from",
            )
            quotas = _frame(
                con,
                "SELECT payee, measure, period, CAST(amount AS DOUBLE) AS amount, currency "
                "FROM quotas",
            )
        finally:
            con.close()
        with engine.connect() as conn:
            probs = conn.execute(select(DealStage.name, DealStage.probability)).all()
        for col in ("created", "final_close_date", "cancelled_date"):
            deals[col] = pd.to_datetime(deals[col])
        events["at"] = pd.to_datetime(events["at"])
        for col in ("valid_from", "valid_to"):
            people[col] = pd.to_datetime(people[col])
        return cls(
            catalog=stage_catalog(engine),
            stage_probability={n: float(p) for n, p in probs if p is not None},
            deals=deals,
            events=events,
            fx=fx,
            people=people,
            quotas=quotas,
            history=_history_reader(engine),
            calls=_calls_reader(engine),
        )

    @property
    def knows_history(self) -> bool:
        """Whether stage, amount and close date as of a day come from recorded history."""
        return self.history is not None

    def as_of(self, day: dt.date) -> pd.DataFrame:
        """Every deal created on or before `day`, as known at the end of `day` (the columns of
        `attain.data.asof.deals_as_of`), with `name` and `amount_usd` (planning currency, at
        the rate of `day`'s month)."""
        if self.history is not None:
            known = self.history.as_of(day)
            known = known.merge(self.deals[["deal", "name"]], on="deal", how="left")
        else:
            known = self._from_events(day)
        known = known.copy()
        known["amount_usd"] = known["amount"].astype(float) * self.rates(known["currency"], day)
        return known.reset_index(drop=True)

    def _from_events(self, day: dt.date) -> pd.DataFrame:
        cutoff = pd.Timestamp(day) + pd.Timedelta(days=1)
        deals = self.deals[self.deals["created"] < cutoff]
        ev = self.events[self.events["at"] < cutoff]
        last = ev.groupby("deal", sort=False).tail(1).set_index("deal")
        first_open = self.catalog.names("open")[0] if self.catalog.names("open") else "open"
        out = deals[["deal", "owner", "account", "product", "type", "currency", "created"]].copy()
        joined = out[["deal"]].merge(
            last[["to_stage", "at"]], left_on="deal", right_index=True, how="left"
        )
        stage = joined["to_stage"]
        entered = pd.to_datetime(joined["at"]).dt.normalize()
        out["stage"] = stage.fillna(first_open).to_numpy()
        out["category"] = [self.catalog.category(s) for s in out["stage"]]
        out["stage_entered"] = entered.fillna(out["created"]).to_numpy()
        today = pd.Timestamp(day)
        out["days_in_stage"] = (today - out["stage_entered"]).dt.days.astype(int)
        out["age_days"] = (today - out["created"]).dt.days.astype(int)
        out["amount"] = deals["amount"].to_numpy()
        out["first_amount"] = out["amount"]
        decided = out["category"] != "open"
        out["decided"] = out["stage_entered"].where(decided)
        out["close_date"] = deals["final_close_date"].where(~decided, out["decided"]).to_numpy()
        out["first_close_date"] = out["close_date"]
        out["slips"] = 0
        out["slip_days"] = 0
        out["amount_changes"] = 0
        out["forecast_category"] = ""
        out["name"] = deals["name"].to_numpy()
        return out

    def calls_as_of(self, day: dt.date, period: str) -> pd.DataFrame | None:
        """The calls in force at the end of `day` for `period`, or None without recorded calls."""
        if self.calls is None:
            return None
        return self.calls(day, period)

    def rates(self, currency: pd.Series, day: dt.date) -> np.ndarray:
        """Planning-currency worth of one unit of each currency, at `day`'s month (or the
        latest month before it with a rate; 1 for the planning currency itself)."""
        month = f"{day:%Y-%m}"
        known = self.fx[self.fx["month"] <= month].sort_values("month")
        latest = known.groupby("currency")["rate"].last().to_dict()
        latest.setdefault(PLANNING_CURRENCY, 1.0)
        rates: np.ndarray = currency.fillna(PLANNING_CURRENCY).map(latest).astype(float).to_numpy()
        return rates

    def rate(self, currency: str | None, day: dt.date) -> float:
        return float(self.rates(pd.Series([currency]), day)[0])

    def people_on(self, day: dt.date) -> pd.DataFrame:
        """The people rows in force on `day`: id, name, role, manager, team, currency."""
        t = pd.Timestamp(day)
        p = self.people
        live = p[(p["valid_from"] <= t) & (p["valid_to"].isna() | (p["valid_to"] >= t))]
        return live.drop_duplicates("id", keep="last").set_index("id")


def _history_reader(engine: Engine) -> Any:
    """The store's deal-history reader, or None when attain or the store has no deal history."""
    try:
        from attain.data import asof
    except ImportError:
        return None
    loader = getattr(asof, "DealHistory", None)
    if loader is None:
        return None
    try:
        reader = loader.load(engine) if hasattr(loader, "load") else loader(engine)
    except Exception:  # a store migrated before deal history existed
        return None
    return reader if getattr(reader, "snapshots", 0) > 0 else None


def _calls_reader(engine: Engine) -> Any:
    """`(day, period) -> calls in force`, or None when the store records no forecast calls."""
    try:
        from attain.data.asof import calls_as_of
        from attain.data.schema import ForecastCall
    except ImportError:
        return None
    with engine.connect() as conn:
        try:
            held = conn.execute(select(ForecastCall.payee).limit(1)).first()
        except Exception:  # a store migrated before forecast calls existed
            return None
    if held is None:
        return None
    return lambda day, period: calls_as_of(engine, day, period)
