"""/payees: the payees the viewer may see, their earnings, lines, live figures and what-if."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import Engine

from attain.access import NotVisible, Scope, require
from attain.comp import whatif
from attain.comp.errors import PlanError
from attain.comp.runs.published import shown_run
from attain.pay import current as pay
from attain.pay.line_units import run_units
from attain.web.api.convert import earnings_out, estimate_out, line_out, team_member_out
from attain.web.api.models import (
    EarningsOut,
    Line,
    LiveOut,
    Page,
    PayeeSummary,
    TeamMemberOut,
    WhatIfIn,
    WhatIfOut,
)
from attain.web.deps import ApiCsrf, EngineDep, ScopeDep, ViewerDep, today
from attain.web.ui.render import totals

router = APIRouter(prefix="/payees", tags=["payees"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def _check(engine: Engine, scope: Scope, payee: str) -> None:
    """The payee must be one the viewer may see and a person of the store: an unknown id is
    404 for everyone, not a page of zeros for those who see everyone."""
    scope.check(payee)
    if not pay.person_names(engine, [payee]):
        raise NotVisible(payee)


@router.get("", response_model=Page[PayeeSummary])
def list_payees(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    q: Annotated[str | None, Query(max_length=100, description="Search by id or name.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[PayeeSummary]:
    """Payees the viewer may see (everyone for admin and finance, a manager's team, a rep
    themselves), searchable by id or name."""
    require(viewer, "pay.view")
    names = pay.person_names(engine, None if scope.everyone else sorted(scope.payees or ()))
    found = [
        PayeeSummary(id=p, name=n)
        for p, n in sorted(names.items())
        if scope.sees(p) and (not q or q.lower() in p.lower() or q.lower() in n.lower())
    ]
    return Page(items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset)


@router.get("/{payee}/earnings", response_model=EarningsOut)
def payee_earnings(
    payee: str, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> EarningsOut:
    """Earnings this period and year to date, with attainment and pace per period."""
    require(viewer, "pay.view")
    _check(engine, scope, payee)
    return earnings_out(pay.earnings(engine, payee, today()))


@router.get("/{payee}/live", response_model=LiveOut)
async def payee_live(payee: str, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> LiveOut:
    """The figures the dashboard polls: they change within seconds of a deal changing."""
    require(viewer, "pay.view")
    _check(engine, scope, payee)
    e = pay.earnings(engine, payee, today())
    out = earnings_out(e)
    return LiveOut(
        payee=payee,
        period=e.period,
        this_period=out.this_period,
        year_to_date=out.year_to_date,
        currency=out.currency,
        this_period_text=totals(e.this_period_by, e.currency),
        year_to_date_text=totals(e.year_to_date_by, e.currency),
        updated_at=e.updated_at,
    )


@router.get("/{payee}/lines", response_model=Page[Line])
def payee_lines(
    payee: str,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: Annotated[str | None, Query(max_length=16)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[Line]:
    """A payee's payout lines in the published run (and live lines), each with its trace."""
    require(viewer, "pay.view")
    _check(engine, scope, payee)
    run = shown_run(engine)
    units = run_units(run)
    lines = pay.current_lines(engine, [payee], period=period, traces="full", run=run)
    return Page(
        items=[line_out(ln, units.currency(ln.plan)) for ln in lines[offset : offset + limit]],
        total=len(lines),
        limit=limit,
        offset=offset,
    )


@router.get("/{payee}/team", response_model=list[TeamMemberOut])
def payee_team(
    payee: str, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> list[TeamMemberOut]:
    """The people under a manager (as far as the viewer may see), each with earnings and pace."""
    require(viewer, "team.view")
    _check(engine, scope, payee)
    from attain.access import team_of

    members = sorted(scope.filter(team_of(engine, payee, today()) - {payee}))
    return [team_member_out(m) for m in pay.team(engine, members, today())]


@router.post("/{payee}/whatif", response_model=WhatIfOut, dependencies=[ApiCsrf])
def payee_whatif(
    payee: str, body: WhatIfIn, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> WhatIfOut:
    """What the payee would earn this period with `amount` more (plus the open `deals` named)."""
    require(viewer, "whatif")
    _check(engine, scope, payee)
    try:
        result = whatif.estimate(engine, payee, body.deals, body.amount, today())
    except PlanError as exc:
        raise HTTPException(422, str(exc)) from exc
    currencies = {x.currency for x in result.estimates}
    return WhatIfOut(
        payee=payee,
        amount=body.amount,
        currency=currencies.pop() if len(currencies) == 1 else None,
        estimates=[estimate_out(x) for x in result.estimates],
        problems=list(result.problems),
        notes=list(result.notes),
    )
