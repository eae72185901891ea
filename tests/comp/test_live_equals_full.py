"""Live equals full: after any change a user can make, the pay shown now (the published run with
live lines laid over it) equals, to the cent, a full run over the same data and span."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from live_company import CURRENCIES, END, MANAGERS, MONTHS, PAYEES, REPS, START, build, reset
from sqlalchemy import Engine, delete, insert, select, update
from store_runs import Key, engine_lines

from attain.comp.live import (
    ever_above,
    fx_changed,
    people_changed,
    quotas_changed,
    rows_changed,
    touched,
)
from attain.comp.runs import read_plans
from attain.data.schema import Deal, DealSplit, FxRate, Person, PlanAssignment, Quota
from attain.data.store import get_engine
from attain.pay.current import payee_lines
from examples_budget import examples

Change = tuple[Any, ...]


@pytest.fixture
def company(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, Path]:
    """The company, published, on a fresh store; looked at on the run's last day."""
    monkeypatch.setenv("ATTAIN_TODAY", END.isoformat())
    plans = build(store_url, tmp_path)
    return get_engine(store_url), plans


def shown(engine: Engine) -> dict[Key, Decimal]:
    """What every payee is paid now: the published run with live lines over it."""
    return {
        (ln.payee, ln.plan, ln.period, ln.component): ln.amount
        for p in PAYEES
        for ln in payee_lines(engine, p)
        if ln.amount != 0
    }


def full(engine: Engine, plans: Path) -> dict[Key, Decimal]:
    """A full run over the store's data as it is now, for the published run's span."""
    return engine_lines(engine, read_plans(plans)[0], START, END)


def _deal_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Deal.id)).scalars())


def _pick(engine: Engine, index: int) -> str:
    ids = _deal_ids(engine)
    return ids[index % len(ids)]


def _deal_write(engine: Engine, deal: str, write: Callable[[Any], None]) -> None:
    """A deal write as the app makes it: who it credited before, the write, then live."""
    before = touched(engine, "deals", [deal])
    with engine.begin() as conn:
        write(conn)
    rows_changed(engine, "deals", [deal], before)


def apply(engine: Engine, change: Change) -> None:
    kind, *args = change
    if kind == "new":
        owner, amount, currency, day, stage = args
        deal = f"N{len(_deal_ids(engine))}"
        row = {
            "id": deal,
            "name": deal,
            "owner": owner,
            "amount": amount,
            "currency": currency,
            "stage": stage,
            "close_date": day,
        }
        _deal_write(engine, deal, lambda c: c.execute(insert(Deal).values(**row)))
    elif kind in ("amount", "date", "stage", "owner", "cancelled"):
        index, value = args
        deal = _pick(engine, index)
        column = {"date": "close_date", "cancelled": "cancelled_date"}.get(kind, kind)
        if kind == "cancelled":
            with engine.connect() as conn:
                closed = conn.execute(select(Deal.close_date).where(Deal.id == deal)).scalar_one()
            value = closed + dt.timedelta(days=value)
        _deal_write(
            engine,
            deal,
            lambda c: c.execute(update(Deal).where(Deal.id == deal).values({column: value})),
        )
    elif kind == "delete":
        deal = _pick(engine, args[0])

        def remove(c: Any) -> None:
            c.execute(delete(DealSplit).where(DealSplit.deal == deal))
            c.execute(delete(Deal).where(Deal.id == deal))

        _deal_write(engine, deal, remove)
    elif kind == "split":
        index, payees = args
        deal = _pick(engine, index)
        share = Decimal(1) / len(payees) if payees else Decimal(0)

        def split(c: Any) -> None:
            c.execute(delete(DealSplit).where(DealSplit.deal == deal))
            if payees:
                c.execute(
                    insert(DealSplit), [{"deal": deal, "payee": p, "share": share} for p in payees]
                )

        _deal_write(engine, deal, split)
    elif kind == "manager":
        person, manager, month = args
        day = dt.date.fromisoformat(month + "-01")
        above = ever_above(engine, [person])  # a version edited in place forgets them
        with engine.begin() as conn:
            current = conn.execute(
                select(Person).where(Person.id == person, Person.valid_to.is_(None))
            ).one()
            if current.valid_from >= day:  # a version from that day already: change it
                conn.execute(
                    update(Person)
                    .where(Person.id == person, Person.valid_from == current.valid_from)
                    .values(manager=manager)
                )
            else:
                conn.execute(
                    update(Person)
                    .where(Person.id == person, Person.valid_from == current.valid_from)
                    .values(valid_to=day - dt.timedelta(days=1))
                )
                conn.execute(
                    insert(Person).values(id=person, valid_from=day, valid_to=None, manager=manager)
                )
        people_changed(engine, [person], min(day, current.valid_from), before=above)
    elif kind == "quota":
        payee, period, amount = args
        with engine.begin() as conn:
            conn.execute(
                update(Quota)
                .where(Quota.payee == payee, Quota.period == period)
                .values(amount=amount)
            )
        quotas_changed(engine, [(payee, period)])
    elif kind == "fx":
        currency, month, rate = args
        with engine.begin() as conn:
            conn.execute(
                update(FxRate)
                .where(FxRate.currency == currency, FxRate.month == month)
                .values(rate=rate)
            )
        fx_changed(engine, [(currency, month)])
    else:  # pragma: no cover - the strategies draw only the kinds above
        raise AssertionError(kind)


days = st.dates(START - dt.timedelta(days=45), END)  # some before the published run
index = st.integers(0, 50)
money = st.decimals(Decimal("-5000"), Decimal("250000"), places=2)
changes = st.one_of(
    st.tuples(
        st.just("new"),
        st.sampled_from([*REPS, "mia"]),
        money,
        st.sampled_from(CURRENCIES),
        days,
        st.sampled_from(["won", "won", "open", "lost"]),
    ),
    st.tuples(st.just("amount"), index, money),
    st.tuples(st.just("date"), index, days),
    st.tuples(st.just("stage"), index, st.sampled_from(["won", "lost", "open"])),
    st.tuples(st.just("owner"), index, st.sampled_from(REPS)),
    st.tuples(st.just("cancelled"), index, st.integers(1, 120)),
    st.tuples(st.just("delete"), index),
    st.tuples(
        st.just("split"),
        index,
        st.lists(st.sampled_from(REPS), max_size=3, unique=True),
    ),
    st.tuples(
        st.just("manager"),
        st.sampled_from(REPS),
        st.sampled_from(MANAGERS),
        st.sampled_from(MONTHS),
    ),
    st.tuples(
        st.just("quota"),
        st.sampled_from(REPS),
        st.just("2027"),
        st.decimals(Decimal("50000"), Decimal("400000"), places=0),
    ),
    st.tuples(
        st.just("quota"),
        st.sampled_from(MANAGERS),
        st.sampled_from(["2027-Q1", "2027-Q2"]),
        st.decimals(Decimal("50000"), Decimal("300000"), places=0),
    ),
    st.tuples(
        st.just("fx"),
        st.sampled_from(["EUR", "GBP"]),
        st.sampled_from(MONTHS),
        st.decimals(Decimal("0.80"), Decimal("1.60"), places=4),
    ),
)


def check(engine: Engine, plans: Path, history: list[Change]) -> None:
    reset(engine)
    for n, change in enumerate(history):
        apply(engine, change)
        assert shown(engine) == full(engine, plans), f"after change {n}: {change}"


@pytest.mark.slow
@settings(
    max_examples=examples(4, 40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(changes, min_size=1, max_size=3))
@example(history=[("manager", "ana", "max", "2027-03"), ("manager", "ana", "mia", "2027-03")])
@example(history=[("split", 0, ["cal", "dee"]), ("owner", 0, "ben"), ("split", 0, [])])
def test_live_lines_equal_a_full_run_after_any_changes(
    company: tuple[Engine, Path], history: list[Change]
) -> None:
    check(*company, history)


def test_the_published_run_is_what_is_shown_before_any_change(
    company: tuple[Engine, Path],
) -> None:
    engine, plans = company
    now = shown(engine)
    assert now == full(engine, plans)
    assert {k[0] for k in now} == set(PAYEES)  # every payee, every plan is paid something


def test_a_change_looked_at_mid_run_keeps_the_later_periods_of_the_run(
    company: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: live lines ended today, so on a day inside the published run's span the
    periods after today vanished from the pay shown (the run pays them, live lines replace
    them from the change on)."""
    engine, plans = company
    monkeypatch.setenv("ATTAIN_TODAY", "2027-03-15")
    apply(engine, ("amount", 2, Decimal("45000.00")))  # D3, ben's February deal split with cal
    now = shown(engine)
    assert ("cal", "ae", "2027-04", "commission") in now  # cal's April, after today
    assert ("vic", "director", "2027-Q2", "override") in now  # vic's second quarter
    assert now == full(engine, plans)


def test_a_manager_change_moves_the_overrides_from_that_day(
    company: tuple[Engine, Path],
) -> None:
    """ana moves from mia to max in March: her March deal's Q1 override goes to max, her
    January deal's stays with mia; both are paid again live."""
    engine, plans = company
    apply(engine, ("manager", "ana", "max", "2027-03"))
    now = shown(engine)
    assert now == full(engine, plans)
    assert now[("max", "manager", "2027-Q1", "override")] > Decimal("0")


def test_a_deal_moved_before_the_published_run_is_not_paid_live_before_it(
    company: tuple[Engine, Path],
) -> None:
    """Regression: a deal dated before the run's first day was paid live in a period the
    published run does not span (and a people row in force since 1900 recalculated from 1900)."""
    engine, plans = company
    with engine.begin() as conn:  # ana is on her plan (with a quota) since 2026
        conn.execute(
            update(PlanAssignment)
            .where(PlanAssignment.payee == "ana")
            .values(valid_from=dt.date(2026, 1, 1))
        )
        conn.execute(
            insert(Quota).values(payee="ana", measure="bookings", period="2026", amount=1000)
        )
    apply(engine, ("date", 0, dt.date(2026, 12, 15)))  # D1, ana's January deal
    now = shown(engine)
    assert not [k for k in now if k[2] < "2027"]
    assert now == full(engine, plans)


def test_a_draw_recovered_after_a_change_keeps_the_balance_of_earlier_periods(
    company: tuple[Engine, Path],
) -> None:
    """Regression: max's first quarter is below his draw (the shortfall is his balance), his
    second quarter recovers it; after a May deal of his team the live recalculation started
    the balance again in the second quarter, and the recovery vanished."""
    engine, plans = company
    apply(engine, ("new", "dee", Decimal("400000.00"), "USD", dt.date(2027, 5, 12), "won"))
    now = shown(engine)
    assert now[("max", "manager", "2027-Q2", "draw")] < 0  # a recovery
    assert now == full(engine, plans)
