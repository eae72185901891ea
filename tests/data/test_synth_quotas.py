"""The demo's quotas are ones the engine accepts, whatever the seed and whatever the day.

Every payee on a demo plan needs a positive quota for the measure and window each plan divides
by, in every period of the pay run that the payee is assigned in. The demo's history ends with
the month before "today", so each month end over several years is tried as today; only the
quota step is generated (people, deals, orders, quotas), which keeps this cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.comp.demo import pay_span, role_spells
from attain.data.synth import SynthSpec, generate
from attain.data.synth.catalog import months_before_history
from attain.data.synth.company import quota_step
from attain.data.synth.demo import DEMO_SEED, demo_spec
from attain.data.synth.spec import last_complete_month_start

NEEDS = {
    "ae": ("bookings", "year"),
    "sales_manager": ("bookings", "quarter"),
    "store_associate": ("revenue", "month"),
    "store_manager": ("revenue", "week"),
}
"""What each demo plan divides by: attainment(measure) over the window (see comp/demo_plans)."""


def month_ends(first: int, last: int) -> list[dt.date]:
    days = []
    for year in range(first, last + 1):
        for month in range(1, 13):
            days.append(dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
    return days


def spec_as_of(today: dt.date, seed: int) -> SynthSpec:
    """A small demo-shaped company (both business lines) whose history ends before `today`,
    with few orders per associate so that months without a sale happen."""
    return SynthSpec(
        seed=seed,
        b2b_reps=10,
        b2c_associates=14,
        years=2,
        start=last_complete_month_start(today, 2),
        orders=1_500,
    )


def periods(kind: str, first: dt.date, last: dt.date) -> Iterator[str]:
    """The names of the periods of `kind` that overlap `first`..`last`."""
    if kind == "week":
        day = first - dt.timedelta(days=first.weekday())
        while day <= last:
            year, week, _ = day.isocalendar()
            yield f"{year}-W{week:02d}"
            day += dt.timedelta(days=7)
        return
    for month in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
        year, m = divmod(month, 12)
        if kind == "month":
            yield f"{year}-{m + 1:02d}"
        elif kind == "quarter" and (m % 3 == 0 or month == first.year * 12 + first.month - 1):
            yield f"{year}-Q{m // 3 + 1}"
        elif kind == "year" and (m == 0 or month == first.year * 12 + first.month - 1):
            yield str(year)


def quota_problems(spec: SynthSpec) -> list[str]:
    """Each (payee, measure, period) the demo's pay run would refuse: no quota, or not positive."""
    people, quotas = quota_step(spec)
    have = {(q["payee"], q["measure"], q["period"]): q["amount"] for q in quotas.to_pylist()}
    bad = [f"{k}: {v}" for k, v in have.items() if not v > Decimal(0)]
    run_from, run_to = pay_span(spec)
    rows = zip(
        *(people.column(c).to_pylist() for c in ("id", "role", "valid_from", "valid_to", "hired")),
        strict=True,
    )
    for payee, plan, begin, end in role_spells(rows):
        first, last = max(begin, run_from), min(end or run_to, run_to)
        if first > last:
            continue
        measure, kind = NEEDS[plan]
        for period in periods(kind, first, last):
            if (payee, measure, period) not in have:
                bad.append(f"{plan} {payee} {measure} {period}: no quota")
    return bad


@pytest.mark.parametrize("seed", [1, 42])
def test_no_quota_is_missing_or_zero_for_any_month_end_as_today(seed: int) -> None:
    found = {
        str(today): problems
        for today in month_ends(2024, 2028)
        if (problems := quota_problems(spec_as_of(today, seed)))
    }
    assert not found, {day: p[:3] for day, p in list(found.items())[:5]}


@pytest.mark.parametrize(
    "today", [dt.date(2026, 12, 1), dt.date(2027, 1, 31), *month_ends(2025, 2028)[2::3]]
)
def test_the_demo_companys_own_quotas_are_accepted(today: dt.date) -> None:
    """The demo's own size and seed (its quota step takes under a second)."""
    assert quota_problems(demo_spec(DEMO_SEED, today))[:5] == []


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    today=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
)
def test_no_quota_is_missing_or_zero_for_any_seed_and_day(seed: int, today: dt.date) -> None:
    assert quota_problems(spec_as_of(today, seed)) == []


def test_money_quotas_carry_the_payees_currency_and_unit_quotas_none() -> None:
    people, quotas = quota_step(spec_as_of(dt.date(2026, 12, 1), 7))
    currency_of = dict(
        zip(people.column("id").to_pylist(), people.column("currency").to_pylist(), strict=True)
    )
    for q in quotas.to_pylist():
        expected = None if q["measure"] == "units" else currency_of[q["payee"]]
        assert q["currency"] == expected, q
    assert {"EUR", "USD", None} <= {q["currency"] for q in quotas.to_pylist()}


@pytest.mark.parametrize("start", [dt.date(2025, 1, 1), dt.date(2024, 12, 1), dt.date(2026, 6, 1)])
def test_fx_rates_cover_the_month_every_money_quota_starts_in(start: dt.date) -> None:
    """A quota converts at its period's first month (a year's January, a week's Monday)."""
    spec = SynthSpec(seed=3, b2b_reps=6, b2c_associates=6, years=2, start=start)
    company = generate(spec)
    rates = {(r["currency"], r["month"]) for r in company.tables["fx_rates"].to_pylist()}
    for q in company.tables["quotas"].to_pylist():
        if q["currency"] is not None:
            assert (q["currency"], first_month(q["period"])) in rates, q
    assert months_before_history(spec) >= 0


def first_month(period: str) -> str:
    if "-W" in period:
        year, week = period.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1).strftime("%Y-%m")
    if "-Q" in period:
        year, q = period.split("-Q")
        return f"{year}-{3 * int(q) - 2:02d}"
    return period if "-" in period else f"{period}-01"


def test_quota_step_quotas_are_the_whole_companys() -> None:
    spec = spec_as_of(dt.date(2026, 12, 1), 5)
    _, quotas = quota_step(spec)
    assert quotas.equals(generate(spec).tables["quotas"])
    assert isinstance(quotas, pa.Table)
