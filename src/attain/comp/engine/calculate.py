"""The engine, stage by stage: compile -> credit -> measure -> pay -> settle -> trace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import ibis

from attain.comp.engine.credit import (
    CREDIT_COLUMNS,
    check_fx,
    plan_credits,
    rule_credits,
    source_types,
)
from attain.comp.engine.measure import check_quotas, measure_table, payee_periods
from attain.comp.engine.pay import component_table
from attain.comp.engine.periods import Period, periods_between, periods_table
from attain.comp.engine.result import Result
from attain.comp.engine.settle import capped_year_increments, draws
from attain.comp.engine.tables import assignments_table, schemas_of
from attain.comp.engine.trace import Credit, LineTrace, PayoutLine, TierSlice
from attain.comp.language import ast
from attain.comp.language.compile import (
    CompiledComponent,
    CompiledPlan,
    CompiledPlans,
    compile_plans,
)
from attain.comp.language.model import Plan


def _gate_measures(cc: CompiledComponent) -> set[str]:
    if cc.gate is None:
        return set()
    return {n.name for n in ast.walk(cc.gate) if isinstance(n, ast.Name)} | set(cc.attainment_of)


def _credit_ids(row: dict[str, Any]) -> tuple[str, ...]:
    """The credits behind a line: its measure's, or for a bonus those of the measures its gate reads."""
    ids = set(row.get("credit_ids") or ())
    if not ids:
        for key, value in row.items():
            if key.startswith("gate_ids:"):
                ids |= set(value or ())
    return tuple(sorted(ids))


def _trace(cc: CompiledComponent, row: dict[str, Any], paid_before: Decimal | None) -> LineTrace:
    c = cc.component
    tiers: tuple[TierSlice, ...] = ()
    if c.tiers is not None:
        tiers = tuple(
            TierSlice(
                index=i,
                from_=t.from_,
                lower=row[f"tier_lower_{i}"],
                rate=t.rate,
                quantity=row.get(f"tier_quantity_{i}"),
                amount=row.get(f"tier_pay_{i}"),
            )
            for i, t in enumerate(c.tiers)
        )
    earned, capped = row["earned"], row["capped"]
    return LineTrace(
        kind=c.kind,
        window=c.window,
        credit_ids=_credit_ids(row),
        measure=c.measure,
        measure_value=row["measure"],
        quota=row["quota"],
        attainment=row["attainment"],
        rate=c.rate,
        tier_mode=c.tier_mode if c.tiers is not None else None,
        tiers=tiers,
        tier_reached=row.get("tier_reached"),
        target=c.target,
        curve_multiple=row.get("curve_multiple"),
        bonus=c.amount,
        earned=earned,
        gate=c.gate,
        gate_passed=bool(row["gate"]),
        gate_inputs=tuple(
            (k.removeprefix("gate_input:"), v)
            for k, v in row.items()
            if k.startswith("gate_input:")
        ),
        cap=c.cap,
        cap_applied=c.cap is not None
        and capped is not None
        and earned is not None
        and capped < earned,
        paid_before=paid_before,
    )


def _plan_lines(
    con: ibis.BaseBackend, cp: CompiledPlan, a_t: ibis.Table, start: date, end: date
) -> tuple[list[PayoutLine], list[Credit]]:
    plan = cp.plan
    periods = periods_between(plan.period, start, end)
    if not periods:
        return [], []
    # Year windows pay the increment over what earlier periods of the year paid, so they are
    # evaluated from the year's first period even when `start` is later (lines before `start`
    # are not returned).
    lead: list[Period] = []
    if any(c.window == "year" for c in plan.components):
        lead = periods_between(plan.period, periods[0].year_start, periods[0].start - timedelta(1))
    first = len(lead)
    credits = plan_credits(con, cp, a_t)
    credits = credits.filter(
        (credits.date >= (lead or periods)[0].start) & (credits.date <= periods[-1].end)
    )
    check_fx(credits, cp)
    credit_rows = credits.select(*CREDIT_COLUMNS).to_pyarrow().to_pylist()
    found = [Credit(**{k: r[k] for k in Credit.__dataclass_fields__}) for r in credit_rows]
    pp_year = payee_periods(a_t, plan.id, periods_table(lead + periods))
    pp = pp_year.filter(pp_year.seq >= first) if lead else pp_year
    needs: dict[str, set[str]] = {"period": set(), "year": set()}
    quota_needs: dict[str, dict[str, list[str]]] = {
        "period": defaultdict(list),
        "year": defaultdict(list),
    }
    for cc in cp.components:
        w = cc.component.window
        if cc.component.measure:
            needs[w].add(cc.component.measure)
        needs[w] |= _gate_measures(cc)
        for m in sorted(cc.attainment_of):
            quota_needs[w][m].append(cc.component.id)
    tables = {}
    for w, base in (("period", pp), ("year", pp_year)):
        if not needs[w] and not quota_needs[w]:
            tables[w] = base
            continue
        q: dict[tuple[str, str], list[str]] = {(m, w): ids for m, ids in quota_needs[w].items()}
        tables[w] = measure_table(con, cp, credits, base, {(m, w) for m in needs[w]}, q)
        if q:
            check_quotas(tables[w], cp, q)
    lines: list[PayoutLine] = []
    for cc in cp.components:
        rows = component_table(tables[cc.component.window], cc).to_pyarrow().to_pylist()
        paid: list[tuple[dict[str, Any], Decimal, Decimal | None]]
        if cc.component.window == "year" and cc.component.cap is not None:
            paid = [p for p in capped_year_increments(rows, cc.component) if p[0]["seq"] >= first]
        elif cc.component.window == "year":
            paid = [(r, r["amount"], r["paid_before"]) for r in rows if r["seq"] >= first]
        else:
            paid = [(r, r["amount"], None) for r in rows]
        for row, amount, before in paid:
            lines.append(
                PayoutLine(
                    row["payee"],
                    plan.id,
                    row["period"],
                    cc.component.id,
                    amount,
                    _trace(cc, row, before),
                )
            )
    if plan.draw is not None:
        evaluated = pp.select("payee", "period", "seq").to_pyarrow().to_pylist()
        earnings: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for ln in lines:
            earnings[(ln.payee, ln.period)] += ln.amount
        for payee, period, line, e, before, after in draws(
            [(r["payee"], r["period"], r["seq"]) for r in evaluated], earnings, plan.draw
        ):
            trace = LineTrace(
                kind="draw",
                draw_amount=plan.draw.amount,
                draw_recoverable=plan.draw.recoverable,
                draw_earnings=e,
                draw_balance_before=before,
                draw_balance_after=after,
            )
            lines.append(PayoutLine(payee, plan.id, period, "draw", line, trace))
    order = {p.key: i for i, p in enumerate(lead + periods)}
    components = {c.id: i for i, c in enumerate(plan.components)}
    lines = [ln for ln in lines if ln.amount != 0]
    lines.sort(key=lambda ln: (ln.payee, order[ln.period], components.get(ln.component, 1 << 20)))
    return lines, found


def calculate(
    con: ibis.BaseBackend,
    plans: Sequence[Plan] | CompiledPlans,
    assignments: Iterable[Any],
    start: date,
    end: date,
) -> Result:
    """Payout lines for every payee-period from `start`'s period to `end`'s, with traces.

    Components with `window: year` are evaluated from the first period of `start`'s year, so
    a later `start` still pays only the increment over what earlier periods of the year paid;
    draw balances start at `start`.

    Tables (`deals`, `people`, `quotas`, `fx_rates`, ...) are read by name from `con`, so the
    same call runs on an in-memory DuckDB, on DuckDB over the store, or inside PostgreSQL.
    `assignments` are `Assignment` models or mappings with payee, plan, from, to.

    >>> result = calculate(ibis.duckdb.connect(), plans, assignments, date(2027, 1, 1), date(2027, 3, 31))  # doctest: +SKIP
    >>> [(ln.payee, ln.period, ln.component, ln.amount) for ln in result.lines]  # doctest: +SKIP
    [('ana', '2027-01', 'commission', Decimal('3500.00'))]
    """
    compiled = compile_plans(plans, schemas_of(con))
    a_t = assignments_table(assignments)
    lines: list[PayoutLine] = []
    credits: list[Credit] = []
    for cp in compiled:
        plan_lines, plan_credits_ = _plan_lines(con, cp, a_t, start, end)
        lines += plan_lines
        credits += plan_credits_
    return Result(tuple(lines), tuple(credits))


def credit_span(
    con: ibis.BaseBackend, plans: Sequence[Plan] | CompiledPlans
) -> tuple[date, date] | None:
    """Earliest and latest credit date (clawbacks included) of the plans, before assignment.

    This is how a worked case picks its periods; `None` when there are no credits at all.
    """
    compiled = compile_plans(plans, schemas_of(con))
    lows, highs = [], []
    for cp in compiled:
        types = source_types(con, cp)
        for cr in cp.rules:
            c = rule_credits(con, cp, cr, types)
            row = c.aggregate(low=c.date.min(), high=c.date.max()).to_pyarrow().to_pylist()[0]
            if row["low"] is not None:
                lows.append(row["low"])
                highs.append(row["high"])
    return (min(lows), max(highs)) if lows else None
