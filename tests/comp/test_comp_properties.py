"""Invariants of the engine, checked on generated plans and data (small, on one DuckDB)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import ibis
import pytest
from comp_helpers import load_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attain.comp import Result, calculate, load_plans
from attain.comp.decimals import to_cents

CON = ibis.duckdb.connect()
SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

money = st.decimals(min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=Decimal("0.30"), places=2)


@st.composite
def tier_lists(draw: st.DrawFn, rising: bool = False) -> list[tuple[Decimal, Decimal]]:
    steps = draw(st.lists(st.integers(1, 60000), min_size=0, max_size=3))
    froms = [Decimal(0), *itertools.accumulate(Decimal(s) for s in steps)]
    rs = draw(st.lists(rates, min_size=len(froms), max_size=len(froms)))
    if rising:
        rs = sorted(rs)
    return list(zip(froms, rs, strict=True))


def _plan(components: str) -> str:
    return f"""
id: ae
currency: USD
period: month
credits:
  - {{id: owner, from: deals, to: owner, value: amount, date: close_date}}
measures:
  bookings: {{sum: value}}
components:
{components}
"""


def _tiers(tiers: list[tuple[Decimal, Decimal]]) -> str:
    return "[" + ", ".join(f"{{from: {f}, rate: {r}}}" for f, r in tiers) + "]"


def _run(
    amounts: list[Decimal], text: str, splits: list[dict[str, object]] | None = None
) -> Result:
    deals = [
        {"id": f"d{i}", "owner": "ana", "amount": a, "close_date": date(2027, 1, 1 + i % 28)}
        for i, a in enumerate(amounts)
    ]
    tables: dict[str, list[dict[str, object]]] = {"deals": deals}
    if splits is not None:
        tables["deal_splits"] = splits or [{"deal": "none", "payee": "x", "share": Decimal(1)}]
    load_tables(CON, tables)
    assignments = [
        {"payee": p, "plan": "ae", "from": date(2027, 1, 1), "to": None}
        for p in ("ana", "ben", "cy")
    ]
    return calculate(CON, load_plans(text), assignments, date(2027, 1, 1), date(2027, 1, 31))


def _amount(result: Result, component: str) -> Decimal:
    return sum((ln.amount for ln in result.lines if ln.component == component), Decimal(0))


def _marginal(measure: Decimal, tiers: list[tuple[Decimal, Decimal]]) -> Decimal:
    total = Decimal(0)
    for i, (lower, rate) in enumerate(tiers):
        upper = tiers[i + 1][0] if i + 1 < len(tiers) else None
        top = measure if upper is None else min(measure, upper)
        total += max(top - lower, Decimal(0)) * rate
    return total


@SETTINGS
@given(amounts=st.lists(money, min_size=1, max_size=4), tiers=tier_lists())
def test_marginal_tiers_pay_the_sum_of_their_slices(
    amounts: list[Decimal], tiers: list[tuple[Decimal, Decimal]]
) -> None:
    text = _plan(f"  - {{id: commission, measure: bookings, tiers: {_tiers(tiers)}}}")
    result = _run(amounts, text)
    assert _amount(result, "commission") == to_cents(_marginal(sum(amounts, Decimal(0)), tiers))
    for line in result.lines:
        slices = sum((s.amount or Decimal(0) for s in line.trace.tiers), Decimal(0))
        assert to_cents(slices) == line.amount
        assert line.trace.reproduce() == line.amount


@SETTINGS
@given(amounts=st.lists(money, min_size=1, max_size=4), tiers=tier_lists(rising=True))
def test_retroactive_pays_at_least_marginal_when_rates_rise(
    amounts: list[Decimal], tiers: list[tuple[Decimal, Decimal]]
) -> None:
    spec = _tiers(tiers)
    text = _plan(
        f"  - {{id: marginal, measure: bookings, tiers: {spec}}}\n"
        f"  - {{id: retro, measure: bookings, tier_mode: retroactive, tiers: {spec}}}"
    )
    result = _run(amounts, text)
    assert _amount(result, "retro") >= _amount(result, "marginal")


@st.composite
def split_rows(draw: st.DrawFn) -> tuple[list[Decimal], list[dict[str, object]]]:
    amounts = draw(st.lists(money, min_size=1, max_size=3))
    rows: list[dict[str, object]] = []
    for i in range(len(amounts)):
        if draw(st.booleans()):
            cut = draw(st.integers(1, 99))
            rows += [
                {"deal": f"d{i}", "payee": "ben", "share": Decimal(cut) / 100},
                {"deal": f"d{i}", "payee": "cy", "share": Decimal(100 - cut) / 100},
            ]
    return amounts, rows


@SETTINGS
@given(data=split_rows())
def test_splits_conserve_value(data: tuple[list[Decimal], list[dict[str, object]]]) -> None:
    amounts, rows = data
    text = _plan("  - {id: commission, measure: bookings, rate: 0.10}").replace(
        "date: close_date}",
        "date: close_date, splits: {from: deal_splits, key: deal, payee: payee, share: share}}",
    )
    result = _run(amounts, text, splits=rows)
    assert sum((c.value for c in result.credits), Decimal(0)) == sum(amounts, Decimal(0))


@settings(max_examples=10, deadline=None, derandomize=True)
@given(
    amounts=st.lists(
        st.decimals(min_value=-5000, max_value=90000, places=2), min_size=1, max_size=4
    ),
    tiers=tier_lists(),
    cap=st.one_of(st.none(), money),
)
def test_running_twice_gives_identical_lines_and_traces_reproduce(
    amounts: list[Decimal], tiers: list[tuple[Decimal, Decimal]], cap: Decimal | None
) -> None:
    capped = f", cap: {cap}" if cap is not None else ""
    text = _plan(
        f"  - {{id: commission, measure: bookings, tiers: {_tiers(tiers)}{capped}}}\n"
        "  - {id: flat, measure: bookings, rate: 0.035}\n"
        "  - {id: bonus, amount: 250, gate: bookings >= 50000}"
    )
    first = _run(amounts, text)
    second = _run(amounts, text)
    assert first.lines == second.lines
    for line in first.lines:
        assert line.trace.reproduce() == line.amount


@pytest.mark.parametrize("value", ["0.005", "-0.005", "1.115", "-1.115", "2.5E-3"])
def test_to_cents_rounds_half_away_from_zero(value: str) -> None:
    d = Decimal(value)
    expected = (abs(d) * 100 + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR") / 100
    assert to_cents(d) == (expected if d >= 0 else -expected)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    amounts=st.lists(
        st.decimals(min_value=-20000, max_value=90000, places=2), min_size=1, max_size=8
    ),
    months=st.lists(st.integers(1, 6), min_size=8, max_size=8),
    threshold=st.integers(0, 150000),
    tiers=tier_lists(),
)
def test_year_increments_by_window_functions_match_the_period_by_period_settle(
    amounts: list[Decimal], months: list[int], threshold: int, tiers: list[tuple[Decimal, Decimal]]
) -> None:
    """Uncapped year windows run as window functions, capped ones per payee in Python: the two
    must agree whenever the cap never binds."""
    deals = [
        {"id": f"d{i}", "owner": "ana", "amount": a, "close_date": date(2027, months[i], 10)}
        for i, a in enumerate(amounts)
    ]
    load_tables(CON, {"deals": deals})
    spec = _tiers(tiers)
    gate = f"bookings >= {threshold}"
    text = _plan(
        f"  - {{id: sql, measure: bookings, window: year, tiers: {spec}, gate: {gate}}}\n"
        f"  - {{id: settle, measure: bookings, window: year, tiers: {spec}, gate: {gate}, cap: 1000000000}}"
    )
    assignments = [{"payee": "ana", "plan": "ae", "from": date(2027, 1, 1), "to": None}]
    result = calculate(CON, load_plans(text), assignments, date(2027, 1, 1), date(2027, 6, 30))
    by = {
        c: [(ln.period, ln.amount) for ln in result.lines if ln.component == c]
        for c in ("sql", "settle")
    }
    assert by["sql"] == by["settle"]
    for line in result.lines:
        assert line.trace.reproduce() == line.amount


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    sales=st.lists(
        st.tuples(
            st.dates(min_value=date(2026, 12, 20), max_value=date(2028, 1, 10)),
            st.decimals(min_value=-500, max_value=9000, places=2),
            st.sampled_from(["ana", "ben"]),
        ),
        min_size=1,
        max_size=12,
    ),
    kind=st.sampled_from(["week", "month", "quarter", "year"]),
    window=st.sampled_from(["period", "year"]),
)
def test_each_credit_counts_in_the_period_that_holds_its_date(
    sales: list[tuple[date, Decimal, str]], kind: str, window: str
) -> None:
    """Credits find their period by its first day (weeks ISO, from Monday): per payee and
    period, the measure is the sum of the credits dated in it (or in its year so far)."""
    from attain.comp.engine.periods import period_of, periods_between

    deals = [
        {"id": f"d{i}", "owner": who, "amount": a, "close_date": day}
        for i, (day, a, who) in enumerate(sales)
    ]
    load_tables(CON, {"deals": deals})
    text = _plan(f"  - {{id: flat, measure: bookings, rate: 1, window: {window}}}").replace(
        "period: month", f"period: {kind}"
    )
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    assignments = [
        {"payee": p, "plan": "ae", "from": date(2020, 1, 1), "to": None} for p in ("ana", "ben")
    ]
    lines = calculate(CON, load_plans(text), assignments, start, end).lines
    got = {(ln.payee, ln.period): ln.trace.measure_value for ln in lines}
    for payee in ("ana", "ben"):
        for p in periods_between(kind, start, end):
            key = p.key
            lo = p.year_start if window == "year" else p.start
            want = sum(
                (a for day, a, who in sales if who == payee and lo <= day <= p.end), Decimal(0)
            )
            line = got.get((payee, key))
            if line is not None or window == "period":  # a year window pays 0 when flat
                assert (line or Decimal(0)) == want, (payee, key)
    # and no credit is counted in a period that does not hold its date
    for (payee, key), value in got.items():
        if window == "period":
            assert value == sum(
                (a for day, a, who in sales if who == payee and period_of(day, kind).key == key),
                Decimal(0),
            )
