"""Deal history and forecast calls: the tables, their import, and the demo company's history."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import inspect

from attain.data.ingest import ImportOptions, import_file
from attain.data.store import get_engine
from attain.data.synth import SynthSpec, generate
from attain.data.synth.accounts import build_accounts
from attain.data.synth.catalog import fx_rates
from attain.data.synth.company import Company, build_org
from attain.data.synth.deal_history import build_deal_history
from attain.data.synth.deals import build_deals

SPEC = SynthSpec(seed=5, b2b_reps=20, years=2, start=dt.date(2024, 1, 1))


@cache
def company() -> Company:
    return generate(SPEC)


def frame(name: str) -> pd.DataFrame:
    return company().tables[name].to_pandas()


def test_migration_creates_both_tables(store_url: str) -> None:
    found = inspect(get_engine(store_url))
    assert {c["name"] for c in found.get_columns("deal_history")} == {
        "id", "deal", "at", "stage", "amount", "close_date", "forecast_category", "by",
    }  # fmt: skip
    assert found.get_pk_constraint("forecast_calls")["constrained_columns"] == [
        "payee",
        "period",
        "category",
        "submitted_at",
    ]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_deal_history_imports_and_a_bad_row_names_row_and_column(
    sqlite_url: str, tmp_path: Path
) -> None:
    people = _write(tmp_path / "people.csv", "id,name\nben,Ben\n")
    deals = _write(
        tmp_path / "deals.csv", "id,owner,stage,amount,currency\nD-1,ben,won,25000,EUR\n"
    )
    for table, path in (("people", people), ("deals", deals)):
        import_file(table, path, db=sqlite_url, options=ImportOptions())
    good = _write(
        tmp_path / "history.csv",
        "id,deal,at,stage,amount,close_date,forecast_category,by\n"
        "D-1-H1,D-1,2027-01-05 09:12,prospecting,30000,2027-01-31,pipeline,ben\n"
        "D-1-H2,D-1,2027-02-10 16:40,won,25000,2027-02-10,closed,ben\n",
    )
    report = import_file("deal_history", good, db=sqlite_url, options=ImportOptions())
    assert (report.inserted, report.rejected) == (2, 0)
    bad = _write(
        tmp_path / "bad.csv",
        "id,deal,at,stage,amount,close_date,forecast_category,by\n"
        "D-1-H3,D-1,2027-02-11 10:00,won,25000,2027-02-10,closed,ben\n"
        "D-1-H4,D-1,2027-02-12 10:00,won,lots,2027-02-10,closed,ben\n"
        "D-9-H1,D-9,2027-02-12 10:00,won,100,2027-02-10,closed,ben\n",
    )
    report = import_file(
        "deal_history",
        bad,
        db=sqlite_url,
        options=ImportOptions(skip_invalid=True),
        label="bad.csv",
    )
    problems = [str(p) for p in report.problems]
    assert report.rejected == 2
    assert any(p.startswith("bad.csv:3:amount:") for p in problems), problems
    assert any(p.startswith("bad.csv:4:deal:") for p in problems), problems


def test_forecast_calls_import_checks_the_payee(sqlite_url: str, tmp_path: Path) -> None:
    import_file("people", _write(tmp_path / "p.csv", "id\nben\n"), db=sqlite_url)
    calls = _write(
        tmp_path / "calls.csv",
        "payee,period,category,submitted_at,amount,currency,submitted_by\n"
        "ben,2027-Q1,commit,2027-01-04 09:30,200000,EUR,ben\n"
        "zed,2027-Q1,commit,2027-01-04 09:30,1,EUR,ben\n",
    )
    report = import_file(
        "forecast_calls",
        calls,
        db=sqlite_url,
        options=ImportOptions(skip_invalid=True),
        label="calls.csv",
    )
    assert (report.inserted, report.rejected) == (1, 1)
    assert str(report.problems[0]).startswith("calls.csv:3:payee:")


def test_a_decided_deal_ends_with_its_decision() -> None:
    history = frame("deal_history")
    deals = frame("deals").set_index("id")
    last = history.sort_values(["deal", "at"]).groupby("deal").tail(1).set_index("deal")
    decided = deals[deals["stage"].isin(["won", "lost"])]
    assert set(decided.index) <= set(last.index)
    end = last.loc[decided.index]
    assert (end["stage"] == decided["stage"]).all()
    assert (end["close_date"] == decided["close_date"]).all()
    assert (end["amount"] == decided["amount"]).all()
    expected = decided["stage"].map({"won": "closed", "lost": "omitted"})
    assert (end["forecast_category"] == expected).all()
    assert history["at"].max() < pd.Timestamp(SPEC.end + dt.timedelta(days=1))


def _per_deal() -> pd.DataFrame:
    history = frame("deal_history").sort_values(["deal", "at"])
    history["amount"] = history["amount"].astype(float)
    history["close_date"] = pd.to_datetime(history["close_date"])
    previous = history.groupby("deal")["close_date"].shift()
    # A slip is an open deal's expected close date moving later (not the decision itself).
    history["slip"] = (history["close_date"] > previous) & ~history["stage"].isin(["won", "lost"])
    outcome = frame("deals").set_index("id")["stage"]
    per = history.groupby("deal").agg(
        slips=("slip", "sum"), first=("amount", "first"), last=("amount", "last")
    )
    per["outcome"] = outcome.reindex(per.index)
    return per


def test_lost_deals_slip_more_and_shrink_more_than_won_ones() -> None:
    per = _per_deal()
    slips = per.groupby("outcome")["slips"].mean()
    assert slips["lost"] > 1.5 * slips["won"]
    shrink = np.log(per["first"] / per["last"]).groupby(per["outcome"]).mean()
    assert shrink["lost"] > 2 * shrink["won"] > 0


def test_slips_bunch_at_quarter_ends() -> None:
    history = frame("deal_history").sort_values(["deal", "at"])
    close = pd.to_datetime(history["close_date"])
    slipped = history[close > close.groupby(history["deal"]).shift()]
    day = pd.to_datetime(slipped["at"]).dt.normalize()
    quarter_end = day.dt.to_period("Q").dt.end_time.dt.normalize()
    last_week = ((quarter_end - day).dt.days < 7).mean()
    assert last_week > 3 * 7 / 91


def test_sandbaggers_call_below_the_outcome_and_over_callers_above_it() -> None:
    calls = frame("forecast_calls")
    calls = calls[calls["category"] == "commit"].copy()
    deals = frame("deals")
    won = deals[deals["stage"] == "won"].copy()
    quarter = pd.to_datetime(won["close_date"]).dt.to_period("Q")
    won["period"] = quarter.dt.year.astype(str) + "-Q" + quarter.dt.quarter.astype(str)
    won["amount"] = won["amount"].astype(float)
    outcome = won.groupby(["owner", "period"])["amount"].sum().rename("outcome")
    calls = calls.join(outcome, on=["payee", "period"], how="inner")
    calls = calls[calls["outcome"] > 0]
    ratio = calls["amount"].astype(float) / calls["outcome"]
    factors = company().truths["forecast_call_habits"]["values"]
    habit = calls["payee"].map(factors)
    sandbaggers, over = ratio[habit < 0.9].mean(), ratio[habit > 1.1].mean()
    straight = ratio[(habit >= 0.9) & (habit <= 1.1)].mean()
    assert sandbaggers < 1 and sandbaggers < straight < over


def test_every_rep_and_first_line_manager_calls_each_monday() -> None:
    calls = frame("forecast_calls")
    at = pd.to_datetime(calls["submitted_at"])
    assert (at.dt.day_of_week == 0).all()
    people = frame("people")
    reps = set(people.loc[people["role"] == "account_executive", "id"])
    managers = set(people.loc[people["id"].isin(reps), "manager"])
    assert reps | managers == set(calls["payee"])
    assert set(calls["category"]) == {"commit", "best_case"}
    periods = at.dt.to_period("Q")
    assert (
        calls["period"] == periods.dt.year.astype(str) + "-Q" + periods.dt.quarter.astype(str)
    ).all()


def test_history_has_its_own_random_stream() -> None:
    org = build_org(SPEC)
    alone = build_deals(SPEC, org, build_accounts(SPEC, org), fx_rates(SPEC))
    assert company().tables["deals"].equals(alone.table)
    assert company().tables["deal_stage_events"].equals(alone.events)
    again = build_deal_history(SPEC, org, alone)
    assert again.table.equals(company().tables["deal_history"])
    assert company().truths["deal_history_model"]["slips_per_deal"]["lost"] > 1


@pytest.mark.parametrize("key", ["deal_history_model", "forecast_call_habits"])
def test_the_truths_are_recorded(key: str) -> None:
    assert key in company().truths
