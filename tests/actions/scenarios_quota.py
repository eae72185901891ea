"""Scenarios for the quota draft actions: create, adjust, approve, publish."""

from __future__ import annotations

from decimal import Decimal

from actions_world import FINANCE, PREPARER, Scenario, World

from attain.quota import PlanRequest, plan_quotas
from attain.quota.drafts import adjust, approve, create_draft, publish
from attain.quota.schema import QuotaDraft

REQUEST = PlanRequest(year=2028, target=Decimal(1_000_000))


def _draft(w: World) -> QuotaDraft:
    return create_draft(w.engine, PREPARER, plan_quotas(w.engine, "top_down", REQUEST))


def quota_create(w: World) -> None:
    with w.expect(PREPARER, "quota.create"):
        _draft(w)


def quota_adjust(w: World) -> None:
    draft = _draft(w)
    with w.expect(PREPARER, "quota.adjust"):
        adjust(w.engine, PREPARER, draft.id, "ana", "2028", Decimal(600_000), "territory split")


def quota_approve(w: World) -> None:
    draft = _draft(w)
    with w.expect(FINANCE, "quota.approve"):
        approve(w.engine, FINANCE, draft.id)


def quota_publish(w: World) -> None:
    draft = _draft(w)
    approve(w.engine, FINANCE, draft.id)
    with w.expect(FINANCE, "quota.publish"):
        publish(w.engine, FINANCE, draft.id)


SCENARIOS: dict[str, Scenario] = {
    "quota.create": quota_create,
    "quota.adjust": quota_adjust,
    "quota.approve": quota_approve,
    "quota.publish": quota_publish,
}
