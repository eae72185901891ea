"""Forecast pages: a manager's (or an admin's) roll-up of their part of the hierarchy with the
call form, a rep's open deals with their scores, and the admin's model page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from attain.access import Viewer, actor_of, allows, require
from attain.actions import NotAllowed
from attain.actions.forecast_calls import CallRejected, check_call, submit_call
from attain.pay import current as pay
from attain.web import forecast_cache, forecast_models
from attain.web.deps import EngineDep, FormCsrf, ScopeDep, ViewerDep, today
from attain.web.forecast_access import BadInput, amount_of, chosen_node, chosen_period
from attain.web.forecast_chart import forecast_chart
from attain.web.ui.render import render

router = APIRouter()

SHOWN_DEALS = 15
CHART_ROWS = 12

Period = Annotated[str | None, Query(max_length=16)]
Node = Annotated[str | None, Query(max_length=64)]


def _context(engine: Engine, forecast: Any, period: str, node: str | None) -> dict[str, Any]:
    """What the manager's page shows of a `PipelineForecast`, kept beside it (a node's deals
    can be many: they are looked through once, not on every request)."""

    def make() -> dict[str, Any]:
        root = forecast.root
        at_risk = [d for d in forecast.deals if d.at_risk]
        return {
            "f": forecast,
            "root": root,
            "children": list(root.children),
            "chart": forecast_chart([root, *root.children[: CHART_ROWS - 1]], forecast.currency),
            "movers": list(forecast.deals[:SHOWN_DEALS]),
            "at_risk": at_risk[:SHOWN_DEALS],
            "at_risk_count": len(at_risk),
        }

    # keyed by the forecast itself too, so a page is never made of an older forecast
    key = f"{node or ''}#{id(forecast)}"
    found: dict[str, Any] = forecast_cache.kept(engine, "page", period, forecast.as_of, key, make)
    return found


def _page(
    request: Request,
    engine: EngineDep,
    viewer: Viewer,
    period: str,
    node: str | None,
    problem: str = "",
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> Response:
    forecast = forecast_cache.pipeline(engine, period, today(), node)
    own = node is not None and node == viewer.person
    context = {
        **_context(engine, forecast, period, node),
        "period": period,
        "node": node or "",
        "own": own,
        "may_call": allows(viewer, "forecast.call") and (own or viewer.role == "admin"),
        "problem": problem,
        "typed": typed or {},
        "called": request.query_params.get("called") == "1",
    }
    if viewer.role == "rep":
        e = pay.earnings(engine, viewer.person or "", today())
        return render(request, "forecast_rep.html", {**context, "e": e}, status=status)
    return render(request, "forecast.html", context, status=status)


@router.get("/forecast")
def forecast_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: Period = None,
    node: Node = None,
) -> Response:
    """The forecast of the viewer's part of the hierarchy (a rep: their own deals)."""
    require(viewer, "forecast.view")
    try:
        chosen = chosen_period(period)
    except BadInput as exc:
        return render(
            request, "error.html", {"title": "Invalid input", "detail": str(exc)}, status=422
        )
    return _page(request, engine, viewer, chosen, chosen_node(engine, viewer, scope, node, chosen))


@router.post("/forecast/calls", dependencies=[FormCsrf])
def submit_call_form(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    period: Annotated[str, Form(max_length=16)],
    commit: Annotated[str, Form(max_length=40)] = "",
    best_case: Annotated[str, Form(max_length=40)] = "",
    payee: Annotated[str, Form(max_length=64)] = "",
    currency: Annotated[str, Form(max_length=3)] = "USD",
) -> Response:
    """Submit a commit and/or best-case call; back to the page, which shows it in force."""
    require(viewer, "forecast.call")
    typed = {"commit": commit, "best_case": best_case}
    try:
        chosen = chosen_period(period)
    except BadInput as exc:
        return render(
            request, "error.html", {"title": "Invalid input", "detail": str(exc)}, status=422
        )
    who = payee.strip() if viewer.role == "admin" and payee.strip() else viewer.person
    node = chosen_node(engine, viewer, scope, who, chosen)
    try:
        if node is None:
            raise BadInput("payee: choose whom the call is for")
        amounts = {
            "commit": amount_of(commit, "commit"),
            "best_case": amount_of(best_case, "best case"),
        }
        if all(v is None for v in amounts.values()):
            raise BadInput("commit: give a commit or a best case amount")
        for category, amount in amounts.items():
            if amount is not None:
                check_call(actor_of(viewer), node, chosen, category, amount, currency)
        for category, amount in amounts.items():
            if amount is not None:
                submit_call(engine, actor_of(viewer), node, chosen, category, amount, currency)
    except (BadInput, CallRejected, NotAllowed) as exc:
        return _page(request, engine, viewer, chosen, node, str(exc), 422, typed)
    target = f"/forecast?period={chosen}&called=1"
    if node and node != viewer.person:
        target += f"&node={node}"
    return RedirectResponse(target, status_code=303)


@router.get("/forecast/backtests")
def backtests_page(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    """The models: the last backtest report run here, which features each model uses, refresh."""
    require(viewer, "forecast.models")
    return render(
        request,
        "forecast_backtests.html",
        {"last": forecast_models.last_report(engine), "models": forecast_models.features(engine)},
    )


@router.get("/forecast/backtests/report")
def backtest_report(
    viewer: ViewerDep,
    engine: EngineDep,
    kind: Annotated[str, Query(pattern="^(wins|pipeline)$")] = "wins",
) -> Response:
    """The last report's own page (self-contained HTML with its charts and styles): the win
    score's, or with `?kind=pipeline` the pipeline forecast's."""
    require(viewer, "forecast.models")
    last = forecast_models.last_report(engine)
    if last is None:
        return RedirectResponse("/forecast/backtests", status_code=303)
    return HTMLResponse(
        last.pipeline_html if kind == "pipeline" else last.html,
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:; frame-ancestors 'none'; base-uri 'none'"
        },
    )


@router.post("/forecast/backtests/run", dependencies=[FormCsrf])
def run_backtest(
    viewer: ViewerDep,
    engine: EngineDep,
    request: Request,
    months: Annotated[str, Form(max_length=4)] = str(forecast_models.MONTHS),
) -> Response:
    """Run the backtest now (the win score at `months` month starts) and keep its report."""
    require(viewer, "forecast.models")
    if not months.strip().isdigit() or not 1 <= int(months) <= 24:
        detail = f"months: {months!r} is not a number of month starts from 1 to 24"
        return render(request, "error.html", {"title": "Invalid input", "detail": detail}, 422)
    forecast_models.run_backtest(engine, actor_of(viewer), int(months))
    return RedirectResponse("/forecast/backtests", status_code=303)


@router.post("/forecast/refresh", dependencies=[FormCsrf])
def refresh_models(viewer: ViewerDep, engine: EngineDep) -> Response:
    """Re-fit: drop every kept forecast, so the next page fits and simulates again."""
    require(viewer, "forecast.models")
    forecast_models.refresh(engine, actor_of(viewer))
    return RedirectResponse("/forecast/backtests?refreshed=1", status_code=303)
