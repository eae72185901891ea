"""/exports: payout lines as CSV for payroll (cells that spreadsheets would run are escaped)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from attain.web import exports, pay
from attain.web.access import require
from attain.web.deps import EngineDep, ScopeDep, ViewerDep

router = APIRouter(prefix="/exports", tags=["exports"])


@router.get(
    "/payouts.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
    },
)
def payouts_csv(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: Annotated[str, Query(min_length=4, max_length=16)],
) -> Response:
    """A period's payout lines: payee, name, plan, period, component, amount."""
    require(viewer, "exports")
    lines = pay.period_lines(engine, period, scope.payees)
    names = pay.person_names(engine, sorted({ln.payee for ln in lines}))
    return Response(
        exports.payout_lines_csv(lines, names),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="payouts-{_safe(period)}.csv"'},
    )


def _safe(text: str) -> str:
    return "".join(c for c in text if (c.isascii() and c.isalnum()) or c in "-_")
