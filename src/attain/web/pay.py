"""What the pages and the API show about pay: a payee's earnings, their team, payouts by period.

Reads the latest complete run, with any live lines (recalculated after a deal or order changed)
laid over it. Nothing here decides who may see what: callers pass payees their scope allows.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, func, or_, select

from attain.comp.runs.schema import CompRun, PayoutLine
from attain.comp.runs.show import StoredLine
from attain.data.schema import Person
from attain.web.schema import LiveLine, LivePayee

ZERO = Decimal("0.00")
T = TypeVar("T")


def latest_run(engine: Engine) -> CompRun | None:
    """The newest complete run: what pages show until a newer one lands."""
    with engine.connect() as conn:
        row = conn.execute(
            select(CompRun)
            .where(CompRun.status == "complete")
            .order_by(CompRun.created_at.desc())
            .limit(1)
        ).first()
    return CompRun(**row._mapping) if row is not None else None


def person_names(engine: Engine, ids: list[str] | None = None) -> dict[str, str]:
    """Person id -> name (the newest version's), for the given ids or everyone."""
    query = select(Person.id, Person.name, Person.valid_from).order_by(Person.valid_from)
    if ids is not None:
        query = query.where(Person.id.in_(ids))
    with engine.connect() as conn:
        return {pid: name or pid for pid, name, _ in conn.execute(query).all()}


def year_fraction(period: str) -> Decimal:
    """How far through its year a period ends: 2027-03 -> 0.25, 2027-Q2 -> 0.5, 2027-W13 -> 0.25."""
    rest = period[5:]
    if not rest:
        return Decimal(1)
    if rest.startswith("Q"):
        return Decimal(int(rest[1:])) / 4
    if rest.startswith("W"):
        return min(Decimal(1), Decimal(int(rest[1:])) / 52)
    return Decimal(int(rest)) / 12


def payee_lines(
    engine: Engine, payee: str, run: CompRun | None = None, since: str | None = None
) -> list[StoredLine]:
    """A payee's lines in the latest run, with live lines replacing what they recalculated."""
    run = run or latest_run(engine)
    if run is None:
        return []
    query = select(PayoutLine).where(PayoutLine.run_id == run.id, PayoutLine.payee == payee)
    if since is not None:
        query = query.where(PayoutLine.period >= since)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        live = conn.execute(
            select(LivePayee.plan, LivePayee.period_from).where(
                LivePayee.payee == payee, LivePayee.base_run == run.id
            )
        ).all()
        live_rows = (
            conn.execute(select(LiveLine).where(LiveLine.payee == payee)).all() if live else []
        )
    replaced = dict(live)
    lines = [
        StoredLine(r.plan, r.payee, r.period, r.component, r.amount, json.loads(r.trace))
        for r in rows
        if not (r.plan in replaced and r.period >= replaced[r.plan])
    ]
    lines += [
        StoredLine(r.plan, r.payee, r.period, r.component, r.amount, json.loads(r.trace))
        for r in live_rows
        if r.plan in replaced
        and r.period >= replaced[r.plan]
        and (since is None or r.period >= since)
    ]
    lines.sort(key=lambda ln: (ln.period, ln.plan, ln.component))
    return lines


def live_updated_at(engine: Engine, payee: str) -> dt.datetime | None:
    with engine.connect() as conn:
        return conn.execute(
            select(LivePayee.computed_at)
            .where(LivePayee.payee == payee)
            .order_by(LivePayee.computed_at.desc())
            .limit(1)
        ).scalar()


@dataclass(frozen=True)
class AttainmentPoint:
    """Attainment at the end of a period, beside where it should be to be on pace."""

    period: str
    measure: str
    attainment: Decimal
    on_pace: Decimal

    @property
    def pace(self) -> Decimal:
        return self.attainment / self.on_pace if self.on_pace else Decimal(0)


@dataclass
class Earnings:
    """A payee's pay this period and this year, with the lines and attainment behind it."""

    payee: str
    name: str
    run_id: str | None
    period: str | None
    this_period: Decimal = ZERO
    year: str | None = None
    year_to_date: Decimal = ZERO
    lines: list[StoredLine] = field(default_factory=list)
    attainment: list[AttainmentPoint] = field(default_factory=list)
    updated_at: dt.datetime | None = None

    @property
    def period_lines(self) -> list[StoredLine]:
        return [ln for ln in self.lines if ln.period == self.period]

    @property
    def latest_attainment(self) -> AttainmentPoint | None:
        return self.attainment[-1] if self.attainment else None


def _attainment_points(lines: list[StoredLine]) -> list[AttainmentPoint]:
    points: dict[str, AttainmentPoint] = {}
    for ln in lines:
        t = ln.trace
        if "attainment" not in t or ln.period in points:
            continue
        on_pace = year_fraction(ln.period) if t.get("window") == "year" else Decimal(1)
        points[ln.period] = AttainmentPoint(
            ln.period, str(t.get("measure", "")), Decimal(str(t["attainment"])), on_pace
        )
    return [points[p] for p in sorted(points)]


_cache: dict[tuple[str, str, str], tuple[tuple[Any, ...], Any]] = {}
_cache_lock = threading.Lock()
_epoch = 0
CACHE_SIZE = 20_000


def pay_version(engine: Engine, payee: str) -> tuple[str | None, dt.datetime | None]:
    """What a payee's figures depend on: the latest run, and when their live lines were made.

    Two indexed lookups; a page compares them with what it cached instead of reading the lines.
    """
    newest_run = (
        select(CompRun.id)
        .where(CompRun.status == "complete")
        .order_by(CompRun.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    live = select(func.max(LivePayee.computed_at)).where(LivePayee.payee == payee).scalar_subquery()
    with engine.connect() as conn:
        row = conn.execute(select(newest_run, live)).one()
    return row[0], row[1]


def forget_cached_pay() -> None:
    """Drop what pages cached (after data that is not a run or a live line changed: people)."""
    global _epoch
    with _cache_lock:
        _cache.clear()
        _epoch += 1


def cached(kind: str, engine: Engine, payee: str, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """`make()` once per payee and `key` (a pay version), kept in this process."""
    slot = (kind, str(engine.url), payee)
    full = (*key, _epoch)
    with _cache_lock:
        hit = _cache.get(slot)
    if hit is not None and hit[0] == full:
        return cast(T, hit[1])
    value = make()
    with _cache_lock:
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()
        _cache[slot] = (full, value)
    return value


def earnings(
    engine: Engine,
    payee: str,
    today: dt.date | None = None,
    version: tuple[str | None, dt.datetime | None] | None = None,
) -> Earnings:
    """What a payee has earned in their latest period up to today and in that period's year
    (kept per payee until a new run or a live recalculation changes it; pass `version` when
    the caller has just read it)."""
    today = today or dt.date.today()
    key = (*(version or pay_version(engine, payee)), today)
    return cached("earnings", engine, payee, key, lambda: _earnings(engine, payee, today))


def _earnings(engine: Engine, payee: str, today: dt.date) -> Earnings:
    run = latest_run(engine)
    name = person_names(engine, [payee]).get(payee, payee)
    if run is None:
        return Earnings(payee, name, None, None)
    lines = payee_lines(engine, payee, run)
    upto = today.isoformat()
    shown = [ln for ln in lines if ln.period[:4] <= upto[:4]]
    if not shown:
        return Earnings(payee, name, run.id, None)
    period = max(ln.period for ln in shown)
    year = period[:4]
    this_year = [ln for ln in shown if ln.period[:4] == year]
    return Earnings(
        payee=payee,
        name=name,
        run_id=run.id,
        period=period,
        this_period=sum((ln.amount for ln in this_year if ln.period == period), ZERO),
        year=year,
        year_to_date=sum((ln.amount for ln in this_year), ZERO),
        lines=this_year,
        attainment=_attainment_points(this_year),
        updated_at=live_updated_at(engine, payee),
    )


@dataclass(frozen=True)
class TeamMember:
    payee: str
    name: str
    period: str | None
    this_period: Decimal
    year_to_date: Decimal
    attainment: Decimal | None
    pace: Decimal | None


def team(engine: Engine, payees: list[str], today: dt.date | None = None) -> list[TeamMember]:
    """Each payee's latest period, year to date and attainment (one query over the run)."""
    today = today or dt.date.today()
    run = latest_run(engine)
    if run is None or not payees:
        return []
    names = person_names(engine, payees)
    year = str(today.year)
    with engine.connect() as conn:
        last_year = conn.execute(
            select(PayoutLine.period)
            .where(PayoutLine.run_id == run.id, PayoutLine.period <= year + "~")
            .order_by(PayoutLine.period.desc())
            .limit(1)
        ).scalar()
    year = (last_year or year)[:4]
    per: dict[str, list[StoredLine]] = defaultdict(list)
    for chunk in range(0, len(payees), 500):
        some = payees[chunk : chunk + 500]
        with engine.connect() as conn:
            rows = conn.execute(
                select(PayoutLine).where(
                    PayoutLine.run_id == run.id,
                    PayoutLine.payee.in_(some),
                    PayoutLine.period >= year,
                    PayoutLine.period <= year + "~",
                )
            ).all()
        for r in rows:
            per[r.payee].append(
                StoredLine(r.plan, r.payee, r.period, r.component, r.amount, _light_trace(r.trace))
            )
    out = []
    for p in payees:
        lines = per.get(p, [])
        period = max((ln.period for ln in lines), default=None)
        points = _attainment_points([ln for ln in lines if ln.period == period])
        out.append(
            TeamMember(
                payee=p,
                name=names.get(p, p),
                period=period,
                this_period=sum((ln.amount for ln in lines if ln.period == period), ZERO),
                year_to_date=sum((ln.amount for ln in lines), ZERO),
                attainment=points[-1].attainment if points else None,
                pace=points[-1].pace if points else None,
            )
        )
    out.sort(key=lambda m: (m.name, m.payee))
    return out


def _light_trace(text: str) -> dict[str, Any]:
    """The trace's head (window, measure, attainment) without parsing its list of credit ids."""
    cut = text.find(',"credit_ids"')
    head: dict[str, Any] = json.loads(text[:cut] + "}" if cut > 0 else text)
    return head


@dataclass(frozen=True)
class PeriodTotal:
    period: str
    plan: str
    payees: int
    lines: int
    total: Decimal


def payouts_by_period(engine: Engine, payees: frozenset[str] | None = None) -> list[PeriodTotal]:
    """Totals per period and plan in the latest run (for the scope's payees), newest first."""
    run = latest_run(engine)
    if run is None:
        return []
    totals: dict[tuple[str, str], list[Any]] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(PayoutLine.period, PayoutLine.plan, PayoutLine.payee, PayoutLine.amount).where(
                PayoutLine.run_id == run.id
            )
        ).all()
    for period, plan, payee, amount in rows:
        if payees is not None and payee not in payees:
            continue
        t = totals.setdefault((period, plan), [set(), 0, ZERO])
        t[0].add(payee)
        t[1] += 1
        t[2] += amount
    return [
        PeriodTotal(period, plan, len(t[0]), t[1], t[2])
        for (period, plan), t in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1]), reverse=True
        )
    ]


def period_lines(
    engine: Engine, period: str, payees: frozenset[str] | None = None
) -> list[StoredLine]:
    """Every line of a period in the latest run (for the scope's payees), traces' heads only."""
    run = latest_run(engine)
    if run is None:
        return []
    query = select(PayoutLine).where(PayoutLine.run_id == run.id, PayoutLine.period == period)
    if payees is not None:
        query = query.where(or_(PayoutLine.payee.in_(sorted(payees))))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(PayoutLine.payee, PayoutLine.plan)).all()
    return [
        StoredLine(r.plan, r.payee, r.period, r.component, r.amount, _light_trace(r.trace))
        for r in rows
    ]
