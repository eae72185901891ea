"""Pay pages: a payee's dashboard (earnings, attainment and pace, lines with traces, what-if),
statements, a manager's team and the list of payees."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from attain.access import NotVisible, actor_of, require, team_of
from attain.comp import whatif
from attain.comp.errors import PlanError
from attain.comp.runs import get_run, run_credits
from attain.comp.runs.published import shown_run
from attain.comp.runs.schema import CompRun
from attain.pay import NotAllowed
from attain.pay import current as pay
from attain.pay import lifecycle_view as lifecycle
from attain.pay.credit_sources import deal_names
from attain.pay.line_units import run_units
from attain.pay.render import statement_pdf as render_pdf
from attain.pay.statements import statement as ledger_statement
from attain.web import charts
from attain.web.deps import EngineDep, FormCsrf, ScopeDep, ViewerDep, today
from attain.web.ui.render import render, render_fragment

router = APIRouter()


def _dashboard(
    request: Request,
    engine: EngineDep,
    payee: str,
    own: bool,
    estimates: list[whatif.Estimate] | None = None,
    amount: str = "",
    picked: list[str] | None = None,
    problem: str = "",
    run: CompRun | None = None,
) -> Response:
    current = pay.pay_version(engine, payee)
    if run is not None:  # an admin looking at a run by id: never kept for anyone else
        e = pay.earnings_in_run(engine, payee, run, today())
        current = (f"run:{run.id}", None)
    else:
        e = pay.earnings(engine, payee, today(), current)
    version = (*current, e.run_id, e.period)

    def parts() -> tuple[str, str, list[str], list[whatif.OpenDeal]]:
        return (
            charts.attainment_chart(e.attainment_series()),
            render_fragment("payee_lines.html", {"e": e}),
            sorted({ln.period for ln in e.lines}, reverse=True),
            whatif.open_deals(engine, payee, limit=50),
        )

    chart, lines_html, all_periods, deals = pay.cached("dashboard", engine, payee, version, parts)

    def page() -> bytes:
        return bytes(
            render(
                request,
                "payee.html",
                {
                    "e": e,
                    "own": own,
                    "chart": chart,
                    "periods": all_periods,
                    "deals": deals,
                    "lines_html": lines_html,
                    "estimates": estimates,
                    "amount": amount,
                    "picked": picked or [],
                    "whatif_problem": problem,
                    "chosen_run": run.id if run is not None else None,
                },
            ).body
        )

    if estimates is not None:
        return HTMLResponse(page())
    # The plain page is kept for the viewer who saw it last (their name and CSRF token are in it)
    auth = request.state.auth
    who = (auth.viewer, auth.session.csrf if auth.session else "", own)
    return HTMLResponse(pay.cached("page", engine, payee, (*version, *who), page))


@router.get("/me")
async def my_pay(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    """A rep's (or manager's) own pay: the busiest page, served from what `_dashboard` keeps,
    so it runs on the event loop."""
    if viewer.person is None:
        return RedirectResponse("/payees", status_code=303)
    require(viewer, "pay.own")
    return _dashboard(request, engine, viewer.person, own=True)


@router.get("/payees/{payee}")
async def payee_page(
    payee: str,
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    run: Annotated[str | None, Query(max_length=40, description="Any run, by id (admins).")] = None,
) -> Response:
    """A payee's pay as published; `?run=ID` shows it in any run instead (whoever may see runs)."""
    require(viewer, "pay.view")
    scope.check(payee)
    chosen = None
    if run:
        require(viewer, "runs.view")
        chosen = get_run(engine, run) if len(run) >= 4 else None
        if chosen is None:
            raise NotVisible(run)
    return _dashboard(request, engine, payee, own=payee == viewer.person, run=chosen)


@router.post("/payees/{payee}/whatif", dependencies=[FormCsrf])
def payee_whatif(
    payee: str,
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    amount: Annotated[str, Form(max_length=40)] = "",
    deals: Annotated[list[str] | None, Form()] = None,
) -> Response:
    require(viewer, "whatif")
    scope.check(payee)
    try:
        extra = Decimal(amount.replace(",", "").strip() or "0")
        if not extra.is_finite() or extra < 0:
            raise InvalidOperation
    except InvalidOperation:
        extra = Decimal(0)
    open_ = {d.id for d in whatif.open_deals(engine, payee, limit=10_000)}
    picked = [d for d in (deals or []) if d in open_]
    try:
        result = whatif.estimate(engine, payee, picked, extra, today())
        estimates = list(result.estimates)
        problem = " ".join((*result.problems, *(f"{n}." for n in result.notes)))
    except PlanError as exc:
        estimates, problem = [], str(exc)
    return _dashboard(
        request, engine, payee, payee == viewer.person, estimates, amount, picked, problem
    )


@router.get("/payees/{payee}/statements/{period}")
def statement(
    payee: str, period: str, request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> Response:
    require(viewer, "pay.view")
    scope.check_in(engine, payee, period)
    note = None
    if lifecycle.has_ledger(engine, payee, period):
        try:
            official = ledger_statement(engine, payee, period, actor_of(viewer))
            return render(request, "ledger_statement.html", {"s": official})
        except NotAllowed as exc:
            note = f"{exc}: these are the provisional lines of the published run."
    run = shown_run(engine)
    lines = pay.current_lines(engine, [payee], period=period, traces="full", run=run)
    if not lines or run is None:
        raise NotVisible(period)
    units = run_units(run)
    ids = sorted({c for ln in lines for c in ln.trace.get("credit_ids", [])})[:200]
    found = run_credits(engine, run.id, ids)
    names = deal_names(engine, (c.source_id for c in found.values() if c.source_table == "deals"))
    currencies = {units.currency(ln.plan) for ln in lines}
    return render(
        request,
        "statement.html",
        {
            "payee": payee,
            "name": pay.person_names(engine, [payee]).get(payee, payee),
            "period": period,
            "lines": lines,
            "units": units,
            "currency": next(iter(currencies)) if len(currencies) == 1 else "",
            "total": pay.Totals(
                {
                    c: sum((ln.amount for ln in lines if units.currency(ln.plan) == c), Decimal(0))
                    for c in currencies
                }
            ),
            "credits": sorted(found.values(), key=lambda c: (c.date, c.credit_id)),
            "deal_names": names,
            "note": note
            or "Provisional: from the published run and later changes, before the period is"
            " approved.",
        },
    )


@router.get("/payees/{payee}/statements/{period}/pdf")
def statement_pdf(
    payee: str, period: str, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> Response:
    """The statement as a PDF: the same statement, the same rule for who may see it."""
    require(viewer, "pay.view")
    scope.check_in(engine, payee, period)
    if not lifecycle.has_ledger(engine, payee, period):
        raise NotVisible(period)
    official = ledger_statement(engine, payee, period, actor_of(viewer))  # a rep: approved only
    name = "".join(ch for ch in f"statement-{payee}-{period}" if ch.isalnum() or ch in "-_")
    return Response(
        render_pdf(official),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


def _team_page(
    request: Request,
    title: str,
    chosen: pay.Selection,
    search: str | None,
    pages: tuple[int, int, int] | None = None,
    shown: list[pay.TeamMember] | None = None,
) -> Response:
    """A list of people; the tiles and the chart are over the whole selection, the table
    shows `shown` (one page of it) when given."""
    members = chosen.members
    return render(
        request,
        "team.html",
        {
            "title": title,
            "people": len(members),
            "members": members if shown is None else shown,
            "search": search,
            "chart": charts.distribution_chart(
                [m.attainment for m in members if m.attainment is not None]
            ),
            "periods": chosen.periods,
            "period_totals": sorted(chosen.this_period.items()),
            "total_ytd": chosen.year_to_date,
            "on_pace": chosen.on_pace,
            "with_pace": chosen.with_pace,
            "pages": pages,
        },
    )


@router.get("/team")
def my_team(request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep) -> Response:
    require(viewer, "team.view")
    if viewer.person is None:
        return RedirectResponse("/payees", status_code=303)
    members = sorted(scope.filter(team_of(engine, viewer.person, today()) - {viewer.person}))
    return _team_page(request, "My team", pay.selection(engine, members, today()), None)


PAGE = 100


@router.get("/payees")
def payees(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Everyone the viewer may see, searchable, a hundred to a page."""
    require(viewer, "pay.view")
    names = pay.person_names(engine, None if scope.everyone else sorted(scope.payees or ()))
    paid = pay.paid_payees(engine) if scope.everyone else set(names)
    wanted = [
        p
        for p, n in names.items()
        if scope.sees(p)
        and p in paid
        and (not q or q.lower() in p.lower() or q.lower() in n.lower())
    ]
    chosen = pay.selection(engine, sorted(wanted), today())
    shown = chosen.members[(page - 1) * PAGE : page * PAGE]
    return _team_page(
        request,
        "Payees",
        chosen,
        q,
        pages=(page, max(1, -(-len(wanted) // PAGE)), len(wanted)),
        shown=shown,
    )
