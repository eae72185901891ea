"""What a payee would earn if some of their open deals were won: priced by the engine itself.

The estimate is the difference of two calculations on the store's data: the payee's plans as
the data stands, and the same with the chosen deals taken as won on their close date (today, if
that date has passed or is missing). Each deal so lands in the period it would close in, in the
plan currency (the plan's credit rules convert it as they convert any deal), through every
filter, tier, gate and cap the plan has. Each calendar year is priced on its own, so deals of a
year the plans cannot price yet (no quota, no exchange rate) are said, and the others priced.
Nothing is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import ibis
from sqlalchemy import Engine, Float, cast, select

from attain.comp.engine import PayoutLine, calculate
from attain.comp.engine.periods import period_of
from attain.comp.errors import PlanError
from attain.comp.language import Plan, load_plans
from attain.comp.runs.inputs import store_assignments, store_tables_read
from attain.data.columnar import load_into_duckdb
from attain.data.schema import Deal
from attain.data.stages import stage_catalog

ZERO = Decimal("0.00")
ADDED_DEAL = "what-if amount"
"""The id of the deal an extra amount is priced as."""


Key = tuple[str, str, str]  # plan, component, period
Loader = Callable[[duckdb.DuckDBPyConnection, list[str]], None]


@dataclass(frozen=True)
class OpenDeal:
    id: str
    name: str
    amount: Decimal
    currency: str
    stage: str
    close_date: dt.date | None


@dataclass(frozen=True)
class Estimate:
    """One line (plan, component, period) as paid now and with the deals won."""

    plan: str
    component: str
    period: str
    currency: str
    measure: str
    measure_currency: str  # the plan's for a money measure, blank for a count or units
    measure_now: Decimal | None  # None: no line (the engine writes no line that pays nothing)
    measure_then: Decimal | None
    earned_now: Decimal
    earned_then: Decimal
    tier_now: int | None
    tier_then: int | None
    tiers: int

    @property
    def extra(self) -> Decimal:
        return self.earned_then - self.earned_now


@dataclass(frozen=True)
class WhatIf:
    """The payee's lines in the periods the deals would close in, now and with the deals won."""

    payee: str
    deals: tuple[OpenDeal, ...]
    amount: Decimal
    estimates: tuple[Estimate, ...]
    problems: tuple[str, ...] = ()
    """Deals of a year the plans cannot price (a quota not set yet, say), and why."""
    notes: tuple[str, ...] = ()
    """Exchange rates not known yet, taken as the latest known one."""

    def extra(self) -> dict[str, Decimal]:
        """The extra pay per currency (plans may pay in different ones)."""
        out: dict[str, Decimal] = {}
        for x in self.estimates:
            out[x.currency] = out.get(x.currency, ZERO) + x.extra
        return out


def open_deals(
    engine: Engine, payee: str, limit: int = 200, ids: Sequence[str] | None = None
) -> list[OpenDeal]:
    """The payee's deals in an open stage of the catalog, biggest first."""
    catalog = stage_catalog(engine)
    query = (
        select(Deal.id, Deal.name, Deal.amount, Deal.currency, Deal.stage, Deal.close_date)
        .where(Deal.owner == payee, Deal.stage.in_(catalog.names("open")))
        .where(Deal.cancelled_date.is_(None))
        .order_by(
            cast(Deal.amount, Float).desc().nulls_last(), Deal.id
        )  # SQLite keeps money as text
    )
    if ids is not None:
        query = query.where(Deal.id.in_(list(ids)))
    with engine.connect() as conn:
        rows = conn.execute(query.limit(limit)).all()
    return [
        OpenDeal(r.id, r.name or r.id, r.amount or ZERO, r.currency or "", r.stage, r.close_date)
        for r in rows
    ]


def close_day(deal: OpenDeal, on: dt.date) -> dt.date:
    """When a deal would be won: its close date, or `on` when that has passed or is missing."""
    return max(deal.close_date, on) if deal.close_date is not None else on


def what_if(
    engine: Engine,
    plans: Sequence[Plan],
    payee: str,
    deal_ids: Sequence[str] = (),
    *,
    amount: Decimal = ZERO,
    on: dt.date,
    load: Loader | None = None,
) -> WhatIf:
    """The payee's pay with the open deals `deal_ids` won (and, with `amount`, one more won deal
    of that amount in the plan currency closing on `on`), against their pay without them.

    `load` puts the tables the plans read into the DuckDB connection (default: whole tables);
    a caller that knows which rows can credit the payee may load only those.
    """
    wanted = list(dict.fromkeys(deal_ids))
    deals = open_deals(engine, payee, limit=len(wanted) + 1, ids=wanted) if wanted else []
    missing = sorted(set(wanted) - {d.id for d in deals})
    if missing:
        raise PlanError(f"not an open deal of {payee}: {', '.join(missing)}")
    if amount < 0:
        raise PlanError("the extra amount cannot be negative")
    assignments = [a for a in store_assignments(engine, {p.id for p in plans}) if a.payee == payee]
    mine = [p for p in plans if p.id in {a.plan for a in assignments}]
    closing = {d.id: close_day(d, on) for d in deals} | ({ADDED_DEAL: on} if amount else {})
    if not mine or not closing:
        return WhatIf(payee, tuple(deals), amount, ())
    years = {
        day.year: [i for i, d in closing.items() if d.year == day.year] for day in closing.values()
    }
    now: dict[int, dict[Key, PayoutLine]] = {}
    then: dict[int, dict[Key, PayoutLine]] = {}
    problems: list[str] = []
    raw = duckdb.connect()
    try:
        tables = sorted({*store_tables_read(engine, list(mine)), "deals"})
        if load is None:
            load_into_duckdb(engine, raw, tables)
        else:
            load(raw, tables)
        notes = _carry_rates_forward(raw, max(closing.values()), {d.currency for d in deals})
        con = ibis.duckdb.from_connection(raw)

        def price(year: int, into: dict[int, dict[Key, PayoutLine]]) -> None:
            days = [closing[i] for i in years[year]]
            try:
                into[year] = _payee_lines(con, mine, assignments, payee, min(days), max(days))
            except PlanError as exc:
                problems.append(f"{', '.join(years[year])} (closing in {year}) not priced: {exc}")
                now.pop(year, None)

        for year in sorted(years):
            price(year, now)
        _take_as_won(raw, deals, stage_catalog(engine).won_stage, closing, payee, amount)
        for year in sorted(now):
            price(year, then)
    finally:
        raw.close()
    currency = {p.id: p.currency for p in mine}
    in_money = {(p.id, c.id): p.measure_in_money(c.measure) for p in mine for c in p.components}
    periods = {(p.id, period_of(day, p.period).key) for p in mine for day in closing.values()}
    estimates = []
    for year in sorted(then):
        a_year, b_year = now[year], then[year]
        for key in sorted(a_year.keys() | b_year.keys(), key=lambda k: (k[2], k[0], k[1])):
            a, b = a_year.get(key), b_year.get(key)
            if (key[0], key[2]) not in periods and _amount(a) == _amount(b):
                continue
            money = in_money.get((key[0], key[1]), False)
            estimates.append(_estimate(key, currency[key[0]], money, a, b))
    return WhatIf(payee, tuple(deals), amount, tuple(estimates), tuple(problems), notes)


def _payee_lines(
    con: ibis.BaseBackend,
    plans: Sequence[Plan],
    assignments: Sequence[object],
    payee: str,
    start: dt.date,
    end: dt.date,
) -> dict[Key, PayoutLine]:
    result = calculate(con, plans, assignments, start, end)
    return {(ln.plan, ln.component, ln.period): ln for ln in result.lines if ln.payee == payee}


def _carry_rates_forward(
    raw: duckdb.DuckDBPyConnection, last: dt.date, said: set[str]
) -> tuple[str, ...]:
    """Each currency's latest rate, for the months after it up to `last`'s: a deal closing next
    month has no rate yet, and an estimate takes today's. Notes name the `said` currencies."""
    tables = {
        r[0] for r in raw.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    if "fx_rates" not in tables:
        return ()
    upto = f"{last:%Y-%m}"
    latest = raw.execute(
        "SELECT currency, max(month) FROM fx_rates GROUP BY currency HAVING max(month) < ? "
        "ORDER BY currency",
        [upto],
    ).fetchall()
    notes = []
    for currency, month in latest:
        raw.execute(
            """
            INSERT INTO fx_rates (currency, month, rate)
            SELECT f.currency, strftime(m.month, '%Y-%m'), f.rate
            FROM fx_rates f, (
                SELECT unnest(generate_series(
                    CAST(? || '-01' AS DATE) + INTERVAL 1 MONTH, CAST(? || '-01' AS DATE),
                    INTERVAL 1 MONTH)) AS month
            ) m
            WHERE f.currency = ? AND f.month = ?""",
            [month, upto, currency, month],
        )
        if currency in said:
            notes.append(
                f"{currency} after {month} is converted at {month}'s rate (none known yet)"
            )
    return tuple(notes)


def _take_as_won(
    raw: duckdb.DuckDBPyConnection,
    deals: Sequence[OpenDeal],
    won_stage: str,
    closing: dict[str, dt.date],
    payee: str,
    amount: Decimal,
) -> None:
    """The chosen deals won on their close day; the extra amount as one more won deal."""
    for d in deals:
        raw.execute(
            "UPDATE deals SET stage = ?, close_date = ? WHERE id = ?",
            [won_stage, closing[d.id], d.id],
        )
    if amount:
        day = closing[ADDED_DEAL]
        raw.execute(
            "INSERT INTO deals (id, name, owner, amount, stage, created, close_date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [ADDED_DEAL, ADDED_DEAL, payee, amount, won_stage, day, day],
        )


def _amount(line: PayoutLine | None) -> Decimal:
    return line.amount if line is not None else ZERO


def _estimate(
    key: Key, currency: str, money: bool, now: PayoutLine | None, then: PayoutLine | None
) -> Estimate:
    def measure(ln: PayoutLine | None) -> Decimal | None:
        return ln.trace.measure_value if ln is not None else None

    def tier(ln: PayoutLine | None) -> int | None:
        if ln is None or ln.trace.tier_reached is not None:
            return ln.trace.tier_reached if ln is not None else None
        filled = [t.index for t in ln.trace.tiers if t.quantity is not None and t.quantity > 0]
        return max(filled) if filled else None

    either = then or now
    return Estimate(
        plan=key[0],
        component=key[1],
        period=key[2],
        currency=currency,
        measure=(either.trace.measure if either is not None else None) or "",
        measure_currency=currency if money else "",
        measure_now=measure(now),
        measure_then=measure(then),
        earned_now=_amount(now),
        earned_then=_amount(then),
        tier_now=tier(now),
        tier_then=tier(then),
        tiers=len(either.trace.tiers) if either is not None else 0,
    )


def published_plans(engine: Engine) -> list[Plan]:
    """The published version of every plan kept in the store."""
    from attain.comp.plan_versions import list_plans, published

    plans: list[Plan] = []
    for summary in list_plans(engine):
        record = published(engine, summary.plan)
        if record is not None:
            plans.extend(load_plans(record.text))
    return plans


def estimate(
    engine: Engine, payee: str, deals: Sequence[str], amount: Decimal, on: dt.date
) -> WhatIf:
    """The payee's pay with these open deals won (and `amount` more), by the published plans,
    reading only the rows that can credit the payee (as a live run does)."""
    from attain.comp.live import load_rows_of

    def load(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
        load_rows_of(engine, con, tables, {payee})

    return what_if(engine, published_plans(engine), payee, deals, amount=amount, on=on, load=load)
