"""/periods, /disputes, /accruals, /audit and statements: the pay lifecycle over the API.

Writes are attain.pay actions (they own the transaction and the audit entry); who may see which
payee is decided by attain.access, as for the pages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from attain.access import NotVisible, actor_of, require
from attain.audit.anchor import newest_checkpoint
from attain.audit.log import entries
from attain.pay import approve_period, close_period, prepare_period, raise_dispute
from attain.pay import lifecycle_view as lifecycle
from attain.pay.accruals import accruals
from attain.pay.approval_cover import Cover, Progress
from attain.pay.dispute_list import DisputeView
from attain.pay.exports import payroll_download
from attain.pay.line_units import ledger_currencies
from attain.pay.periods import parse_period
from attain.pay.statements import statement
from attain.web.api.idempotency import idempotent
from attain.web.api.models import (
    AccrualOut,
    AmountOut,
    ApprovalOut,
    AuditOut,
    CoverOut,
    DisputeIn,
    DisputeOut,
    ManagerProgressOut,
    Page,
    PeriodOut,
    StatementLineOut,
    StatementOut,
)
from attain.web.deps import ApiCsrf, EngineDep, ScopeDep, ViewerDep
from attain.web.problems import problem_responses

router = APIRouter(tags=["lifecycle"], responses=problem_responses(409))

PeriodKey = Annotated[
    str, Path(min_length=4, max_length=16, pattern=r"^\d{4}(-(Q[1-4]|W\d{2}|\d{2}))?$")
]


def _checked(period: str) -> str:
    try:
        parse_period(period)
    except Exception:
        raise NotVisible(period) from None
    return period


def _period_out(row: lifecycle.PeriodRow, currencies: set[str]) -> PeriodOut:
    """A period's total is in its plans' currency; with plans in several, per payee only."""
    one = next(iter(currencies)) if len(currencies) == 1 else None
    return PeriodOut(
        period=row.period,
        status=row.status,
        version=row.version,
        payees=row.payees,
        total=row.total if one is not None or not currencies else None,
        currency=one,
        approvals=[
            ApprovalOut(
                level=a.level,
                approved_by=a.approved_by,
                approved_at=a.approved_at,
                version=a.version,
                lines=a.lines,
                payees=a.payees,
                totals=_amounts(a.totals),
            )
            for a in row.approvals
        ],
        manager_approvals=_progress_out(row.progress) if row.progress else None,
        yours=_cover_out(row.yours) if row.yours else None,
    )


def _amounts(by_currency: dict[str, Decimal]) -> list[AmountOut]:
    return [AmountOut(amount=a, currency=c or None) for c, a in sorted(by_currency.items())]


def _progress_out(p: Progress) -> ManagerProgressOut:
    return ManagerProgressOut(
        teams=p.teams,
        teams_approved=p.teams_approved,
        payees=p.payees,
        payees_approved=p.payees_approved,
        total=_amounts(p.total),
        approved=_amounts(p.approved),
        text=str(p),
    )


def _cover_out(c: Cover) -> CoverOut:
    return CoverOut(
        payees=list(c.payees), lines=sorted(c.ids), totals=_amounts(c.totals), text=str(c)
    )


@router.get("/periods", response_model=list[PeriodOut])
def periods(viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> list[PeriodOut]:
    """Periods with their status, approvals and ledger totals (for the viewer's payees); a
    prepared one also with its manager approvals' progress and what yours would cover."""
    require(viewer, "approvals")
    currencies = set(ledger_currencies(engine).values())
    return [_period_out(p, currencies) for p in lifecycle.periods(engine, scope, actor_of(viewer))]


def _one(engine: EngineDep, scope: ScopeDep, viewer: ViewerDep, period: str) -> PeriodOut:
    rows = lifecycle.periods(engine, scope, actor_of(viewer))
    found = next((p for p in rows if p.period == period), None)
    if found is None:
        raise NotVisible(period)
    return _period_out(found, set(ledger_currencies(engine).values()))


@router.post("/periods/{period}/prepare", response_model=PeriodOut, dependencies=[ApiCsrf])
def prepare(period: PeriodKey, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> PeriodOut:
    """Say the period's payouts are ready for approval."""
    require(viewer, "approvals")
    prepare_period(engine, _checked(period), actor_of(viewer))
    return _one(engine, scope, viewer, period)


@router.post("/periods/{period}/approve", response_model=PeriodOut, dependencies=[ApiCsrf])
def approve(
    period: PeriodKey,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    version: Annotated[
        int | None, Query(ge=0, le=2**31 - 1, description="The version you reviewed.")
    ] = None,
    lines: Annotated[
        list[Annotated[int, Query(ge=1, le=2**31)]] | None,
        Query(
            max_length=10_000,
            description="The ledger line ids you were shown (`yours.lines`): refused if the "
            "approval would cover another.",
        ),
    ] = None,
) -> PeriodOut:
    """Approve the next level: at the manager level your team's part (never your own pay);
    at the finance level, once every team is approved, the whole period."""
    require(viewer, "approvals")
    approve_period(
        engine,
        _checked(period),
        actor_of(viewer),
        expected_version=version,
        expected_lines=lines,
    )
    return _one(engine, scope, viewer, period)


@router.post("/periods/{period}/close", response_model=PeriodOut, dependencies=[ApiCsrf])
def close(period: PeriodKey, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> PeriodOut:
    """Close an approved period: its lines never change again."""
    require(viewer, "close")
    close_period(engine, _checked(period), actor_of(viewer))
    return _one(engine, scope, viewer, period)


def _dispute_out(d: DisputeView) -> DisputeOut:
    return DisputeOut(
        id=d.id,
        payee=d.payee,
        period=d.period,
        subject=d.subject,
        status=d.status,
        owner=d.owner,
        ledger_line=d.ledger_line,
        deal=d.deal,
        resolution=d.resolution,
    )


@router.get("/disputes", response_model=Page[DisputeOut])
def disputes(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page[DisputeOut]:
    """Disputes about the payees the viewer may see, newest first, a page at a time."""
    require(viewer, "disputes.view")
    page = lifecycle.visible_disputes(engine, scope, limit=limit, offset=offset)
    return Page(
        items=[_dispute_out(d) for d in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/disputes",
    response_model=DisputeOut,
    status_code=201,
    dependencies=[ApiCsrf],
    responses=problem_responses(400),
)
def new_dispute(
    body: DisputeIn,
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Raise a dispute about one ledger line (`line`) or one missing deal (`deal`)."""
    require(viewer, "disputes.raise")
    _checked(body.period)
    scope.check_in(engine, body.payee, body.period)

    def create() -> DisputeOut:
        new = raise_dispute(
            engine,
            actor_of(viewer),
            payee=body.payee,
            period=body.period,
            subject=body.subject,
            line=body.line,
            deal=body.deal,
        )
        found = lifecycle.dispute_in_scope(engine, scope, new)
        assert found is not None
        return _dispute_out(found)

    return idempotent(engine, request, viewer, idempotency_key, create)


@router.get("/payees/{payee}/statements/{period}", response_model=StatementOut)
def payee_statement(
    payee: Annotated[str, Path(max_length=64)],
    period: PeriodKey,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
) -> StatementOut:
    """The statement of a published period (reps: once it is approved)."""
    require(viewer, "pay.view")
    _checked(period)
    scope.check_in(engine, payee, period)
    if not lifecycle.has_ledger(engine, payee, period):
        raise NotVisible(period)
    s = statement(engine, payee, period, actor_of(viewer))
    return StatementOut(
        payee=s.payee,
        name=s.name,
        period=s.period,
        status=s.status,
        approvals=list(s.approvals),
        earned=s.earned,
        adjustments=s.adjustments,
        held=s.held,
        released=s.released,
        total=s.total,
        year_to_date=s.year_to_date,
        currency=s.currency or None,
        lines=[
            StatementLineOut(
                id=ln.id,
                plan=ln.plan,
                component=ln.component,
                kind=ln.kind,
                amount=ln.amount,
                currency=ln.currency or None,
                how=list(ln.how),
                note=ln.note,
            )
            for ln in s.lines
        ],
    )


@router.get("/accruals", response_model=Page[AccrualOut])
def accrued(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[AccrualOut]:
    """What is owed for every period not yet closed, per payee and plan."""
    require(viewer, "payouts.view")
    found = [a for a in accruals(engine) if scope.sees(a.payee)]
    currency_of = ledger_currencies(engine)
    return Page(
        items=[
            AccrualOut(
                period=a.period,
                status=a.status,
                payee=a.payee,
                plan=a.plan,
                amount=a.amount,
                currency=currency_of.get(a.plan),
            )
            for a in found[offset : offset + limit]
        ],
        total=len(found),
        limit=limit,
        offset=offset,
    )


@router.get(
    "/exports/payroll.csv",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "CSV; the `Audit-Checkpoint` header names the audit log's head as "
            "the checkpoint outside the store recorded it with this export",
            "headers": {"Audit-Checkpoint": {"schema": {"type": "string"}}},
        }
    },
)
def payroll(
    viewer: ViewerDep,
    engine: EngineDep,
    period: Annotated[
        str, Query(min_length=4, max_length=16, pattern=r"^\d{4}(-(Q[1-4]|W\d{2}|\d{2}))?$")
    ],
) -> Response:
    """An approved or closed period's payroll file: payee, name, period, pay code, amount."""
    require(viewer, "exports")
    _, text = payroll_download(engine, _checked(period), actor_of(viewer))
    headers = {"Content-Disposition": f'attachment; filename="payroll-{period}.csv"'}
    mark = newest_checkpoint(engine)
    if mark is not None:  # the head kept outside the store, as `attain export payroll` prints it
        headers["Audit-Checkpoint"] = f"entry={mark.seq} hash={mark.hash}"
    return Response(text, media_type="text/csv", headers=headers)


@router.get("/audit", response_model=list[AuditOut])
def audit_log(
    viewer: ViewerDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditOut]:
    """The newest audit entries first."""
    require(viewer, "audit")
    return [
        AuditOut(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            role=e.role,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            reason=e.reason,
        )
        for e in entries(engine, limit=limit)
    ]
