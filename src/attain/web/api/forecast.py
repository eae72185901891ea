"""/forecast: the pipeline forecast of a node, the open deals' scores, and submitting a call,
with the permissions of the pages (a rep: their own deals; a manager: their part of the
hierarchy as of the period; another's node or deal is 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from attain.access import NotVisible, actor_of, require
from attain.actions import NotAllowed
from attain.actions.forecast_calls import CallRejected, submit_call
from attain.web import forecast_cache
from attain.web.api.forecast_models import (
    CallIn,
    CallOut,
    DealScoreOut,
    DealScoresOut,
    PipelineOut,
    deal_out,
    node_out,
)
from attain.web.deps import ApiCsrf, EngineDep, ScopeDep, ViewerDep, today
from attain.web.forecast_access import BadInput, chosen_node, chosen_period
from attain.web.problems import problem_responses

router = APIRouter(prefix="/forecast", tags=["forecast"])

PeriodQuery = Annotated[
    str | None, Query(max_length=16, description="`2026-Q4` or `2026-12`; the current quarter.")
]
NodeQuery = Annotated[
    str | None,
    Query(max_length=64, description="A person id; yours (the whole company for admin/finance)."),
]


def _period(period: str | None) -> str:
    try:
        return chosen_period(period)
    except BadInput as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/pipeline", response_model=PipelineOut)
def pipeline(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: PeriodQuery = None,
    node: NodeQuery = None,
) -> Response:
    """The roll-up of a node: closed, expected with its 80% band, weighted pipeline, calls,
    quota, expected attainment and commission, for the node and every node under it."""
    require(viewer, "forecast.view")
    chosen = _period(period)
    picked = chosen_node(engine, viewer, scope, node, chosen)

    def body() -> bytes:
        f = forecast_cache.pipeline(engine, chosen, today(), picked)
        out = PipelineOut(
            period=f.period, as_of=f.as_of, currency=f.currency, root=node_out(f.root)
        )
        return out.model_dump_json().encode()

    # the JSON of a node is the same for everyone who may see it: kept beside its forecast
    kept = forecast_cache.kept(engine, "pipeline.json", chosen, today(), picked or "", body)
    return Response(kept, media_type="application/json")


@router.get("/deals", response_model=DealScoresOut)
def deals(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: PeriodQuery = None,
    node: NodeQuery = None,
    at_risk: Annotated[bool, Query(description="Only the deals at risk.")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> DealScoresOut:
    """The open deals the viewer may see, by how much they move the forecast: win and
    close-in-period probabilities and the reasons (a rep: their own deals only)."""
    require(viewer, "forecast.view")
    chosen = _period(period)
    f = forecast_cache.pipeline(
        engine, chosen, today(), chosen_node(engine, viewer, scope, node, chosen)
    )
    found = [d for d in f.deals if d.at_risk or not at_risk]
    return DealScoresOut(
        period=f.period,
        as_of=f.as_of,
        items=[deal_out(d) for d in found[offset : offset + limit]],
        total=len(found),
        limit=limit,
        offset=offset,
    )


@router.get("/deals/{deal}", response_model=DealScoreOut)
def deal(
    deal: str, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep, period: PeriodQuery = None
) -> DealScoreOut:
    """One open deal's scores; a deal outside the viewer's part of the hierarchy is 404."""
    require(viewer, "forecast.view")
    chosen = _period(period)
    f = forecast_cache.pipeline(
        engine, chosen, today(), chosen_node(engine, viewer, scope, None, chosen)
    )
    for d in f.deals:
        if d.deal == deal:
            return deal_out(d)
    raise NotVisible(deal)


@router.post(
    "/calls",
    response_model=CallOut,
    status_code=201,
    dependencies=[ApiCsrf],
    responses=problem_responses(403),
)
def post_call(body: CallIn, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> CallOut:
    """Submit a call (commit or best case) for the current or a later period: a rep or manager
    for themselves, an admin for anyone. Each submission is kept; the latest is in force."""
    require(viewer, "forecast.call")
    payee = body.payee or viewer.person
    if payee is None:
        raise HTTPException(422, "payee: say whom the call is for")
    if payee != viewer.person:
        scope.check(payee)  # another's call: 404 for whoever may not see them
    try:
        call = submit_call(
            engine, actor_of(viewer), payee, body.period, body.category, body.amount, body.currency
        )
    except CallRejected as exc:
        raise HTTPException(422, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return CallOut(
        payee=call.payee,
        period=call.period,
        category=call.category,
        amount=call.amount,
        currency=call.currency,
        submitted_at=call.submitted_at,
        submitted_by=call.submitted_by,
    )
