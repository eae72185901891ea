"""Quota planning compares amounts in one currency: a EUR rep's bookings history is converted by
`fx_rates` into the planning currency (USD), the quota drafted from it is in USD, and the quotas
published say so in their `currency` column; on each store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from attain.audit.actor import Actor
from attain.data.schema import Deal, FxRate, Person, Quota
from attain.data.store import get_engine
from attain.quota import PlanRequest, plan_quotas
from attain.quota.drafts import approve, create_draft, publish
from attain.quota.history import PLANNING_CURRENCY, load_history, open_store


@pytest.fixture
def company(store_url: str) -> str:
    from bench.quota_backtest import build_company

    build_company(store_url, reps=12, deals=1_500, seed=7)
    return store_url


def test_a_eur_reps_history_and_quota_are_in_the_planning_currency(company: str) -> None:
    engine = get_engine(company)
    with engine.connect() as conn:
        currency = {r.id: r.currency for r in conn.execute(select(Person.id, Person.currency))}
        rates = {(r.currency, r.month): r.rate for r in conn.execute(select(FxRate)).all()}
        deals = conn.execute(
            select(Deal.owner, Deal.amount, Deal.currency, Deal.close_date).where(
                Deal.stage == "closed_won",
                Deal.cancelled_date.is_(None),
                Deal.close_date.between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
            )
        ).all()
    eur, usd = "R00005", "R00004"
    assert (currency[eur], currency[usd]) == ("EUR", "USD")
    in_usd: dict[str, Decimal] = {}
    in_own: dict[str, Decimal] = {}
    for d in deals:
        rate = Decimal(1) if d.currency == "USD" else rates[d.currency, f"{d.close_date:%Y-%m}"]
        in_usd[d.owner] = in_usd.get(d.owner, Decimal(0)) + d.amount * rate
        in_own[d.owner] = in_own.get(d.owner, Decimal(0)) + d.amount

    history = load_history(open_store(engine), 2026)
    months = history.payee_months
    booked = months[months["month"].dt.year == 2025].groupby("payee")["bookings"].sum()
    assert float(in_usd[eur]) == pytest.approx(booked[eur], abs=0.01)
    assert in_usd[eur] > in_own[eur] * Decimal("1.07")  # the EUR amounts, converted

    quotas = plan_quotas(
        engine, "historical_growth", PlanRequest(year=2026, target=Decimal(20_000_000))
    )
    annual = quotas.quotas.set_index("payee")["amount"].astype(float)
    # The same growth on each rep's USD bookings: the EUR rep's quota is not off by the rate.
    assert annual[eur] / float(in_usd[eur]) == pytest.approx(
        annual[usd] / float(in_usd[usd]), rel=1e-4
    )

    draft = create_draft(engine, Actor("ops", "finance"), quotas)
    approve(engine, Actor("cfo", "finance"), draft.id)
    written = publish(engine, Actor("cfo", "finance"), draft.id)
    with engine.connect() as conn:
        published = conn.execute(select(Quota.payee, Quota.amount, Quota.currency)).all()
    assert len(published) == written == len(annual)
    assert {q.currency for q in published} == {PLANNING_CURRENCY} == {"USD"}
    assert {q.payee: float(q.amount) for q in published}[eur] == annual[eur]
