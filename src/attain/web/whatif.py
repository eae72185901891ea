"""The what-if on the payee's page and in the API: the published plans, priced by the engine
(see `attain.comp.whatif`); nothing here calculates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import duckdb
from sqlalchemy import Engine

from attain.comp.language import Plan, load_plans
from attain.comp.whatif import Estimate, OpenDeal, WhatIf, open_deals, what_if
from attain.web.live import load_rows_of
from attain.web.plan_versions import list_plans, published

__all__ = ["Estimate", "OpenDeal", "WhatIf", "estimate", "open_deals", "published_plans"]


def published_plans(engine: Engine) -> list[Plan]:
    """The published version of every plan kept in the store."""
    plans: list[Plan] = []
    for summary in list_plans(engine):
        record = published(engine, summary.plan)
        if record is not None:
            plans.extend(load_plans(record.text))
    return plans


def estimate(
    engine: Engine, payee: str, deals: Sequence[str], amount: Decimal, on: dt.date
) -> WhatIf:
    """The payee's pay with these open deals won (and `amount` more), by the published plans,
    reading only the rows that can credit the payee (as live recalculation does)."""

    def load(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
        load_rows_of(engine, con, tables, {payee})

    return what_if(engine, published_plans(engine), payee, deals, amount=amount, on=on, load=load)
