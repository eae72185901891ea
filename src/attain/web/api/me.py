"""/me: who is logged in."""

from __future__ import annotations

from fastapi import APIRouter

from attain.web.api.models import Me
from attain.web.deps import ViewerDep

router = APIRouter(tags=["me"])


@router.get("/me", response_model=Me)
def me(viewer: ViewerDep) -> Me:
    """The logged-in user: username, role and person."""
    return Me(username=viewer.username, role=viewer.role, person=viewer.person)
