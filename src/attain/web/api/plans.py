"""/plans: plan versions, drafts checked line by line, publishing, and simulation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from attain.access import NotVisible, actor_of, require
from attain.actions import plans as plan_actions
from attain.comp import plan_versions as pv
from attain.comp.language import load_plans
from attain.comp.plan_versions.schema import PlanVersionRecord
from attain.comp.simulate import simulate
from attain.web.api.idempotency import idempotent
from attain.web.api.models import (
    PayeeCostOut,
    PlanDraftIn,
    PlanProblemOut,
    PlanSummaryOut,
    PlanVersionOut,
    SimulateIn,
    SimulationOut,
)
from attain.web.deps import ApiCsrf, EngineDep, ViewerDep
from attain.web.problems import PROBLEM_TYPE, problem_body, problem_responses

router = APIRouter(prefix="/plans", tags=["plans"])

PlanId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Version = Annotated[int, Path(ge=1, le=1_000_000)]


def _version_out(v: PlanVersionRecord) -> PlanVersionOut:
    return PlanVersionOut(
        plan=v.plan,
        version=v.version,
        status=v.status,
        sha256=v.sha256,
        note=v.note,
        created_by=v.created_by,
        created_at=v.created_at,
        text=v.text,
    )


def _known(engine: EngineDep, plan: str) -> PlanVersionRecord:
    found = pv.published(engine, plan) or pv.get_version(engine, plan)
    if found is None:
        raise NotVisible(plan)
    return found


@router.get("", response_model=list[PlanSummaryOut])
def plans(viewer: ViewerDep, engine: EngineDep) -> list[PlanSummaryOut]:
    """Every plan with its number of versions and the version published."""
    require(viewer, "plans.view")
    return [PlanSummaryOut(**s.__dict__) for s in pv.list_plans(engine)]


@router.get("/{plan}/versions", response_model=list[PlanVersionOut])
def plan_versions(plan: PlanId, viewer: ViewerDep, engine: EngineDep) -> list[PlanVersionOut]:
    """A plan's versions, newest first."""
    require(viewer, "plans.view")
    found = pv.versions(engine, plan)
    if not found:
        raise NotVisible(plan)
    return [_version_out(v) for v in found]


@router.get("/{plan}/versions/{version}", response_model=PlanVersionOut)
def plan_version(
    plan: PlanId, version: Version, viewer: ViewerDep, engine: EngineDep
) -> PlanVersionOut:
    require(viewer, "plans.view")
    found = pv.get_version(engine, plan, version)
    if found is None:
        raise NotVisible(plan)
    return _version_out(found)


@router.post(
    "/{plan}/versions",
    response_model=PlanVersionOut,
    status_code=201,
    dependencies=[ApiCsrf],
    responses={
        **problem_responses(409),
        422: {"model": None, "description": "The plan has errors, each at its line"},
    },
)
def new_draft(
    plan: PlanId,
    body: PlanDraftIn,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Keep a new draft version; a plan with errors is refused (422) with each error at its line."""
    require(viewer, "plans.edit")
    _known(engine, plan)
    problems = pv.check_plan_text(engine, body.text, plan)
    if problems:
        return JSONResponse(
            problem_body(
                422,
                "The plan has errors",
                "; ".join(f"line {p.line}, column {p.column}: {p.message}" for p in problems),
                problems=[
                    PlanProblemOut(line=p.line, column=p.column, message=p.message).model_dump()
                    for p in problems
                ],
            ),
            status_code=422,
            media_type=PROBLEM_TYPE,
        )
    return idempotent(
        engine,
        request,
        viewer,
        idempotency_key,
        lambda: _version_out(
            plan_actions.save_draft(engine, actor_of(viewer), plan, body.text, body.note)
        ),
    )


@router.post(
    "/{plan}/versions/{version}/publish",
    response_model=PlanVersionOut,
    dependencies=[ApiCsrf],
    responses=problem_responses(409),
)
def publish(plan: PlanId, version: Version, viewer: ViewerDep, engine: EngineDep) -> PlanVersionOut:
    """Publish the newest draft: the next run pays it. Any other version is refused (409)."""
    require(viewer, "plans.edit")
    try:
        return _version_out(plan_actions.publish(engine, actor_of(viewer), plan, version))
    except LookupError:
        raise NotVisible(plan) from None
    except plan_actions.StalePublish as exc:
        raise HTTPException(409, str(exc)) from None


@router.post("/{plan}/simulate", response_model=SimulationOut, dependencies=[ApiCsrf])
def simulate_plan(
    plan: PlanId, body: SimulateIn, viewer: ViewerDep, engine: EngineDep
) -> JSONResponse | SimulationOut:
    """Pay a past span with the given text and with the published version: cost per payee."""
    require(viewer, "plans.edit")
    current = _known(engine, plan)
    problems = pv.check_plan_text(engine, body.text, plan)
    if problems or body.end < body.start or (body.end - body.start).days > 800:
        detail = (
            "; ".join(f"line {p.line}: {p.message}" for p in problems)
            or "the span must run forwards, at most 800 days"
        )
        return JSONResponse(
            problem_body(422, "Cannot simulate", detail), status_code=422, media_type=PROBLEM_TYPE
        )
    sim = simulate(engine, plan, current.text, body.text, body.start, body.end)
    currency = next((p.currency for p in load_plans(body.text) if p.id == plan), None)
    return SimulationOut(
        plan=plan,
        currency=currency,
        start=sim.start,
        end=sim.end,
        before=sim.before,
        after=sim.after,
        change=sim.change,
        payees=[
            PayeeCostOut(
                payee=c.payee, before=c.before, after=c.after, change=c.change, currency=currency
            )
            for c in sim.payees
        ],
    )
