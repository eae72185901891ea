"""The pay lifecycle in the browser: publish a run to the ledger, prepare, approve and close
periods, raise and resolve disputes, read the audit log. Every write is an attain.pay action."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from attain.access import NotVisible, actor_of, require
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
from attain.pay import lifecycle_view as lifecycle
from attain.pay.periods import current_day
from attain.web.audit_view import changes
from attain.web.deps import EngineDep, FormCsrf, ScopeDep, ViewerDep
from attain.web.ui.admin_pages import runs_page
from attain.web.ui.render import render

router = APIRouter()


@router.post("/runs/{run_id}/publish", dependencies=[FormCsrf])
def publish(run_id: str, request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "ledger.publish")
    try:
        publish_run(engine, run_id, actor_of(viewer))
    except LookupError:
        raise NotVisible(run_id) from None
    except PayError as exc:
        return runs_page(request, engine, error=f"Not published: {exc}", status=409)
    return RedirectResponse("/periods", status_code=303)


def _periods_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    *,
    done: list[str] | None = None,
    refused: list[str] | None = None,
    status: int = 200,
) -> Response:
    page = lifecycle.periods_page(engine, scope, actor_of(viewer), current_day())
    return render(
        request,
        "periods.html",
        {"page": page, "done": done or [], "refused": refused or []},
        status=status,
    )


@router.get("/periods")
def periods(request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> Response:
    require(viewer, "approvals")
    return _periods_page(request, viewer, scope, engine)


def _one(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    what: str,
    period: str,
    act: Callable[[], object],
) -> Response:
    """One action on one period: back to the list, or the list again with the reason."""
    try:
        act()
    except PayError as exc:
        refused = [f"{period} not {what}: {exc}"]
        return _periods_page(request, viewer, scope, engine, refused=refused, status=409)
    return RedirectResponse("/periods", status_code=303)


@router.post("/periods/bulk", dependencies=[FormCsrf])
def bulk(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    step: Annotated[str, Form(max_length=16)],
    selected: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Prepare or approve every selected period, each in its own transaction (attain.pay)."""
    require(viewer, "approvals")
    if step not in ("prepare", "approve"):
        raise NotVisible(step)
    actor = actor_of(viewer)
    done, refused = [], []
    for choice in (selected or [])[:1000]:
        period, _, seen = choice[:40].partition("@")
        try:
            if step == "prepare":
                prepare_period(engine, period, actor)
            else:
                version = int(seen) if seen.isdigit() else None
                approve_period(engine, period, actor, expected_version=version)
        except PayError as exc:
            refused.append(f"{period}: {exc}")
        else:
            done.append(period)
    if not done and not refused:
        refused.append("nothing selected: tick the periods first")
    return _periods_page(
        request,
        viewer,
        scope,
        engine,
        done=[f"{'Prepared' if step == 'prepare' else 'Approved'} {len(done)}: {', '.join(done)}"]
        if done
        else [],
        refused=refused,
    )


@router.post("/periods/{period}/prepare", dependencies=[FormCsrf])
def prepare(
    period: str, request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> Response:
    require(viewer, "approvals")
    return _one(
        request,
        viewer,
        scope,
        engine,
        "prepared",
        period,
        lambda: prepare_period(engine, period, actor_of(viewer)),
    )


@router.post("/periods/{period}/approve", dependencies=[FormCsrf])
def approve(
    period: str,
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    version: Annotated[int | None, Form()] = None,
    lines: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    """Approve what the page showed: the version, and at the manager level the listed lines."""
    require(viewer, "approvals")
    shown = [int(x) for x in lines.split(",") if x.strip().isdigit()] if lines.strip() else None
    return _one(
        request,
        viewer,
        scope,
        engine,
        "approved",
        period,
        lambda: approve_period(
            engine, period, actor_of(viewer), expected_version=version, expected_lines=shown
        ),
    )


@router.post("/periods/{period}/close", dependencies=[FormCsrf])
def close(
    period: str, request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> Response:
    require(viewer, "close")
    return _one(
        request,
        viewer,
        scope,
        engine,
        "closed",
        period,
        lambda: close_period(engine, period, actor_of(viewer)),
    )


def _disputes_page(
    request: Request,
    engine: EngineDep,
    scope: ScopeDep,
    flash: str | None = None,
    period: str = "",
    offset: int = 0,
) -> Response:
    """One page of the disputes (the newest first), with links to the pages around it."""
    page = lifecycle.visible_disputes(engine, scope, offset=offset)
    return render(
        request,
        "disputes.html",
        {"disputes": page.items, "page": page, "flash": flash, "period": period},
    )


@router.get("/disputes")
def disputes_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: str = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    require(viewer, "disputes.view")
    return _disputes_page(request, engine, scope, period=period[:16], offset=offset)


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
    scope.check_in(engine, payee, period)
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
    try:
        resolve_dispute(
            engine, actor_of(viewer), dispute_id, resolution, accept=accept == "yes", amount=pay
        )
    except PayError as exc:
        return _disputes_page(request, engine, scope, f"Not resolved: {exc}")
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
        {
            "entries": [(e, changes(e.before, e.after)) for e in entries(engine, limit=300)],
            "checked": checked,
            "problems": problems,
        },
    )
