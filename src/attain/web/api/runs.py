"""/runs: the calculation runs kept in the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from attain.access import NotVisible, require
from attain.comp.runs import get_run, list_runs
from attain.web.api.convert import run_out
from attain.web.api.models import Page, RunOut
from attain.web.deps import EngineDep, ViewerDep

router = APIRouter(prefix="/runs", tags=["runs"])


@router.get("", response_model=Page[RunOut])
def runs(
    viewer: ViewerDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Page[RunOut]:
    """The newest runs first."""
    require(viewer, "runs.view")
    found = list_runs(engine, limit=offset + limit + 1_000)
    return Page(
        items=[run_out(r) for r in found[offset : offset + limit]],
        total=len(found),
        limit=limit,
        offset=offset,
    )


@router.get("/{run_id}", response_model=RunOut)
def run(run_id: str, viewer: ViewerDep, engine: EngineDep) -> RunOut:
    """One run by id (or `latest`)."""
    require(viewer, "runs.view")
    found = get_run(engine, run_id) if len(run_id) >= 4 or run_id == "latest" else None
    if found is None:
        raise NotVisible(run_id)
    return run_out(found)
