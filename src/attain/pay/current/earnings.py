"""A payee's pay this period and this year, with the lines and attainment behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Engine, select

from attain.comp.engine.periods import periods_between
from attain.comp.live.schema import LivePayee
from attain.comp.runs.published import shown_run
from attain.comp.runs.schema import CompRun
from attain.comp.runs.show import StoredLine
from attain.pay.current.lines import current_lines
from attain.pay.current.names import person_names
from attain.pay.current.this_period import current_periods, started, this_period, year_fraction
from attain.pay.current.totals import ZERO, Totals, one_currency
from attain.pay.current.versions import Version, cached, pay_version
from attain.pay.line_units import RunUnits, run_units
from attain.pay.periods import kind_of, parse_period


def payee_lines(
    engine: Engine, payee: str, run: CompRun | None = None, since: str | None = None
) -> list[StoredLine]:
    """A payee's current lines with their whole traces (credit ids too), by period and plan."""
    lines = current_lines(engine, [payee], since=since, traces="full", run=run)
    lines.sort(key=lambda ln: (ln.period, ln.plan, ln.component))
    return lines


def live_updated_at(engine: Engine, payee: str) -> dt.datetime | None:
    """When a payee's figures were last recalculated live (None: as the run published them)."""
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


def attainment_points(lines: list[StoredLine]) -> list[AttainmentPoint]:
    """Each period's attainment, from the first line of the period whose trace names one."""
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


def earnings(
    engine: Engine, payee: str, today: dt.date | None = None, version: Version | None = None
) -> Earnings:
    """What a payee has earned this period and in its year (kept per payee until a newly
    published run or a live recalculation changes it; pass `version` when the caller has just
    read it)."""
    today = today or dt.date.today()
    key = (*(version or pay_version(engine, payee)), today)
    return cached("earnings", engine, payee, key, lambda: _earnings(engine, payee, today))


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
    label, periods = this_period(units, current, {ln.plan for ln in lines})
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
    return Earnings(
        payee=payee,
        name=name,
        run_id=run.id,
        period=label,
        this_period=sum(by_period.values(), ZERO),
        year=year,
        year_to_date=sum(by_year.values(), ZERO),
        lines=this_year,
        attainment=attainment_points(this_year),
        updated_at=live_updated_at(engine, payee),
        currency=one_currency({units.currency(ln.plan) for ln in lines}),
        this_period_by=by_period,
        year_to_date_by=by_year,
        units=units,
    )
