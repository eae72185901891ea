"""/me: who is logged in, and what they are paid now."""

from __future__ import annotations

from fastapi import APIRouter

from attain.access import NotVisible, require
from attain.pay import current as pay
from attain.web.api.convert import earnings_out
from attain.web.api.models import EarningsOut, Me
from attain.web.deps import EngineDep, ViewerDep, today

router = APIRouter(tags=["me"])


@router.get("/me", response_model=Me)
def me(viewer: ViewerDep) -> Me:
    """The logged-in user: username, role and person."""
    return Me(username=viewer.username, role=viewer.role, person=viewer.person)


@router.get("/me/earnings", response_model=EarningsOut)
def my_earnings(viewer: ViewerDep, engine: EngineDep) -> EarningsOut:
    """The logged-in payee's pay now (this period and year to date), as their dashboard shows it."""
    if viewer.person is None:
        raise NotVisible("earnings")
    require(viewer, "pay.own")
    return earnings_out(pay.earnings(engine, viewer.person, today()))
