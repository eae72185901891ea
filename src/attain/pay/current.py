"""What the pages and the API show about pay: a payee's earnings, their team, payouts by period.

Reads the published run (the newest run whose lines are in the ledger), with any live lines
(recalculated after a deal or order changed) laid over it: a test run that was never published
changes nothing anyone sees. "This period" is one period per period kind for everyone, the
period of that kind holding the run's last day (or today, when earlier). Every amount carries
its plan's currency. Nothing here decides who may see what: callers pass payees their scope
allows.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, func, or_, select

from attain.comp.engine.periods import period_of, periods_between
from attain.comp.live.schema import LiveLine, LivePayee
from attain.comp.runs.published import forget_published, shown_run
from attain.comp.runs.schema import CompRun, PayoutLine
from attain.comp.runs.show import StoredLine
from attain.data.schema import Person
from attain.pay.line_units import RunUnits, run_units
from attain.pay.periods import kind_of, parse_period

ZERO = Decimal("0.00")
T = TypeVar("T")


def current_periods(run: CompRun | None, today: dt.date) -> dict[str, str]:
    """Period kind -> "this period" for everyone: the period of that kind holding the run's
    last day, or today when the run reaches past it (`{"month": "2026-11", "week": ...}`)."""
    if run is None:
        return {}
    day = min(run.span_to, today)
    return {kind: period_of(day, kind).key for kind in sorted(set(run_units(run).kinds.values()))}


@functools.lru_cache(maxsize=4096)
def _start(period: str) -> dt.date:
    return parse_period(period).start


def started(period: str, today: dt.date) -> bool:
    """Whether a period has begun by `today` (a run may reach into later periods)."""
    return _start(period) <= today


class Totals(dict[str, Decimal]):
    """Amounts per currency (never added across currencies), shown `USD 1.00 · EUR 2.00`."""

    def add(self, currency: str, amount: Decimal) -> None:
        self[currency] = self.get(currency, ZERO) + amount

    def merge(self, other: Totals) -> None:
        for currency, amount in other.items():
            self.add(currency, amount)

    def single(self) -> tuple[Decimal | None, str | None]:
        """The amount and its currency when there is one currency (zero, no currency, when
        empty); `(None, None)` when amounts are in several currencies."""
        if not self:
            return ZERO, None
        if len(self) > 1:
            return None, None
        currency, amount = next(iter(self.items()))
        return amount, currency or None


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
    """A payee's lines in the published run, with live lines replacing what they recalculated."""
    run = run or shown_run(engine)
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
    """A payee's pay this period and this year, with the lines and attainment behind it.

    `period` is this period for everyone on the payee's plans' period kind; a payee without a
    line there earned zero in it. Amounts are in `currency` (blank when the payee's plans pay
    in several: then `this_period_by` and `year_to_date_by` hold each currency's amount)."""

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
    currency: str = ""
    this_period_by: Totals = field(default_factory=Totals)
    year_to_date_by: Totals = field(default_factory=Totals)
    units: RunUnits = field(default_factory=lambda: RunUnits({}, {}))

    @property
    def period_lines(self) -> list[StoredLine]:
        return [ln for ln in self.lines if ln.period == self.period]

    @property
    def latest_attainment(self) -> AttainmentPoint | None:
        return self.attainment[-1] if self.attainment else None

    def attainment_series(self) -> list[tuple[str, Decimal | None, Decimal, bool]]:
        """Attainment in every period of the year up to this period. A period without a line
        keeps its place: `None` (drawn at zero) for a period window; for a year-to-date window
        the attainment carried from the period before, since no line means the year to date
        did not move."""
        if not self.attainment:
            return []
        kind = kind_of(self.attainment[0].period)
        last = max(
            [a.period for a in self.attainment]
            + [p for p in (self.period or "").split(" + ") if p and kind_of(p) == kind]
        )
        end = parse_period(last)
        yearly = self._yearly()
        have = {a.period: a for a in self.attainment}
        out: list[tuple[str, Decimal | None, Decimal, bool]] = []
        carried: Decimal | None = None
        for p in periods_between(kind, end.year_start, end.end):
            a = have.get(p.key)
            pace = year_fraction(p.key) if yearly else Decimal(1)
            if a is not None:
                carried = a.attainment if yearly else None
                out.append((p.key, a.attainment, a.on_pace, True))
            else:
                out.append((p.key, carried, pace, False))
        return out

    def _yearly(self) -> bool:
        return any(
            ln.trace.get("window") == "year" for ln in self.lines if "attainment" in ln.trace
        )

    def currency_of(self, line: StoredLine) -> str:
        return self.units.currency(line.plan)


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
    """What a payee's figures depend on: the published run, and when their live lines were made.

    Two indexed lookups; a page compares them with what it cached instead of reading the lines.
    """
    run = shown_run(engine)
    live = select(func.max(LivePayee.computed_at)).where(LivePayee.payee == payee)
    with engine.connect() as conn:
        return (run.id if run is not None else None), conn.execute(live).scalar()


def forget_cached_pay() -> None:
    """Drop what pages cached (after data that is not a run or a live line changed: people)."""
    global _epoch
    with _cache_lock:
        _cache.clear()
        forget_published()
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
    """What a payee has earned this period and in its year (kept per payee until a newly
    published run or a live recalculation changes it; pass `version` when the caller has just
    read it)."""
    today = today or dt.date.today()
    key = (*(version or pay_version(engine, payee)), today)
    return cached("earnings", engine, payee, key, lambda: _earnings(engine, payee, today))


def _this_period(
    units: RunUnits, current: dict[str, str], plans: set[str]
) -> tuple[str | None, set[str]]:
    """The periods a payee's plans call "this period" (one per kind), and a name for them."""
    periods = {current[k] for p in plans if (k := units.kinds.get(p)) in current}
    return (" + ".join(sorted(periods)) or None), periods


def _one(currencies: set[str]) -> str:
    return next(iter(currencies)) if len(currencies) == 1 else ""


def earnings_in_run(engine: Engine, payee: str, run: CompRun, today: dt.date) -> Earnings:
    """What a payee earned in any run, published or not (an admin looking at a run by id)."""
    return _earnings(engine, payee, today, run)


def _earnings(
    engine: Engine, payee: str, today: dt.date, chosen: CompRun | None = None
) -> Earnings:
    run = chosen or shown_run(engine)
    name = person_names(engine, [payee]).get(payee, payee)
    if run is None:
        return Earnings(payee, name, None, None)
    units = run_units(run)
    current = current_periods(run, today)
    lines = [ln for ln in payee_lines(engine, payee, run) if started(ln.period, today)]
    label, periods = _this_period(units, current, {ln.plan for ln in lines})
    if not lines or not periods:
        return Earnings(payee, name, run.id, label, units=units)
    year = min(periods)[:4]
    this_year = [ln for ln in lines if ln.period[:4] == year]
    by_period, by_year = Totals(), Totals()
    for ln in this_year:
        currency = units.currency(ln.plan)
        by_year.add(currency, ln.amount)
        if ln.period in periods:
            by_period.add(currency, ln.amount)
    currency = _one({units.currency(ln.plan) for ln in lines})
    return Earnings(
        payee=payee,
        name=name,
        run_id=run.id,
        period=label,
        this_period=sum(by_period.values(), ZERO),
        year=year,
        year_to_date=sum(by_year.values(), ZERO),
        lines=this_year,
        attainment=_attainment_points(this_year),
        updated_at=live_updated_at(engine, payee),
        currency=currency,
        this_period_by=by_period,
        year_to_date_by=by_year,
        units=units,
    )


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
    """Each payee's this period, year to date and attainment (one read over the run)."""
    return selection(engine, payees, today).members


def selection(engine: Engine, payees: list[str], today: dt.date | None = None) -> Selection:
    """Every payee's row and the totals of them all (amounts in one query, traces only for
    this period's lines)."""
    today = today or dt.date.today()
    run = shown_run(engine)
    if run is None or not payees:
        return Selection([], {})
    units = run_units(run)
    current = current_periods(run, today)
    this = set(current.values())
    year = min(this)[:4] if this else str(today.year)
    names = person_names(engine, payees)
    amounts: dict[str, list[tuple[str, str, Decimal]]] = defaultdict(list)
    traces: dict[str, list[StoredLine]] = defaultdict(list)
    for chunk in range(0, len(payees), 500):
        some = payees[chunk : chunk + 500]
        mine = (PayoutLine.run_id == run.id, PayoutLine.payee.in_(some))
        with engine.connect() as conn:
            for payee, plan, period, amount in conn.execute(
                select(
                    PayoutLine.payee, PayoutLine.plan, PayoutLine.period, PayoutLine.amount
                ).where(*mine, PayoutLine.period >= year, PayoutLine.period <= year + "~")
            ):
                amounts[payee].append((plan, period, amount))
            for r in conn.execute(select(PayoutLine).where(*mine, PayoutLine.period.in_(this))):
                traces[r.payee].append(
                    StoredLine(
                        r.plan, r.payee, r.period, r.component, r.amount, _light_trace(r.trace)
                    )
                )
    out = Selection([], current)
    for p in payees:
        rows = [r for r in amounts.get(p, []) if started(r[1], today)]
        label, periods = _this_period(units, current, {plan for plan, _, _ in rows})
        by_period, by_year = Totals(), Totals()
        for plan, period, amount in rows:
            by_year.add(units.currency(plan), amount)
            if period in periods:
                by_period.add(units.currency(plan), amount)
                out.this_period.setdefault(period, Totals()).add(units.currency(plan), amount)
        out.year_to_date.merge(by_year)
        points = _attainment_points([ln for ln in traces.get(p, []) if ln.period in periods])
        member = TeamMember(
            payee=p,
            name=names.get(p, p),
            period=label,
            this_period=by_period,
            year_to_date=by_year,
            attainment=points[-1].attainment if points else None,
            pace=points[-1].pace if points else None,
            kinds=tuple(sorted({units.kinds.get(plan, "") for plan, _, _ in rows} - {""})),
            currency=_one({units.currency(plan) for plan, _, _ in rows}),
        )
        out.members.append(member)
        if member.pace is not None:
            out.with_pace += 1
            out.on_pace += member.pace >= 1
    out.members.sort(key=lambda m: (m.name, m.payee))
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
    currency: str = ""


def payouts_by_period(engine: Engine, payees: frozenset[str] | None = None) -> list[PeriodTotal]:
    """Totals per period and plan in the published run (for the scope's payees), newest first."""
    run = shown_run(engine)
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
    units = run_units(run)
    return [
        PeriodTotal(period, plan, len(t[0]), t[1], t[2], units.currency(plan))
        for (period, plan), t in sorted(
            totals.items(), key=lambda kv: (kv[0][0], kv[0][1]), reverse=True
        )
    ]


def period_lines(
    engine: Engine, period: str, payees: frozenset[str] | None = None
) -> list[StoredLine]:
    """Every line of a period in the published run (for the scope's payees), traces' heads only."""
    run = shown_run(engine)
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
