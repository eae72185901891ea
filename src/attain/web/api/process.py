"""/process/{log}: the process map, variants, bottlenecks, a transition's cases and a
conformance check of the cases the viewer may see, with the permissions of the pages (a
manager: their part of the hierarchy's cases; a rep: their own; an unknown log is 404).
Seconds are numbers, money is a string with its currency, as in the rest of the API."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from attain.access import require
from attain.web import process_cache
from attain.web.deps import ApiCsrf, EngineDep, ScopeDep, ViewerDep
from attain.web.process_access import (
    Asked,
    BadInput,
    bottlenecks_seen,
    chosen_filter,
    map_seen,
    part_seen,
    prepared_log,
    transition_cases_seen,
    variants_seen,
)
from attain.web.process_query import CasesAsked, PathAsked

router = APIRouter(prefix="/process", tags=["process"])

Text = Annotated[str, Query(max_length=64)]


WaitingQuery = Annotated[
    Literal["elapsed", "business"],
    Query(
        description="elapsed: wall-clock time; business: only the working hours of each "
        "case's work calendar (a weekend is not a wait)."
    ),
]


def plain(value: Any) -> Any:
    """A result as JSON values: dataclasses as objects, Decimal as a string, days as ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [plain(v) for v in value]
    return value


def _filter(prepared: Any, asked: Asked) -> Any:
    try:
        return chosen_filter(asked, prepared.log)
    except BadInput as exc:
        raise HTTPException(422, str(exc)) from None


class ActivityOut(BaseModel):
    name: str
    events: int
    cases: int
    starts: int
    ends: int
    service_median_s: float | None
    service_mean_s: float | None


class TransitionOut(BaseModel):
    source: str
    target: str
    events: int
    cases: int
    wait_mean_s: float
    wait_median_s: float
    wait_p90_s: float
    wait_total_s: float


class ProcessMapOut(BaseModel):
    log: str
    case_label: str
    cases: int
    events: int
    waiting: str
    activities: list[ActivityOut]
    transitions: list[TransitionOut]
    starts: dict[str, int]
    ends: dict[str, int]


class TransitionCaseOut(BaseModel):
    case_id: str
    wait_s: float
    waited: str = Field(description="The wait written for people: `3 d 4 h`.")
    source_at: str
    target_at: str
    amount: str | None = Field(description="In `currency`, exact.")
    amount_shown: str = Field(description="`USD 1,234.50`, or `–` when the case has none.")
    currency: str | None
    owner: str | None


class TransitionCasesOut(BaseModel):
    log: str
    source: str
    target: str
    limit: int
    items: list[TransitionCaseOut]


@router.get("/{log}/map", response_model=ProcessMapOut)
def process_map_of(
    log: str,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: PathAsked,
    waiting: WaitingQuery = "elapsed",
) -> Any:
    """Activities and transitions with their counts and waiting times, start and end counts."""
    require(viewer, "process.view")
    prepared = prepared_log(engine, log)
    f = _filter(prepared, asked)
    return process_cache.remembered(
        prepared,
        ("map.json", scope.payees, asked, waiting),
        lambda: plain(map_seen(engine, prepared, scope, f, waiting)),
    )


@router.get("/{log}/variants")
def variants_of(
    log: str,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: CasesAsked,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> Any:
    """The distinct paths, most frequent first, with share, throughput and value."""
    require(viewer, "process.view")
    prepared = prepared_log(engine, log)
    vs = variants_seen(prepared, scope, _filter(prepared, asked), asked, limit)
    return {
        "log": log,
        "total_cases": vs.total_cases,
        "total_variants": vs.total_variants,
        "currency": vs.currency,
        "items": plain(list(vs.variants)),
    }


@router.get("/{log}/bottlenecks")
def bottlenecks_of(
    log: str,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: CasesAsked,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> Any:
    """The transitions that add the most time to the cases, with the value at stake."""
    require(viewer, "process.view")
    prepared = prepared_log(engine, log)
    kept, found = bottlenecks_seen(prepared, scope, _filter(prepared, asked), asked, limit)
    return {"log": log, "currency": kept.currency, "items": plain(found)}


@router.get("/{log}/transitions/{source}/{target}/cases", response_model=TransitionCasesOut)
def transition_cases(
    log: str,
    source: str,
    target: str,
    viewer: ViewerDep,
    scope: ScopeDep,
    engine: EngineDep,
    asked: PathAsked,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    waiting: WaitingQuery = "elapsed",
) -> Any:
    """The cases in which `target` directly followed `source`, slowest first (only the cases
    the viewer may see: another's case is never listed)."""
    from attain.money_format import money
    from attain.process.durations import humanised

    require(viewer, "process.view")
    prepared = prepared_log(engine, log)
    f = _filter(prepared, asked)
    kept, found = transition_cases_seen(
        engine, prepared, scope, f, (source, target), limit, waiting
    )
    items = [
        TransitionCaseOut(
            case_id=str(c["case_id"]),
            wait_s=float(c["wait_s"]),
            waited=humanised(float(c["wait_s"])),
            source_at=plain(c["source_at"]),
            target_at=plain(c["target_at"]),
            amount=None if c.get("amount") is None else str(c["amount"]),
            amount_shown=money(c["amount"], kept.currency) if c.get("amount") is not None else "–",
            currency=kept.currency,
            owner=c.get("owner"),
        )
        for c in found
    ]
    return TransitionCasesOut(log=log, source=source, target=target, limit=limit, items=items)


class RulesIn(BaseModel):
    rules: str = Field(max_length=100_000, description="Process rules in YAML.")


@router.post("/{log}/conformance", dependencies=[ApiCsrf])
def conformance_of(
    log: str, body: RulesIn, viewer: ViewerDep, scope: ScopeDep, engine: EngineDep
) -> Any:
    """Check the cases the viewer may see against process rules (nothing is written)."""
    from attain.process.conformance import RulesError, check, load_rules

    require(viewer, "process.view")
    prepared = prepared_log(engine, log)
    kept = part_seen(prepared, scope)
    try:
        parsed = load_rules(body.rules, source="rules")
    except RulesError as exc:
        raise HTTPException(422, str(exc)) from None
    with prepared.lock:
        report = check(kept, parsed)
    return {"log": log, "currency": kept.currency, "report": plain(report)}
