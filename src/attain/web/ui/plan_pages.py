"""Plans: view and edit YAML with every error at its line, versions with a diff, simulation of
a change on a past period, publishing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from attain.access import NotVisible, actor_of, require
from attain.actions import plans as plan_actions
from attain.comp import plan_versions as pv
from attain.comp.errors import PlanError
from attain.comp.simulate import Simulation, simulate
from attain.web.deps import EngineDep, FormCsrf, ViewerDep
from attain.web.ui.render import render

router = APIRouter()


@router.get("/plans")
def plans(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    require(viewer, "plans.view")
    return render(request, "plans.html", {"plans": pv.list_plans(engine)})


def _plan_page(
    request: Request,
    engine: EngineDep,
    plan: str,
    version: int | None = None,
    text: str | None = None,
    problems: list[pv.PlanProblem] | None = None,
    flash: str | None = None,
    sim: Simulation | None = None,
    span: tuple[dt.date, dt.date] | None = None,
    status: int = 200,
) -> Response:
    shown = pv.get_version(engine, plan, version)
    if shown is None:
        raise NotVisible(plan)
    body = text if text is not None else shown.text
    last_year = dt.date.today().year - 1
    start, end = span or (dt.date(last_year, 1, 1), dt.date(last_year, 12, 31))
    return render(
        request,
        "plan.html",
        {
            "plan": plan,
            "shown": shown,
            "text": body,
            "line_count": max(1, len(body.split("\n"))),
            "problems": problems or [],
            "bad_lines": sorted({p.line for p in problems or []}),
            "flash": flash,
            "versions": pv.versions(engine, plan),
            "sim": sim,
            "sim_start": start,
            "sim_end": end,
        },
        status=status,
    )


@router.get("/plans/{plan}")
def plan_page(
    plan: str, request: Request, viewer: ViewerDep, engine: EngineDep, version: int | None = None
) -> Response:
    require(viewer, "plans.view")
    return _plan_page(request, engine, plan, version)


@router.post("/plans/{plan}", dependencies=[FormCsrf])
def plan_save(
    plan: str,
    request: Request,
    viewer: ViewerDep,
    engine: EngineDep,
    text: Annotated[str, Form(max_length=200_000)],
    action: Annotated[str, Form(max_length=16)] = "save",
    note: Annotated[str, Form(max_length=300)] = "",
    start: Annotated[dt.date | None, Form()] = None,
    end: Annotated[dt.date | None, Form()] = None,
) -> Response:
    """Save a draft, or simulate the text on a past span; errors come back at their lines."""
    require(viewer, "plans.edit")
    current = pv.published(engine, plan) or pv.get_version(engine, plan)
    if current is None:
        raise NotVisible(plan)
    text = text.replace("\r\n", "\n")
    problems = pv.check_plan_text(engine, text, plan)
    span = (start, end) if start and end else None
    if problems:
        return _plan_page(
            request, engine, plan, text=text, problems=problems, span=span, status=422
        )
    if action == "simulate":
        if span is None or span[1] < span[0] or (span[1] - span[0]).days > 800:
            return _plan_page(
                request,
                engine,
                plan,
                text=text,
                flash="Pick a span that runs forwards, at most 800 days.",
                span=span,
                status=422,
            )
        try:
            sim = simulate(engine, plan, current.text, text, *span)
        except PlanError as exc:
            return _plan_page(
                request,
                engine,
                plan,
                text=text,
                flash=f"Simulation failed: {exc}",
                span=span,
                status=422,
            )
        return _plan_page(request, engine, plan, text=text, sim=sim, span=span)
    saved = plan_actions.save_draft(engine, actor_of(viewer), plan, text, note or None)
    return RedirectResponse(f"/plans/{plan}?version={saved.version}", status_code=303)


@router.post("/plans/{plan}/versions/{version}/publish", dependencies=[FormCsrf])
def plan_publish(
    plan: str, version: int, request: Request, viewer: ViewerDep, engine: EngineDep
) -> Response:
    require(viewer, "plans.edit")
    try:
        plan_actions.publish(engine, actor_of(viewer), plan, version)
    except LookupError:
        raise NotVisible(plan) from None
    except plan_actions.StalePublish as exc:
        return _plan_page(request, engine, plan, version, flash=str(exc), status=409)
    return RedirectResponse(f"/plans/{plan}?version={version}", status_code=303)


@router.get("/plans/{plan}/diff")
def plan_diff(
    plan: str, request: Request, viewer: ViewerDep, engine: EngineDep, old: int = 1, new: int = 2
) -> Response:
    require(viewer, "plans.view")
    a, b = pv.get_version(engine, plan, old), pv.get_version(engine, plan, new)
    if a is None or b is None:
        raise NotVisible(plan)
    lines = pv.diff(a.text, b.text, f"v{old}", f"v{new}")
    return render(request, "diff.html", {"plan": plan, "old": old, "new": new, "lines": lines})
