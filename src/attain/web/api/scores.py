"""/scores: lead scores of the open leads the viewer may see (a rep: the leads they own; a
manager: their team's; admin and finance: every lead), best first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from attain.access import NotVisible, require
from attain.web import forecast_cache
from attain.web.api.forecast_models import LeadScoreOut, LeadScoresOut
from attain.web.deps import EngineDep, ScopeDep, ViewerDep, today

router = APIRouter(prefix="/scores", tags=["scores"])


def _scored(engine: Any) -> Any:
    """Every open lead scored as of today (fitted once per day and store watermark)."""
    from attain.scores.open_leads import score_open_leads_in

    day = today()
    return forecast_cache.kept(
        engine, "leads", "", day, "", lambda: score_open_leads_in(engine, day)
    )


@router.get("/leads", response_model=LeadScoresOut)
def lead_scores(
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    owner: Annotated[str | None, Query(max_length=64, description="One owner's leads.")] = None,
    band: Annotated[str | None, Query(pattern="^[A-D]$", description="Priority band.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> LeadScoresOut:
    """The probability each open lead converts within its window, its priority band (A best)
    and the reasons, as of today."""
    require(viewer, "scores.view")
    if owner is not None and not scope.sees(owner):
        raise NotVisible(owner)
    scored = _scored(engine)
    frame = scored.leads
    rows = [
        r
        for r in frame.itertuples(index=False)
        if scope.sees(r.owner if isinstance(r.owner, str) else None)
        and (owner is None or r.owner == owner)
        and (band is None or r.band == band)
    ]
    return LeadScoresOut(
        day=scored.day,
        window_days=scored.window,
        items=[
            LeadScoreOut(
                lead=str(r.id),
                owner=r.owner if isinstance(r.owner, str) else None,
                probability=round(float(r.probability), 6),
                band=str(r.band),
                reasons=[str(x) for x in r.reasons],
            )
            for r in rows[offset : offset + limit]
        ],
        total=len(rows),
        limit=limit,
        offset=offset,
    )
