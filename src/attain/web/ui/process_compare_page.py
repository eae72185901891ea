"""/process/compare: two slices of one log side by side (won against lost deals, this quarter
against last, one team against another), each the map of the cases the viewer may see, with each
transition's share of cases and median wait in both and the change between them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from attain.access import require
from attain.data.stages import CATEGORIES
from attain.web.deps import EngineDep, ScopeDep, ViewerDep
from attain.web.process_access import (
    WAITING,
    Asked,
    BadInput,
    chosen_filter,
    chosen_waiting,
    map_seen,
)
from attain.web.ui.process_pages import LogQuery, Text, _common, _invalid
from attain.web.ui.render import render

router = APIRouter()

_, WON_OUTCOME, LOST_OUTCOME = CATEGORIES
"""A deal's outcome is its stage's category (the stage catalog), so the default sides are those."""
SHOWN = 40
"""Transitions listed, busiest in both slices together first."""

Side = Annotated[str, Query(max_length=64)]


@router.get("/process/compare")
def compare_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    log: LogQuery = "deals",
    a_attribute: Side = "outcome",
    a_value: Side = WON_OUTCOME,
    a_since: Side = "",
    a_until: Side = "",
    b_attribute: Side = "outcome",
    b_value: Side = LOST_OUTCOME,
    b_since: Side = "",
    b_until: Side = "",
    waiting: Text = "elapsed",
) -> Response:
    """Side a against side b, each a filter (an attribute's value, a time frame, or both)."""
    from attain.process.compare import compare_maps
    from attain.process.report_people import compare_sections

    require(viewer, "process.view")
    sides = (
        Asked(since=a_since, until=a_until, attribute=a_attribute, value=a_value),
        Asked(since=b_since, until=b_until, attribute=b_attribute, value=b_value),
    )
    prepared, context = _common(engine, log, Asked())
    try:
        clock = chosen_waiting(waiting)
        filters = [chosen_filter(side, prepared.log) for side in sides]
    except BadInput as exc:
        return _invalid(request, exc)
    a, b = (map_seen(engine, prepared, scope, f, clock) for f in filters)
    labels = [_label(side) for side in sides]
    (section,) = compare_sections(a, b, compare_maps(a, b), labels[0], labels[1], SHOWN)
    return render(
        request,
        "process_compare.html",
        {
            **context,
            "sides": sides,
            "labels": labels,
            "maps": (a, b),
            "section": section,
            "waiting": clock,
            "waiting_choices": WAITING,
        },
    )


def _label(side: Asked) -> str:
    parts = [f"{side.attribute} = {side.value}"] if side.attribute and side.value else []
    if side.since or side.until:
        parts.append(f"{side.since or '…'} to {side.until or '…'}")
    return ", ".join(parts) or "all cases"
