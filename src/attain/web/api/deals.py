"""/deals: create or replace one deal; the payees it credits are recalculated at once."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse

from attain.access import actor_of, require
from attain.actions import deals as deal_actions
from attain.web.api.idempotency import idempotent
from attain.web.api.models import DealIn, DealOut
from attain.web.deps import ApiCsrf, EngineDep, ViewerDep
from attain.web.problems import problem_responses

router = APIRouter(prefix="/deals", tags=["deals"])


@router.post(
    "",
    response_model=DealOut,
    status_code=201,
    dependencies=[ApiCsrf],
    responses=problem_responses(409),
)
def upsert_deal(
    body: DealIn,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Create or replace a deal by id, then recalculate the payees it credits (live)."""
    require(viewer, "deals.write")

    def create() -> DealOut:
        began = time.perf_counter()
        try:
            result = deal_actions.upsert_deal(engine, actor_of(viewer), body.model_dump())
        except deal_actions.DealRejected as exc:
            raise HTTPException(422, str(exc)) from None
        return DealOut(
            id=body.id,
            owner=body.owner,
            stage=body.stage,
            amount=body.amount,
            currency=body.currency,
            close_date=body.close_date,
            recalculated_payees=result.payees,
            recalculation_seconds=round(time.perf_counter() - began, 3),
        )

    return idempotent(engine, request, viewer, idempotency_key, create)
