"""The backtest for year Y sees nothing dated in Y or later: rows dated then cannot move a quota."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from attain.data.schema import Deal, FxRate, Person
from attain.data.store import get_engine, session
from attain.quota import METHODS, PlanRequest, plan_quotas
from attain.quota.history import load_history, open_store

YEAR = 2025


def _all_quotas(url: str) -> dict[str, pd.DataFrame]:
    engine = get_engine(url)
    return {
        name: plan_quotas(engine, name, PlanRequest(year=YEAR)).quotas.reset_index(drop=True)
        for name in METHODS
    }


def _poison(url: str) -> None:
    """Rows dated in the backtest year or later, each big enough to move any quota it reached."""
    with session(url) as s:
        for i in range(200):
            day = dt.date(YEAR, 1, 1) + dt.timedelta(days=i * 3)
            s.add(
                Deal(
                    id=f"POISON{i}",
                    owner="R00001",
                    account="A0000001",
                    stage="closed_won",
                    amount=Decimal(10_000_000),
                    currency="USD",
                    created=day,
                    close_date=day,
                )
            )
        s.add(  # a deal opened in Y (pipeline the plan could not have seen)
            Deal(
                id="POISON-OPEN",
                owner="R00002",
                account="A0000001",
                stage="open",
                amount=Decimal(99_000_000),
                currency="USD",
                created=dt.date(YEAR, 1, 1),
            )
        )
        s.add(  # someone moved into a territory and a new hire, both in Y
            Person(
                id="R00003",
                valid_from=dt.date(YEAR, 1, 1),
                role="account_executive",
                territory="T00001",
                hired=dt.date(2020, 1, 1),
            )
        )
        s.add(
            Person(
                id="LATE",
                valid_from=dt.date(YEAR, 2, 1),
                role="account_executive",
                territory="T00002",
                hired=dt.date(YEAR, 2, 1),
            )
        )
        for m in range(1, 13):  # exchange rates of Y gone wild
            s.merge(FxRate(currency="EUR", month=f"{YEAR}-{m:02d}", rate=Decimal(50)))


def test_rows_dated_in_the_backtest_year_change_no_quota(fresh_company: str) -> None:
    before = _all_quotas(fresh_company)
    _poison(fresh_company)
    after = _all_quotas(fresh_company)
    for name in METHODS:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_frame_the_methods_receive_ends_before_the_year(
    fresh_company: str, year: int
) -> None:
    _poison(fresh_company)
    history = load_history(open_store(get_engine(fresh_company)), year)
    latest = history.max_date()
    assert latest is not None
    assert latest < dt.date(year, 1, 1), f"history for {year} holds a row dated {latest}"
