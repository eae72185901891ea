"""The current lines: the published run's lines, with live lines replacing what they recalculated.

Every figure that claims to be "what is paid now" (a payee's dashboard, a manager's team, the
payee list, the finance page, the payouts API and its export, `attain pay now`) is summed from
these lines, so no two of them can disagree. A live line replaces the run's lines of its payee
and plan from the period its recalculation began on; live lines made over an older run are
ignored (the newer published run already holds their change).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from typing import Any, Literal

from sqlalchemy import Engine, select

from attain.comp.live.schema import LiveLine, LivePayee
from attain.comp.runs.published import shown_run
from attain.comp.runs.schema import CompRun, PayoutLine
from attain.comp.runs.show import StoredLine

Traces = Literal["full", "head", "none"]
"""How much of each trace to read: all of it, its head (window, measure, attainment: no list of
credit ids to parse), or nothing (amounts only: a team's year to date, the finance totals)."""

CHUNK = 500
"""Payees per IN list: large teams are read in several queries, never one unbounded list."""


def light_trace(text: str) -> dict[str, Any]:
    """The trace's head (window, measure, attainment) without parsing its list of credit ids."""
    cut = text.find(',"credit_ids"')
    head: dict[str, Any] = json.loads(text[:cut] + "}" if cut > 0 else text)
    return head


def _trace(text: str, traces: Traces) -> dict[str, Any]:
    if traces == "head":
        return light_trace(text)
    full: dict[str, Any] = json.loads(text)
    return full


def _chunks(payees: Collection[str] | None) -> Iterator[list[str] | None]:
    if payees is None:
        yield None
        return
    ordered = sorted(set(payees))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def _periods(period: str | Collection[str] | None) -> list[str] | None:
    if period is None:
        return None
    return [period] if isinstance(period, str) else sorted(set(period))


def current_lines(
    engine: Engine,
    payees: Collection[str] | None = None,
    period: str | Collection[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    traces: Traces = "head",
    run: CompRun | None = None,
) -> list[StoredLine]:
    """What is paid now: lines of `payees` (everyone when None) in `period` (one key or several)
    and between `since` and `until` (period keys compared as text, `until` inclusive), sorted by
    payee, period, plan and component. `run` is the published run unless given (an admin
    looking at another run sees that run with the live lines made over it)."""
    run = run or shown_run(engine)
    if run is None or (payees is not None and not payees):
        return []
    periods = _periods(period)
    out: list[StoredLine] = []
    for some in _chunks(payees):
        out += _chunk_lines(engine, run, some, periods, since, until, traces)
    out.sort(key=lambda ln: (ln.payee, ln.period, ln.plan, ln.component))
    return out


def _chunk_lines(
    engine: Engine,
    run: CompRun,
    payees: list[str] | None,
    periods: list[str] | None,
    since: str | None,
    until: str | None,
    traces: Traces,
) -> list[StoredLine]:
    def where(table: Any) -> list[Any]:
        found = []
        if payees is not None:
            found.append(table.payee.in_(payees))
        if periods is not None:
            found.append(table.period.in_(periods))
        if since is not None:
            found.append(table.period >= since)
        if until is not None:
            found.append(table.period <= until)
        return found

    def columns(table: Any) -> list[Any]:
        wanted = [table.plan, table.payee, table.period, table.component, table.amount]
        return wanted if traces == "none" else [*wanted, table.trace]

    live_of = select(LivePayee.payee, LivePayee.plan, LivePayee.period_from).where(
        LivePayee.base_run == run.id
    )
    if payees is not None:
        live_of = live_of.where(LivePayee.payee.in_(payees))
    with engine.connect() as conn:
        replaced = {(p, plan): since_ for p, plan, since_ in conn.execute(live_of)}
        rows = conn.execute(
            select(*columns(PayoutLine)).where(PayoutLine.run_id == run.id, *where(PayoutLine))
        ).all()
        live_payees = sorted({p for p, _ in replaced})
        live_rows = [
            r
            for i in range(0, len(live_payees), CHUNK)
            for r in conn.execute(
                select(*columns(LiveLine)).where(
                    LiveLine.payee.in_(live_payees[i : i + CHUNK]), *where(LiveLine)
                )
            )
        ]
    return _laid_over(rows, live_rows, replaced, traces)


def _laid_over(
    rows: Sequence[Any],
    live_rows: Sequence[Any],
    replaced: dict[tuple[str, str], str],
    traces: Traces,
) -> list[StoredLine]:
    """The run's rows that no live line replaced, then the live rows that replace them."""

    def line(r: Any) -> StoredLine:
        plan, payee, period, component, amount = r[:5]
        trace = {} if traces == "none" else _trace(r[5], traces)
        return StoredLine(plan, payee, period, component, amount, trace)

    if not replaced:
        return [line(r) for r in rows]

    def is_replaced(r: Any) -> bool:
        since_ = replaced.get((r[1], r[0]))
        return since_ is not None and r[2] >= since_

    return [line(r) for r in rows if not is_replaced(r)] + [
        line(r) for r in live_rows if is_replaced(r)
    ]


def paid_payees(engine: Engine, run: CompRun | None = None) -> set[str]:
    """Everyone with a line in what is paid now (the run's payees and any live payee over it)."""
    run = run or shown_run(engine)
    if run is None:
        return set()
    with engine.connect() as conn:
        found = set(
            conn.execute(
                select(PayoutLine.payee).distinct().where(PayoutLine.run_id == run.id)
            ).scalars()
        )
        found |= set(
            conn.execute(
                select(LivePayee.payee).distinct().where(LivePayee.base_run == run.id)
            ).scalars()
        )
    return found
