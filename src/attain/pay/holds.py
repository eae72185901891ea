"""Holds: the part of a line earned on credits whose hold date is not yet reached.

A credit rule with `hold: {until: paid_date}` marks its credits held until the source row's
`paid_date`. For a line of period P that pays something, the held share is the held credits'
part of the positive credit value dated in P (credits whose date is unset or after P's last
day), applied to the line's amount and rounded to cents; it is released in the period that
contains the date, once set. Clawbacks and returns reduce a line but never hold any of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb
from sqlalchemy import Engine, select

from attain.comp.engine.periods import period_of
from attain.comp.language import Plan
from attain.comp.runs.schema import RunCredit
from attain.pay.periods import kind_of, parse_period
from attain.pay.runs import RunLine
from attain.pay.snapshot import load_snapshot

CENT = Decimal("0.01")


@dataclass(frozen=True)
class HeldPart:
    """`amount` of a line held until `until` (None: the date is not set yet)."""

    amount: Decimal
    until: date | None
    release_period: str | None


def hold_columns(plans: list[Plan]) -> dict[tuple[str, str], tuple[str, str]]:
    """(plan, rule) -> (source table, date column) for every rule with a hold."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for plan in plans:
        for rule in plan.credits:
            hold = getattr(rule, "hold", None)
            if hold is not None:
                out[(plan.id, rule.id)] = (rule.from_, hold.until)
    return out


def _hold_dates(
    engine: Engine, run_id: str, columns: set[tuple[str, str]]
) -> dict[tuple[str, str], date | None]:
    """(table, row id) -> the hold date, as the run read the table (its snapshot)."""
    out: dict[tuple[str, str], date | None] = {}
    raw = duckdb.connect()
    try:
        load_snapshot(engine, run_id, raw, {t for t, _ in columns})
        for table, column in columns:
            for row_id, when in raw.execute(
                f'SELECT CAST(id AS VARCHAR), "{column}" FROM "{table}"'
            ).fetchall():
                out[(table, row_id)] = when
    finally:
        raw.close()
    return out


def held_parts(
    engine: Engine, run_id: str, plans: list[Plan], lines: list[RunLine]
) -> dict[tuple[str, str, str, str], list[HeldPart]]:
    """(plan, payee, period, component) -> the parts of that line still held, by release date."""
    columns = hold_columns(plans)
    if not columns:
        return {}
    wanted = {cid for ln in lines if ln.plan in {p for p, _ in columns} for cid in ln.credit_ids}
    credits: dict[str, RunCredit] = {}
    with engine.connect() as conn:
        ids = sorted(wanted)
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                select(RunCredit).where(
                    RunCredit.run_id == run_id, RunCredit.credit_id.in_(ids[i : i + 500])
                )
            ).all()
            credits.update({r.credit_id: RunCredit(**r._mapping) for r in rows})
    dates = _hold_dates(engine, run_id, set(columns.values()))
    out: dict[tuple[str, str, str, str], list[HeldPart]] = {}
    for ln in lines:
        if not ln.credit_ids or ln.amount <= 0:
            continue  # a line that takes pay back holds nothing
        period = parse_period(ln.period)
        own = [  # the period's own credits; clawbacks and returns reduce the line, never hold it
            credits[c]
            for c in ln.credit_ids
            if c in credits
            and period.start <= credits[c].date <= period.end
            and credits[c].value > 0
        ]
        total = sum((c.value for c in own), Decimal(0))
        if total == 0:
            continue
        by_date: dict[date | None, Decimal] = defaultdict(Decimal)
        for c in own:
            source = columns.get((ln.plan, c.rule))
            if source is None:
                continue
            until = dates.get((source[0], c.source_id or ""))
            if until is None or until > period.end:
                by_date[until] += c.value
        parts = []
        for until, value in sorted(
            by_date.items(), key=lambda kv: (kv[0] is None, kv[0] or date.min)
        ):
            amount = (ln.amount * value / total).quantize(CENT, rounding=ROUND_HALF_UP)
            if amount != 0:
                release = None if until is None else period_of(until, kind_of(ln.period)).key
                parts.append(HeldPart(amount, until, release))
        if parts:
            out[(ln.plan, ln.payee, ln.period, ln.component)] = parts
    return out
