"""The pay lifecycle in the browser: publish a run to the ledger, prepare, approve and close
periods, raise and resolve disputes, read the audit log. Every write is an attain.pay action."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from attain.audit.log import entries, verify_log
from attain.pay import (
    PayError,
    approve_period,
    close_period,
    prepare_period,
    publish_run,
    raise_dispute,
    resolve_dispute,
)
from attain.web import lifecycle
from attain.web.access import NotVisible, actor_of, require
from attain.web.deps import EngineDep, FormCsrf, ScopeDep, ViewerDep
from attain.web.ui.render import render

router = APIRouter()


@router.post("/runs/{run_id}/publish", dependencies=[FormCsrf])
def publish(run_id: str, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "ledger.publish")
    try:
        publish_run(engine, run_id, actor_of(viewer))
    except LookupError:
        raise NotVisible(run_id) from None
    return RedirectResponse("/periods", status_code=303)


@router.get("/periods")
def periods(request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> Response:
    require(viewer, "approvals")
    return render(request, "periods.html", {"periods": lifecycle.periods(engine, scope)})


@router.post("/periods/{period}/prepare", dependencies=[FormCsrf])
def prepare(period: str, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "approvals")
    prepare_period(engine, period, actor_of(viewer))
    return RedirectResponse("/periods", status_code=303)


@router.post("/periods/{period}/approve", dependencies=[FormCsrf])
def approve(
    period: str, viewer: ViewerDep, engine: EngineDep, version: Annotated[int | None, Form()] = None
) -> Response:
    require(viewer, "approvals")
    approve_period(engine, period, actor_of(viewer), expected_version=version)
    return RedirectResponse("/periods", status_code=303)


@router.post("/periods/{period}/close", dependencies=[FormCsrf])
def close(period: str, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "close")
    close_period(engine, period, actor_of(viewer))
    return RedirectResponse("/periods", status_code=303)


def _disputes_page(
    request: Request, engine: EngineDep, scope: ScopeDep, flash: str | None = None, period: str = ""
) -> Response:
    return render(
        request,
        "disputes.html",
        {"disputes": lifecycle.visible_disputes(engine, scope), "flash": flash, "period": period},
    )


@router.get("/disputes")
def disputes_page(
    request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep, period: str = ""
) -> Response:
    require(viewer, "disputes.view")
    return _disputes_page(request, engine, scope, period=period[:16])


@router.post("/disputes", dependencies=[FormCsrf])
def raise_(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    payee: Annotated[str, Form(max_length=64)],
    period: Annotated[str, Form(max_length=16)],
    subject: Annotated[str, Form(max_length=500)],
    deal: Annotated[str, Form(max_length=64)] = "",
    line: Annotated[int | None, Form()] = None,
) -> Response:
    require(viewer, "disputes.raise")
    scope.check(payee)
    try:
        new = raise_dispute(
            engine,
            actor_of(viewer),
            payee=payee,
            period=period,
            subject=subject,
            line=line,
            deal=deal.strip() or None,
        )
    except (PayError, ValueError) as exc:
        return _disputes_page(request, engine, scope, f"Not raised: {exc}")
    return _disputes_page(request, engine, scope, f"Dispute {new} raised.")


@router.post("/disputes/{dispute_id}/resolve", dependencies=[FormCsrf])
def resolve(
    dispute_id: int,
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    resolution: Annotated[str, Form(max_length=500)],
    accept: Annotated[str, Form(max_length=3)] = "yes",
    amount: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    require(viewer, "disputes.queue")
    if lifecycle.dispute_in_scope(engine, scope, dispute_id) is None:
        raise NotVisible(str(dispute_id))
    try:
        pay = Decimal(amount) if amount.strip() else None
    except InvalidOperation:
        return _disputes_page(request, engine, scope, f"Not a number: {amount}")
    resolve_dispute(
        engine, actor_of(viewer), dispute_id, resolution, accept=accept == "yes", amount=pay
    )
    return _disputes_page(
        request,
        engine,
        scope,
        f"Dispute {dispute_id} {'resolved' if accept == 'yes' else 'rejected'}.",
    )


@router.get("/audit")
def audit(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "audit")
    checked, problems = verify_log(engine)
    return render(
        request,
        "audit.html",
        {"entries": entries(engine, limit=300), "checked": checked, "problems": problems},
    )
