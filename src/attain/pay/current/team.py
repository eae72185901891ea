"""A list of payees (a manager's team, the payee list): each one's row and the totals of all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Engine

from attain.comp.runs.published import shown_run
from attain.comp.runs.show import StoredLine
from attain.pay.current.earnings import attainment_points
from attain.pay.current.lines import current_lines
from attain.pay.current.names import person_names
from attain.pay.current.this_period import current_periods, started, this_period
from attain.pay.current.totals import Totals, one_currency
from attain.pay.current.versions import cached, list_key, live_version
from attain.pay.line_units import run_units


@dataclass(frozen=True)
class TeamMember:
    """One row of a team or payee list: this period as the column names it, or zero."""

    payee: str
    name: str
    period: str | None
    this_period: Totals
    year_to_date: Totals
    attainment: Decimal | None
    pace: Decimal | None
    kinds: tuple[str, ...] = ()
    """The period kinds of the member's plans this year (week, month, quarter)."""
    currency: str = ""
    """The member's plans' currency (blank when none or several): what a zero is in."""


@dataclass
class Selection:
    """A whole list's figures: everyone in it, not the page on screen. This period's pay is
    summed per period ("2026-11", "2026-W49": never weeks and months together) and currency."""

    members: list[TeamMember]
    periods: dict[str, str]
    this_period: dict[str, Totals] = field(default_factory=dict)
    year_to_date: Totals = field(default_factory=Totals)
    on_pace: int = 0
    with_pace: int = 0


def team(engine: Engine, payees: list[str], today: dt.date | None = None) -> list[TeamMember]:
    """Each payee's this period, year to date and attainment, as their own dashboard shows it."""
    return selection(engine, payees, today).members


def selection(engine: Engine, payees: list[str], today: dt.date | None = None) -> Selection:
    """Every payee's row and the totals of them all, from the current lines (kept until a
    newly published run or a live recalculation of any of them changes it)."""
    today = today or dt.date.today()
    chosen = sorted(set(payees))
    key = (*live_version(engine, chosen), today)
    return cached(
        "selection", engine, list_key(chosen), key, lambda: _selection(engine, chosen, today)
    )


def _selection(engine: Engine, payees: list[str], today: dt.date) -> Selection:
    """Amounts of this year's lines only (no traces), and the heads of this period's traces."""
    run = shown_run(engine)
    if run is None or not payees:
        return Selection([], {})
    units = run_units(run)
    current = current_periods(run, today)
    this = set(current.values())
    first = min(this)[:4] if this else str(today.year)
    last = max(this)[:4] if this else str(today.year)
    names = person_names(engine, payees)
    amounts: dict[str, list[StoredLine]] = defaultdict(list)
    for ln in current_lines(engine, payees, since=first, until=last + "~", traces="none", run=run):
        if started(ln.period, today):
            amounts[ln.payee].append(ln)
    traces: dict[str, list[StoredLine]] = defaultdict(list)
    for ln in current_lines(engine, payees, period=this, traces="head", run=run) if this else []:
        traces[ln.payee].append(ln)
    out = Selection([], current)
    for p in payees:
        label, periods = this_period(units, current, {ln.plan for ln in amounts.get(p, [])})
        year = min(periods)[:4] if periods else ""
        rows = [ln for ln in amounts.get(p, []) if ln.period[:4] == year]
        by_period, by_year = Totals(), Totals()
        for ln in rows:
            currency = units.currency(ln.plan)
            by_year.add(currency, ln.amount)
            if ln.period in periods:
                by_period.add(currency, ln.amount)
                out.this_period.setdefault(ln.period, Totals()).add(currency, ln.amount)
        out.year_to_date.merge(by_year)
        points = attainment_points([ln for ln in traces.get(p, []) if ln.period in periods])
        member = TeamMember(
            payee=p,
            name=names.get(p, p),
            period=label,
            this_period=by_period,
            year_to_date=by_year,
            attainment=points[-1].attainment if points else None,
            pace=points[-1].pace if points else None,
            kinds=tuple(sorted({units.kinds.get(ln.plan, "") for ln in rows} - {""})),
            currency=one_currency({units.currency(ln.plan) for ln in rows}),
        )
        out.members.append(member)
        if member.pace is not None:
            out.with_pace += 1
            out.on_pace += member.pace >= 1
    out.members.sort(key=lambda m: (m.name, m.payee))
    return out
