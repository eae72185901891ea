"""Process pages: the map of a log's cases the viewer may see (frequency or performance, with
filters; a click on an arrow lists its cases), its variants, its bottlenecks and a conformance
check. A manager sees their part of the hierarchy's cases, a rep their own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from attain.access import require
from attain.process.prepared import PreparedLog
from attain.web import process_cache
from attain.web.deps import EngineDep, FormCsrf, ScopeDep, ViewerDep
from attain.web.process_access import (
    WAITING,
    Asked,
    BadInput,
    attribute_columns,
    bottlenecks_seen,
    chosen_filter,
    chosen_mode,
    chosen_waiting,
    map_seen,
    part_seen,
    prepared_log,
    variants_seen,
)
from attain.web.process_query import CasesAsked, PathAsked
from attain.web.ui.render import render

router = APIRouter()

SHOWN_TRANSITIONS = 20
PATHS = {"20": 20, "50": 50, "all": None}
"""How many of the busiest transitions the map draws (every activity stays connected)."""
SHOWN_VARIANTS = 50
SHOWN_BOTTLENECKS = 20

LogQuery = Annotated[str, Query(max_length=64)]
Text = Annotated[str, Query(max_length=64)]


def _invalid(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", {"title": "Invalid input", "detail": str(exc)}, 422)


def _common(engine: Engine, name: str, asked: Asked) -> tuple[PreparedLog, dict[str, Any]]:
    """The prepared log, and what every process page shows above its figures: the logs, the
    filter form."""
    prepared = prepared_log(engine, name)
    return prepared, {
        "log_name": name,
        "logs": process_cache.log_names(engine),
        "asked": asked,
        "attributes": attribute_columns(prepared.log),
        "case_label": prepared.log.case_label,
    }


@router.get("/process")
def map_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: PathAsked,
    log: LogQuery = "deals",
    mode: Text = "frequency",
    paths: Text = "50",
    waiting: Text = "elapsed",
) -> Response:
    """The process map of the cases the viewer may see, with its busiest transitions."""
    from attain.process.render_svg import render_map

    require(viewer, "process.view")
    prepared, context = _common(engine, log, asked)
    try:
        chosen = chosen_mode(mode)
        clock = chosen_waiting(waiting)
        if paths not in PATHS:
            raise BadInput(f"paths: {paths!r} is not one of {', '.join(PATHS)}")
        f = chosen_filter(asked, prepared.log)
    except BadInput as exc:
        return _invalid(request, exc)
    pm = process_cache.remembered(
        prepared,
        ("map", scope.payees, asked, clock),
        lambda: map_seen(engine, prepared, scope, f, clock),
    )
    busiest = sorted(pm.transitions, key=lambda t: (-t.events, t.source, t.target))
    return render(
        request,
        "process_map.html",
        {
            **context,
            "pm": pm,
            "mode": chosen,
            "svg": process_cache.remembered(
                prepared,
                ("svg", scope.payees, asked, clock, chosen, paths),
                lambda: render_map(pm, mode=chosen, paths=PATHS[paths]),
            ),
            "paths": paths,
            "path_choices": list(PATHS),
            "waiting": clock,
            "waiting_choices": WAITING,
            "busiest": busiest[:SHOWN_TRANSITIONS],
            "query": asked.query() + ("&waiting=business" if clock == "business" else ""),
        },
    )


@router.get("/process/variants")
def variants_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: CasesAsked,
    log: LogQuery = "deals",
) -> Response:
    """The distinct paths of the cases the viewer may see, most frequent first."""
    require(viewer, "process.view")
    prepared, context = _common(engine, log, asked)
    try:
        f = chosen_filter(asked, prepared.log)
    except BadInput as exc:
        return _invalid(request, exc)
    vs = variants_seen(prepared, scope, f, asked, SHOWN_VARIANTS)
    return render(request, "process_variants.html", {**context, "vs": vs, "query": asked.query()})


@router.get("/process/bottlenecks")
def bottlenecks_page(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: CasesAsked,
    log: LogQuery = "deals",
) -> Response:
    """Where the cases the viewer may see lose the most time (and value at stake)."""
    from attain.process.report_rows import table

    require(viewer, "process.view")
    prepared, context = _common(engine, log, asked)
    try:
        f = chosen_filter(asked, prepared.log)
    except BadInput as exc:
        return _invalid(request, exc)
    kept, found = bottlenecks_seen(prepared, scope, f, asked, SHOWN_BOTTLENECKS)
    headings, rows = table(found, kept.currency)
    links = [(getattr(b, "source", ""), getattr(b, "target", "")) for b in found]
    return render(
        request,
        "process_bottlenecks.html",
        {**context, "headings": headings, "rows": list(zip(rows, links, strict=True))},
    )


@router.get("/process/conformance")
def conformance_page(
    request: Request, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep, log: LogQuery = "deals"
) -> Response:
    """The rules form: process rules (YAML; the shipped example for the log to start from) to
    check the cases the viewer may see."""
    from attain.process.conformance import EXAMPLES

    require(viewer, "process.view")
    _, context = _common(engine, log, Asked())
    example = EXAMPLES / f"{log}.yaml"
    rules = example.read_text(encoding="utf-8") if example.is_file() else ""
    return render(request, "process_conformance.html", {**context, "rules": rules, "report": None})


@router.post("/process/conformance", dependencies=[FormCsrf])
def check_conformance(
    request: Request,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    rules: Annotated[str, Form(max_length=100_000)],
    log: Annotated[str, Form(max_length=64)] = "deals",
) -> Response:
    """Check the cases the viewer may see against the rules; a rule's error names its line."""
    from attain.process.conformance import RulesError, check, load_rules
    from attain.process.report_sections import conformance_sections

    require(viewer, "process.view")
    prepared, context = _common(engine, log, Asked())
    chosen = part_seen(prepared, scope)
    try:
        parsed = load_rules(rules, source="rules")
    except RulesError as exc:
        return render(
            request,
            "process_conformance.html",
            {**context, "rules": rules, "report": None, "problem": str(exc)},
            status=422,
        )
    with prepared.lock:
        report = check(chosen, parsed)
    _title, notes, sections = conformance_sections(report)
    return render(
        request,
        "process_conformance.html",
        {**context, "rules": rules, "report": {"notes": notes, "sections": sections}},
    )
