"""Finance: what is paid now by period (the read model every page shares), the ledger's
accruals, and the payroll export (the ledger of approved periods)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attain.access import require
from attain.comp.runs.published import shown_run
from attain.pay import current as pay
from attain.pay.accruals import accruals
from attain.pay.line_units import ledger_currencies
from attain.pay.periods import kind_of, parse_period, period_states
from attain.web import charts
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
    run = shown_run(engine)
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
            "totals": _totals_by_kind_and_year(totals),
            "payable": payable,
            "charts": [
                charts.period_bars(sorted(months.items()), currency)
                for currency, months in sorted(per_month.items())
            ],
            "run_id": run.id if run else None,
            "current_periods": sorted({t.period for t in totals}, reverse=True),
            "accruals": _by_kind_and_year(accrued),
        },
    )


KIND_ORDER = ("month", "quarter", "week", "year")


def _by_kind_and_year(
    accrued: dict[tuple[str, str, str], Decimal],
) -> list[tuple[str, str, list[tuple[tuple[str, str, str], Decimal]]]]:
    """Accruals as (kind, year, rows) groups: months, then quarters, then weeks, each newest
    year first and each year's periods newest first (about 200 periods read as a few groups)."""
    groups: dict[tuple[str, str], list[tuple[tuple[str, str, str], Decimal]]] = defaultdict(list)
    for key, amount in accrued.items():
        groups[(kind_of(key[0]), key[0][:4])].append((key, amount))
    ordered = sorted(groups, key=lambda g: (KIND_ORDER.index(g[0]), -int(g[1])))
    return [
        (
            kind,
            year,
            sorted(groups[(kind, year)], key=lambda r: parse_period(r[0][0]).start, reverse=True),
        )
        for kind, year in ordered
    ]


def _totals_by_kind_and_year(
    totals: list[pay.PeriodTotal],
) -> list[tuple[str, str, list[pay.PeriodTotal]]]:
    """Payout totals as (kind, year, rows) groups, in the same order as the accruals."""
    groups: dict[tuple[str, str], list[pay.PeriodTotal]] = defaultdict(list)
    for t in totals:
        groups[(kind_of(t.period), t.period[:4])].append(t)
    ordered = sorted(groups, key=lambda g: (KIND_ORDER.index(g[0]), -int(g[1])))
    return [
        (
            kind,
            year,
            sorted(
                groups[(kind, year)],
                key=lambda t: (parse_period(t.period).start, t.plan),
                reverse=True,
            ),
        )
        for kind, year in ordered
    ]
