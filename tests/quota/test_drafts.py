"""Drafts are adjusted with a reason, approved by someone else, published in one go, and every
change is audited; on each store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from attain.audit import verify_log
from attain.audit.actor import Actor
from attain.data.schema import Quota
from attain.data.store import get_engine, session
from attain.quota import PlanRequest, QuotaError, plan_quotas
from attain.quota.drafts import (
    adjust,
    approve,
    audit_trail,
    compare,
    create_draft,
    draft_lines,
    publish,
)

ANA = Actor("ana", "finance")
BEN = Actor("ben", "finance")


@pytest.fixture
def store_company(store_url: str) -> str:
    from bench.quota_backtest import build_company

    build_company(store_url, reps=12, deals=1_500, seed=7)
    return store_url


def test_draft_to_published_quotas_with_audit(store_company: str) -> None:
    engine = get_engine(store_company)
    request = PlanRequest(year=2026, target=Decimal(20_000_000), periods="quarter")
    draft = create_draft(engine, ANA, plan_quotas(engine, "data_driven", request))
    lines = draft_lines(engine, draft.id)
    assert len(lines) == 12 * 4
    assert sum(lines["amount"]) == sum(lines["proposed"])
    payee = str(lines["payee"].iloc[0])

    with pytest.raises(QuotaError, match="reason"):
        adjust(engine, ANA, draft.id, payee, "2026-Q1", Decimal(1), " ")
    before = lines.set_index(["payee", "period"]).loc[(payee, "2026-Q1"), "amount"]
    adjust(engine, ANA, draft.id, payee, "2026-Q1", Decimal("123456.4"), "territory split")
    with pytest.raises(QuotaError, match="someone else"):
        approve(engine, ANA, draft.id)
    with pytest.raises(QuotaError, match="approve it before publishing"):
        publish(engine, ANA, draft.id)
    approve(engine, BEN, draft.id)
    with pytest.raises(QuotaError, match="only a draft can be adjusted"):
        adjust(engine, ANA, draft.id, payee, "2026-Q1", Decimal(1), "late")
    assert publish(engine, BEN, draft.id) == 48

    with session(store_company) as s:
        published = {(q.payee, q.period): q.amount for q in s.scalars(select(Quota)).all()}
    assert len(published) == 48
    assert published[(payee, "2026-Q1")] == Decimal(123456)
    trail = audit_trail(engine, draft.id)
    assert [a.action for a in trail] == [
        "quota.create",
        "quota.adjust",
        "quota.approve",
        "quota.publish",
    ]
    assert [a.actor for a in trail] == ["ana", "ana", "ben", "ben"]
    change = trail[1]
    assert (change.actor, change.after["payee"], change.after["period"], change.reason) == (
        "ana",
        payee,
        "2026-Q1",
        "territory split",
    )
    assert Decimal(change.before["amount"]) == before and change.after["amount"] == "123456"
    assert verify_log(engine) == (4, [])


def test_a_rep_cannot_plan_quotas(store_company: str) -> None:
    from attain.actions import NotAllowed

    engine = get_engine(store_company)
    request = PlanRequest(year=2026, target=Decimal(20_000_000))
    with pytest.raises(NotAllowed, match=r"quotas\.plan"):
        create_draft(engine, Actor("rob", "rep"), plan_quotas(engine, "top_down", request))


def test_republishing_replaces_quotas_and_keeps_the_old_values(store_company: str) -> None:
    engine = get_engine(store_company)
    request = PlanRequest(year=2026, target=Decimal(20_000_000))
    first = create_draft(engine, ANA, plan_quotas(engine, "top_down", request))
    second = create_draft(engine, ANA, plan_quotas(engine, "data_driven", request))
    diff = compare(engine, first.id, second.id)
    assert len(diff) == 12 and diff["difference"].abs().sum() > 0
    for d in (first, second):
        approve(engine, BEN, d.id)
        publish(engine, BEN, d.id)
    with session(store_company) as s:
        rows = s.scalars(select(Quota)).all()
    assert len(rows) == 12
    assert {r.amount for r in rows} == set(diff[second.id])
    replaced = audit_trail(engine, second.id)[-1].before
    assert replaced is not None and len(replaced) > 10
