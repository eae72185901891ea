"""The REST API under /api/v1: one router per resource, the permissions of the pages."""

from __future__ import annotations

from fastapi import APIRouter

from attain.web.api import (
    deals,
    forecast,
    imports,
    lifecycle,
    me,
    payees,
    payouts,
    plans,
    process,
    runs,
    scores,
    users,
)
from attain.web.problems import problem_responses

api_router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 403, 404, 422))
for module in (
    me,
    payees,
    payouts,
    runs,
    plans,
    deals,
    imports,
    users,
    lifecycle,
    forecast,
    scores,
    process,
):
    api_router.include_router(module.router)

__all__ = ["api_router"]
