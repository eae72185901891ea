"""Each method gives a quota per payee that meets its promise, and the edge cases are handled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from attain.data.schema import Person
from attain.data.store import get_engine, session
from attain.quota import METHODS, PlanRequest, QuotaError, plan_quotas
from attain.quota.history import load_history, open_store
from attain.quota.methods import method

TARGET = Decimal(50_000_000)


@pytest.mark.parametrize("name", ["top_down", "historical_growth", "data_driven"])
def test_target_methods_add_up_to_target_with_over_assignment(company_url: str, name: str) -> None:
    quotas = plan_quotas(
        get_engine(company_url), name, PlanRequest(year=2026, target=TARGET, over_assignment=0.1)
    )
    assert abs(quotas.total - TARGET * Decimal("1.1")) <= len(quotas.quotas)  # whole-unit rounding
    assert (quotas.quotas["amount"] >= 0).all()
    assert quotas.quotas["payee"].is_unique


def test_bottom_up_is_not_forced_to_the_target_and_says_how_far_off(company_url: str) -> None:
    quotas = plan_quotas(
        get_engine(company_url), "bottom_up", PlanRequest(year=2026, target=TARGET)
    )
    assert quotas.total > 0
    assert any("against the target" in w for w in quotas.warnings)


@pytest.mark.parametrize("periods,count", [("year", 1), ("quarter", 4), ("month", 12)])
def test_lines_are_whole_units_and_periods_add_up_to_the_year(
    company_url: str, periods: str, count: int
) -> None:
    quotas = plan_quotas(
        get_engine(company_url),
        "data_driven",
        PlanRequest(year=2026, target=TARGET, periods=periods),
    )
    lines = quotas.lines()
    assert len(lines) == count * len(quotas.quotas)
    assert all(isinstance(x.amount, Decimal) and x.amount == x.amount.to_integral() for x in lines)
    by_payee: dict[str, Decimal] = {}
    for x in lines:
        by_payee[x.payee] = by_payee.get(x.payee, Decimal(0)) + x.amount
    annual = {r.payee: Decimal(int(r.amount)) for r in quotas.quotas.itertuples()}
    assert by_payee == annual
    if periods == "quarter":
        assert lines[0].period == "2026-Q1" and lines[0].starts == dt.date(2026, 1, 1)
        assert lines[3].ends == dt.date(2026, 12, 31)


def test_data_driven_spreads_by_learned_seasonality_and_gives_intervals(company_url: str) -> None:
    quotas = plan_quotas(
        get_engine(company_url),
        "data_driven",
        PlanRequest(year=2026, target=TARGET, periods="month"),
    )
    shares = quotas.monthly.drop(columns="payee").mean(axis=0).to_numpy()
    assert shares[11] > shares[0] * 1.5  # the generator books most in December
    q = quotas.quotas[quotas.quotas["amount"] > 0]
    assert (q["low"] <= q["amount"]).all() and (q["amount"] <= q["high"]).all()


def test_new_hire_without_history_gets_a_ramped_quota(fresh_company: str) -> None:
    with session(fresh_company) as s:
        s.add(
            Person(
                id="NEW",
                valid_from=dt.date(2025, 12, 1),
                name="New Hire",
                role="account_executive",
                territory="T00001",
                hired=dt.date(2025, 12, 1),
            )
        )
    engine = get_engine(fresh_company)
    for name in METHODS:
        q = plan_quotas(engine, name, PlanRequest(year=2026, target=TARGET)).quotas.set_index(
            "payee"
        )
        assert "NEW" in q.index, name
        assert q.loc["NEW", "ramp"] < 0.9
        if name in ("top_down", "data_driven"):
            # Same territory share as the tenured seller beside them, scaled down by ramp.
            others = q[(q["territory"] == "T00001") & (q.index != "NEW")]
            assert q.loc["NEW", "amount"] < others["amount"].max()
    hist = plan_quotas(engine, "historical_growth", PlanRequest(year=2026, target=TARGET)).quotas
    assert "median" in hist.set_index("payee").loc["NEW", "note"]


def test_territory_with_no_accounts_is_flagged(company_url: str) -> None:
    q = plan_quotas(
        get_engine(company_url),
        "top_down",
        PlanRequest(year=2026, target=TARGET, basis="territory_size"),
    )
    empty = q.quotas[q.quotas["note"].str.contains("no accounts")]
    assert len(empty) == 1 and float(empty["amount"].iloc[0]) == 0.0
    assert any("no quota" in w for w in q.warnings)


def test_target_below_last_year_is_honoured_with_a_warning(company_url: str) -> None:
    engine = get_engine(company_url)
    q = plan_quotas(engine, "historical_growth", PlanRequest(year=2026, target=Decimal(1_000_000)))
    assert any("below last year's bookings" in w for w in q.warnings)
    assert any("growth applied: -" in w for w in q.warnings)
    assert abs(q.total - Decimal(1_100_000)) <= len(q.quotas)


def test_single_rep_team_gets_the_whole_target(sqlite_url: str) -> None:
    from bench.quota_backtest import build_company

    build_company(sqlite_url, reps=1, deals=300, seed=2)
    for name in ("top_down", "historical_growth", "data_driven"):
        q = plan_quotas(get_engine(sqlite_url), name, PlanRequest(year=2026, target=TARGET))
        assert len(q.quotas) == 1
        assert abs(q.total - TARGET * Decimal("1.1")) <= 1


def test_unknown_method_and_bad_requests_are_clear_errors(company_url: str) -> None:
    with pytest.raises(QuotaError, match="unknown method"):
        method("gut_feel")
    with pytest.raises(QuotaError, match="periods"):
        PlanRequest(year=2026, periods="fortnight")
    with pytest.raises(QuotaError, match="positive"):
        PlanRequest(year=2026, target=Decimal(0))
    with pytest.raises(QuotaError, match="no sellers"):
        plan_quotas(get_engine(company_url), "top_down", PlanRequest(year=2000, target=TARGET))


def test_history_of_a_plan_year_holds_nothing_dated_in_it(company_url: str) -> None:
    history = load_history(open_store(get_engine(company_url)), 2025)
    latest = history.max_date()
    assert latest is not None and latest < dt.date(2025, 1, 1)


def test_history_ending_mid_year_is_said_and_not_counted_as_a_full_year(sqlite_url: str) -> None:
    from attain.data.synth import SynthSpec, generate, write_store

    spec = SynthSpec(seed=2, b2b_reps=12, years=2, start=dt.date(2024, 11, 1))
    write_store(generate(spec), get_engine(sqlite_url))
    engine = get_engine(sqlite_url)
    history = load_history(open_store(engine), 2027)
    assert history.full_years() == [2025]
    q = plan_quotas(engine, "data_driven", PlanRequest(year=2027))
    assert any("history ends 2026-10" in w for w in q.warnings)
    assert any("too little history to learn from" in w for w in q.warnings)
    assert q.total > 0
