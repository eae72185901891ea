"""The generated company is deterministic, complete and internally consistent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from test_synth_shared import SPEC, company, frame

from attain.data.schema import DATA_TABLES, Base
from attain.data.synth import SynthSpec, generate
from attain.data.synth.write import conform

MONEY_COLUMNS = [
    (t.name, c.name)
    for t in Base.metadata.sorted_tables
    if t.name in DATA_TABLES
    for c in t.columns
    if type(c.type).__name__ == "Money"
]
"""Money columns of the revenue data tables: the ones the generator fills."""


def test_same_seed_same_company() -> None:
    small = SynthSpec(seed=11, b2b_reps=10, b2c_associates=12, years=1, start=dt.date(2025, 1, 1))
    first, again = generate(small), generate(small)
    assert first.tables.keys() == again.tables.keys()
    for name, rows in first.tables.items():
        assert rows.equals(again.tables[name]), name
    assert first.truths == again.truths
    other = generate(
        SynthSpec(seed=12, b2b_reps=10, b2c_associates=12, years=1, start=dt.date(2025, 1, 1))
    )
    assert not other.tables["deals"].equals(first.tables["deals"])


def test_every_data_table_but_assignments_is_filled() -> None:
    counts = company().row_counts()
    empty = [t for t in DATA_TABLES if counts.get(t, 0) == 0]
    assert empty == ["plan_assignments"]


@pytest.mark.parametrize("name", [t for t in DATA_TABLES if t != "plan_assignments"])
def test_references_exist(name: str) -> None:
    rows = conform(name, company().tables[name])
    for column in Base.metadata.tables[name].columns:
        target = column.info.get("ref")
        if not target:
            continue
        t_name, t_col = target.split(".")
        known = set(company().tables[t_name][t_col].to_pylist())
        used = {v for v in rows[column.name].to_pylist() if v is not None}
        missing = used - known
        assert not missing, f"{name}.{column.name} -> {target}: {sorted(missing)[:5]}"


def test_primary_keys_are_unique() -> None:
    for name in DATA_TABLES:
        if name not in company().tables:
            continue
        keys = [c.name for c in Base.metadata.tables[name].primary_key.columns]
        df = company().tables[name].select(keys).to_pandas()
        assert not df.duplicated().any(), name


@pytest.mark.parametrize(("table", "column"), MONEY_COLUMNS)
def test_money_is_exact_decimal(table: str, column: str) -> None:
    assert table in company().tables and column in company().tables[table].column_names
    kind = company().tables[table][column].type
    assert pa.types.is_decimal(kind), f"{table}.{column} is {kind}"
    value = company().tables[table][column].drop_null()[0].as_py()
    assert isinstance(value, Decimal)


def test_people_history_is_effective_dated() -> None:
    people = frame("people")
    moved = people[people.id.duplicated(keep=False)].sort_values(["id", "valid_from"])
    assert moved.id.nunique() >= 2, "some people should change team or manager mid-history"
    for _, versions in moved.groupby("id"):
        for k in range(len(versions) - 1):
            first, second = versions.iloc[k], versions.iloc[k + 1]
            assert first.valid_to + dt.timedelta(days=1) == second.valid_from
            assert (first.team, first.manager) != (second.team, second.manager)
    assert people.manager.notna().sum() == len(people) - 1, "everyone but the top has a manager"
    for role in ("account_executive", "sales_manager", "store_associate", "store_manager"):
        assert (people.role == role).any(), role


def test_orders_are_sold_by_someone_employed_at_that_store() -> None:
    orders = frame("orders").sample(5000, random_state=1)
    people = frame("people")
    stores = frame("stores")
    team_store = {f"store-{s[1:]}": s for s in stores.id}
    joined = orders.merge(people, left_on="seller", right_on="id", suffixes=("", "_p"))
    open_end = joined.valid_to.fillna(dt.date(9999, 12, 31))
    in_force = joined[(joined.valid_from <= joined.date) & (joined.date <= open_end)]
    assert in_force.id.nunique() == len(orders)
    assert (in_force.team.map(team_store) == in_force.store).all()


def test_deals_look_like_deals() -> None:
    deals = frame("deals")
    assert set(deals.type) == {"new", "expansion", "renewal"}
    assert set(deals.currency) >= {"USD", "EUR", "GBP"}
    assert (deals.created <= deals.close_date).all()
    won = deals[deals.stage == "won"]
    assert won.paid_date.notna().mean() > 0.7
    assert 0 < won.cancelled_date.notna().mean() < 0.1
    assert (won.cancelled_date.dropna() > won.close_date[won.cancelled_date.notna()]).all()
    end = SPEC.end
    assert (deals[deals.stage.isin(["won", "lost"])].close_date <= end).all()
    assert (deals[~deals.stage.isin(["won", "lost"])].close_date > end).all()
    events = frame("deal_stage_events").sort_values(["deal", "at"])
    last = events.groupby("deal").tail(1).set_index("deal").to_stage
    assert (last.reindex(deals.id).to_numpy() == deals.stage.to_numpy()).all()
    walk = events.groupby("deal").to_stage.apply(list)
    assert walk[won.id.iloc[0]] == [
        "prospecting",
        "qualification",
        "proposal",
        "negotiation",
        "won",
    ]


def test_quota_periods_and_measures() -> None:
    quotas = frame("quotas")
    assert set(quotas.measure) == {"bookings", "revenue", "units"}
    periods = quotas.period
    assert periods.str.fullmatch(r"\d{4}").any()
    assert periods.str.fullmatch(r"\d{4}-Q[1-4]").any()
    assert periods.str.fullmatch(r"\d{4}-\d{2}").any()
    assert periods.str.fullmatch(r"\d{4}-W\d{2}").any()
    bookings = quotas[quotas.measure == "bookings"]
    annual = bookings[bookings.period.str.len() == 4].set_index(["payee", "period"]).amount
    quarters = bookings[bookings.period.str.contains("Q")].assign(year=lambda d: d.period.str[:4])
    summed = quarters.groupby(["payee", "year"]).amount.sum()
    summed.index.names = ["payee", "period"]
    assert (annual.sort_index() == summed.sort_index()).all(), "quarters add up to the year"


def test_quotas_follow_last_year_not_potential() -> None:
    """Second-year quota = first-year actual plus the growth target (for reps with a full year)."""
    quotas = frame("quotas")
    deals = frame("deals")
    people = frame("people").drop_duplicates("id")
    tenured = people[(people.role == "account_executive") & (people.hired < dt.date(2023, 1, 1))].id
    won = deals[(deals.stage == "won") & (pd.to_datetime(deals.close_date).dt.year == 2024)]
    actual = won.groupby("owner").amount.sum().astype(float)
    quota = (
        quotas[(quotas.measure == "bookings") & (quotas.period == "2025")]
        .set_index("payee")
        .amount.astype(float)
    )
    both = pd.DataFrame({"actual": actual, "quota": quota}).loc[list(tenured)].dropna()
    ratio = both.quota / both.actual
    assert np.allclose(ratio.median(), 1.15, atol=0.05)


def test_fx_rates_cover_every_month_and_currency() -> None:
    fx = frame("fx_rates")
    assert set(fx.currency) == {"USD", "EUR", "GBP"}
    assert fx.groupby("currency").month.nunique().eq(24).all()
    assert (fx[fx.currency == "USD"].rate == Decimal(1)).all()


def test_a_manager_is_replaced_mid_history() -> None:
    """The team's people switch to the new manager on the day the old one leaves."""
    people = frame("people")
    change = company().truths["hierarchy_changes"]["manager_replacements"][0]
    day = dt.date.fromisoformat(change["day"])
    old = people[people.id == change["leaves"]]
    assert list(old.valid_to) == [day - dt.timedelta(days=1)]
    new = people[people.id == change["takes_over"]]
    assert list(new.valid_from) == [day]
    in_force = people[(people.valid_from <= day) & (people.valid_to.fillna(dt.date.max) >= day)]
    team = in_force[in_force.team == change["team"]]
    assert len(team) > 1
    assert set(team.manager.dropna()) == {change["takes_over"], new.manager.iloc[0]}
    assert not (people.manager.eq(change["leaves"]) & (people.valid_from >= day)).any()


def test_retail_quotas_are_last_years_month_plus_growth() -> None:
    orders = frame("orders")
    month = pd.to_datetime(orders.date).dt.strftime("%Y-%m")
    actual = orders.amount.astype(float).groupby([orders.seller, month]).sum()
    quotas = frame("quotas")
    revenue = quotas[(quotas.measure == "revenue") & quotas.period.str.fullmatch(r"2025-\d{2}")]
    prior = [
        actual.get((p, "2024" + m[4:]), np.nan)
        for p, m in zip(revenue.payee, revenue.period, strict=True)
    ]
    ratio = revenue.amount.astype(float).to_numpy() / np.array(prior)
    assert np.nanmedian(ratio) == pytest.approx(1.08, abs=0.02)


def test_same_seed_same_company_across_processes() -> None:
    """No dependence on Python's per-process hash seed or anything else outside the seed."""
    import os
    import subprocess
    import sys

    script = (
        "import datetime as dt, hashlib, io, json\n"
        "import pyarrow.csv as c\n"
        "from attain.data.synth import SynthSpec, generate\n"
        "co = generate(SynthSpec(seed=9, b2b_reps=8, b2c_associates=12, years=1, start=dt.date(2025, 3, 1)))\n"
        "h = hashlib.sha256()\n"
        "for k in sorted(co.tables):\n"
        "    b = io.BytesIO(); c.write_csv(co.tables[k], b); h.update(b.getvalue())\n"
        "h.update(json.dumps(co.truths, sort_keys=True).encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_public_surface() -> None:
    import attain.data.synth as synth

    assert sorted(synth.__all__) == sorted(
        [
            "Company",
            "StoreNotEmpty",
            "SynthSpec",
            "generate",
            "last_complete_month_start",
            "truth",
            "truths",
            "write_csv",
            "write_store",
        ]
    )
    for name in synth.__all__:
        assert getattr(synth, name).__doc__, f"{name} needs a docstring"
