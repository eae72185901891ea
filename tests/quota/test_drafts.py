"""Drafts are adjusted with a reason, approved by someone else, published in one go, and every
change is audited; on each store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

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


@pytest.fixture
def store_company(store_url: str) -> str:
    from bench.quota_backtest import build_company

    build_company(store_url, reps=12, deals=1_500, seed=7)
    return store_url


def test_draft_to_published_quotas_with_audit(store_company: str) -> None:
    engine = get_engine(store_company)
    request = PlanRequest(year=2026, target=Decimal(20_000_000), periods="quarter")
    draft = create_draft(engine, plan_quotas(engine, "data_driven", request), "ana")
    lines = draft_lines(engine, draft.id)
    assert len(lines) == 12 * 4
    assert sum(lines["amount"]) == sum(lines["proposed"])
    payee = str(lines["payee"].iloc[0])

    with pytest.raises(QuotaError, match="reason"):
        adjust(engine, draft.id, payee, "2026-Q1", Decimal(1), " ", "ana")
    before = lines.set_index(["payee", "period"]).loc[(payee, "2026-Q1"), "amount"]
    adjust(engine, draft.id, payee, "2026-Q1", Decimal("123456.4"), "territory split", "ana")
    with pytest.raises(QuotaError, match="someone else"):
        approve(engine, draft.id, "ana")
    with pytest.raises(QuotaError, match="approve it before publishing"):
        publish(engine, draft.id, "ana")
    approve(engine, draft.id, "ben")
    with pytest.raises(QuotaError, match="only a draft can be adjusted"):
        adjust(engine, draft.id, payee, "2026-Q1", Decimal(1), "late", "ana")
    assert publish(engine, draft.id, "ben") == 48

    with session(store_company) as s:
        published = {(q.payee, q.period): q.amount for q in s.scalars(select(Quota)).all()}
    assert len(published) == 48
    assert published[(payee, "2026-Q1")] == Decimal(123456)
    trail = audit_trail(engine, draft.id)
    assert [a.action for a in trail] == ["create", "adjust", "approve", "publish"]
    change = trail[1]
    assert (change.by, change.payee, change.period, change.reason) == (
        "ana",
        payee,
        "2026-Q1",
        "territory split",
    )
    assert Decimal(change.before or "0") == before and change.after == "123456"


def test_republishing_replaces_quotas_and_keeps_the_old_values(store_company: str) -> None:
    engine = get_engine(store_company)
    request = PlanRequest(year=2026, target=Decimal(20_000_000))
    first = create_draft(engine, plan_quotas(engine, "top_down", request), "ana")
    second = create_draft(engine, plan_quotas(engine, "data_driven", request), "ana")
    diff = compare(engine, first.id, second.id)
    assert len(diff) == 12 and diff["difference"].abs().sum() > 0
    for d in (first, second):
        approve(engine, d.id, "ben")
        publish(engine, d.id, "ben")
    with session(store_company) as s:
        rows = s.scalars(select(Quota)).all()
    assert len(rows) == 12
    assert {r.amount for r in rows} == set(diff[second.id])
    replaced = audit_trail(engine, second.id)[-1].before
    assert replaced is not None and len(replaced) > 10
