"""/payouts: what is paid now per period and plan, and a period's lines as CSV, for finance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from attain.access import require
from attain.pay import current as pay
from attain.pay.errors import PayError
from attain.pay.periods import parse_period
from attain.web.api.models import Page, PeriodTotalOut
from attain.web.deps import EngineDep, ScopeDep, ViewerDep

router = APIRouter(prefix="/payouts", tags=["payouts"])

PeriodKey = Annotated[
    str, Query(min_length=4, max_length=16, pattern=r"^\d{4}(-(Q[1-4]|W\d{2}|\d{2}))?$")
]


@router.get("", response_model=Page[PeriodTotalOut])
def payouts(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[PeriodTotalOut]:
    """Totals per period and plan of what is paid now (the published run with live changes),
    newest period first, each in its plan's currency."""
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


@router.get(
    "/lines.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
    },
)
def payout_lines_csv(
    viewer: ViewerDep, scope: ScopeDep, engine: EngineDep, period: PeriodKey
) -> Response:
    """A period's lines as paid now (payee, name, plan, component, currency, amount): they move
    when a deal changes, unlike the payroll export of an approved period."""
    require(viewer, "payouts.view")
    try:
        parse_period(period)
    except PayError as exc:
        raise HTTPException(422, str(exc)) from exc
    return Response(
        pay.current_csv(engine, period, scope.payees),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="payouts-{period}.csv"'},
    )
