"""Finance: payouts by period, accruals, the payroll export."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attain.pay.accruals import accruals
from attain.pay.line_units import ledger_currencies
from attain.pay.periods import kind_of, parse_period, period_states
from attain.web import charts, pay
from attain.web.access import require
from attain.web.deps import EngineDep, ScopeDep, ViewerDep
from attain.web.ui.render import render

router = APIRouter()

PAYABLE = ("approved", "closed")
"""The periods payroll may take (the one payroll export refuses the others)."""


@router.get("/finance")
def finance(request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> Response:
    require(viewer, "payouts.view")
    totals = pay.payouts_by_period(engine, scope.payees)
    per_month: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for t in totals:
        if kind_of(t.period) == "month":
            per_month[t.currency][t.period] += t.total
    run = pay.shown_run(engine)
    currency_of = ledger_currencies(engine)
    accrued: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for a in accruals(engine):
        if scope.sees(a.payee):
            accrued[(a.period, a.status, currency_of.get(a.plan, ""))] += a.amount
    payable = sorted(
        (s.period for s in period_states(engine) if s.status in PAYABLE),
        key=lambda p: (parse_period(p).start, p),
        reverse=True,
    )
    return render(
        request,
        "finance.html",
        {
            "totals": totals,
            "payable": payable,
            "charts": [
                charts.period_bars(sorted(months.items()), currency)
                for currency, months in sorted(per_month.items())
            ],
            "run_id": run.id if run else None,
            "accruals": sorted(accrued.items(), reverse=True),
        },
    )
