"""/payouts: totals per period and plan, for finance."""

from __future__ import annotations

from fastapi import APIRouter

from attain.web import pay
from attain.web.access import require
from attain.web.api.models import PeriodTotalOut
from attain.web.deps import EngineDep, ScopeDep, ViewerDep

router = APIRouter(prefix="/payouts", tags=["payouts"])


@router.get("", response_model=list[PeriodTotalOut])
def payouts(viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> list[PeriodTotalOut]:
    """Totals per period and plan in the latest run, newest period first."""
    require(viewer, "payouts.view")
    return [PeriodTotalOut(**t.__dict__) for t in pay.payouts_by_period(engine, scope.payees)]
