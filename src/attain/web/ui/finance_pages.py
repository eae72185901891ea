"""Finance: payouts by period, accruals, the payroll export."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attain.pay.accruals import accruals
from attain.web import charts, pay
from attain.web.access import require
from attain.web.deps import EngineDep, ScopeDep, ViewerDep
from attain.web.ui.render import render

router = APIRouter()


@router.get("/finance")
def finance(request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> Response:
    require(viewer, "payouts.view")
    totals = pay.payouts_by_period(engine, scope.payees)
    per_month: dict[str, Decimal] = defaultdict(Decimal)
    for t in totals:
        per_month[t.period[:7] if "-W" not in t.period else t.period[:4]] += t.total
    monthly = sorted((k, v) for k, v in per_month.items() if len(k) == 7 and "Q" not in k)
    run = pay.latest_run(engine)
    accrued: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for a in accruals(engine):
        if scope.sees(a.payee):
            accrued[(a.period, a.status)] += a.amount
    return render(
        request,
        "finance.html",
        {
            "totals": totals,
            "periods": sorted({t.period for t in totals}, reverse=True),
            "chart": charts.period_bars(monthly),
            "run_id": run.id if run else None,
            "accruals": sorted(accrued.items(), reverse=True),
        },
    )
