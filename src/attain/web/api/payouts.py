"""/payouts: totals per period and plan, for finance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from attain.access import require
from attain.pay import current as pay
from attain.web.api.models import Page, PeriodTotalOut
from attain.web.deps import EngineDep, ScopeDep, ViewerDep

router = APIRouter(prefix="/payouts", tags=["payouts"])


@router.get("", response_model=Page[PeriodTotalOut])
def payouts(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[PeriodTotalOut]:
    """Totals per period and plan in the published run, newest period first, each in its
    plan's currency."""
    require(viewer, "payouts.view")
    found = pay.payouts_by_period(engine, scope.payees)
    return Page(
        items=[
            PeriodTotalOut(**{**t.__dict__, "currency": t.currency or None})
            for t in found[offset : offset + limit]
        ],
        total=len(found),
        limit=limit,
        offset=offset,
    )
