"""The engine, stage by stage: compile -> credit -> measure -> pay -> settle -> trace."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import cache, partial
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from attain.comp.engine import prepared
from attain.comp.engine.credit import (
    CREDIT_COLUMNS,
    FX_COLUMNS,
    check_fx,
    plan_credits,
    rule_credits,
    source_types,
)
from attain.comp.engine.deferred import Deferred
from attain.comp.engine.lines import (
    BLOCK_SCHEMA,
    PAID_SCHEMA,
    component_lines,
    draw_lines,
    ordered,
)
from attain.comp.engine.lines import local as duckdb_local
from attain.comp.engine.measure import measure_table, payee_periods
from attain.comp.engine.pay import component_table, credit_id_rows
from attain.comp.engine.periods import Period, periods_between, periods_table
from attain.comp.engine.prepared import memtable_name
from attain.comp.engine.quota_check import QUOTA_CHECK, check_quotas
from attain.comp.engine.result import CREDIT_FIELDS, Result
from attain.comp.engine.scratch import calculating
from attain.comp.engine.tables import assignments_table, current, reading
from attain.comp.engine.unmatched import plan_warnings
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


def _measure_columns(cp: CompiledPlan) -> set[str]:
    """Source columns the plan's measures read (`where:` and `sum:`), besides the credit's own."""
    names: set[str] = set()
    for cm in cp.measures.values():
        for node in (cm.where, cm.sum):
            if node is not None:
                names |= {n.name for n in ast.walk(node) if isinstance(n, ast.Name)}
    return names


TEMPORARY = "_attain_credits_"
"""Prefix of a plan's temporary credits table (a random suffix: one per calculation)."""


def _materialised(con: ibis.BaseBackend, cp: CompiledPlan, credits: ibis.Table) -> ibis.Table:
    """The plan's credits computed once, into a temporary table in the backend: every later
    stage reads them, none recomputes them, and none of them leaves the backend unless a caller
    asks (`Result.credits`). Only the columns later stages read are kept."""
    keep = [*CREDIT_COLUMNS, *(c for c in FX_COLUMNS if any(r.rule.currency for r in cp.rules))]
    keep += sorted(c for c in _measure_columns(cp) if c in credits.columns and c not in keep)
    name = f"{TEMPORARY}{secrets.token_hex(6)}"
    return con.create_table(name, credits.select(*keep), temp=True)


def _plan_lines(
    con: ibis.BaseBackend,
    local: duckdb.DuckDBPyConnection,
    cp: CompiledPlan,
    a_t: ibis.Table,
    start: date,
    end: date,
    deferred: Deferred,
) -> pa.Table | None:
    plan = cp.plan
    periods = periods_between(plan.period, start, end)
    if not periods:
        return None
    # Year windows pay the increment over what earlier periods of the year paid, so they are
    # evaluated from the year's first period even when `start` is later (lines before `start`
    # are not returned).
    lead: list[Period] = []
    if any(c.window == "year" for c in plan.components):
        lead = periods_between(plan.period, periods[0].year_start, periods[0].start - timedelta(1))
    credits = plan_credits(con, cp, a_t)
    credits = credits.filter(
        (credits.date >= (lead or periods)[0].start) & (credits.date <= periods[-1].end)
    )
    temporary = None
    if len(cp.measures) > 1 or any(r.rule.currency for r in cp.rules):
        credits = _materialised(con, cp, credits)
        temporary = str(credits.op().name)  # as the SQL writes it (get_name() qualifies it)
        deferred.temporary.append(credits.get_name())
    # else read once, by the one measure query: the backend computes only the columns it reads
    # (no credit ids built); the credits themselves are recomputed only if a caller asks for them
    deferred.credits.append(credits.select(*CREDIT_FIELDS))
    if any(cr.rule.currency is not None for cr in cp.rules):
        check_fx(credits, cp)
    blocks = _component_blocks(con, local, cp, credits, temporary, a_t, lead, periods, deferred)
    return ordered(local, blocks)


def _component_blocks(
    con: ibis.BaseBackend,
    local: duckdb.DuckDBPyConnection,
    cp: CompiledPlan,
    credits: ibis.Table,
    temporary: str | None,
    a_t: ibis.Table,
    lead: list[Period],
    periods: list[Period],
    deferred: Deferred,
) -> list[pa.Table]:
    """Measure, pay and settle: one Arrow block of lines per component (and draws).

    Each component's credit ids are left as a query in `deferred`, run only when asked for."""
    plan = cp.plan
    first = len(lead)
    periods_t = periods_table(lead + periods)
    pp_year = payee_periods(a_t, plan.id, periods_t)
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
    bases: dict[str, ibis.Table] = {"period": pp, "year": pp_year}

    @cache
    def tables() -> dict[str, ibis.Table]:
        """Per window, payee-periods with their measures (built only when a query is compiled)."""
        out = {}
        for window, base in bases.items():
            if not needs[window] and not quota_needs[window]:
                out[window] = base
                continue
            q = {(m, window): ids for m, ids in quota_needs[window].items()}
            out[window] = measure_table(
                con, cp, credits, base, {(m, window) for m in needs[window]}, q
            )
        return out

    def id_rows(cc: CompiledComponent) -> ibis.Table:
        w = cc.component.window
        with_ids = (
            measure_table(con, cp, credits, bases[w], {(m, w) for m in needs[w]}, (), ids=True)
            if needs[w]
            else pp
        )
        return credit_id_rows(with_ids, cc, first)

    def query(cc: CompiledComponent) -> ibis.Table:
        return component_table(tables()[cc.component.window], cc)

    for cc in cp.components:  # built only if the ids are asked for
        deferred.ids.append((plan.id, cc.component.id, partial(id_rows, cc)))
    catalog = current(con)
    assert catalog is not None  # `calculate` reads through one
    con._run_pre_execute_hooks(pp_year)  # the assignments and periods, into the backend
    names = [memtable_name(a_t), memtable_name(periods_t)]
    if temporary is not None:
        names.append(temporary)
    span = tuple((p.key, p.start, p.end, p.year, p.year_start) for p in lead + periods)
    fetched = [
        prepared.fetch(
            con,
            catalog,
            ("component", cp.plan.model_dump_json(), cc.component.id, span, first, len(names)),
            names,
            partial(query, cc),  # built and compiled only when no kept query fits
        )
        for cc in cp.components
    ]
    check_quotas(cp, quota_needs, fetched)
    index = {c.id: i for i, c in enumerate(plan.components)}
    blocks = [
        component_lines(
            local,
            rows.drop_columns([n for n in rows.column_names if n.startswith(QUOTA_CHECK)]),
            plan.id,
            cc,
            index[cc.component.id],
            first,
            deferred.traces,
        )
        for cc, rows in zip(cp.components, fetched, strict=True)
    ]
    if plan.draw is not None:
        evaluated = pp.select("payee", "period", "seq").to_pyarrow()
        components = pa.concat_tables(blocks) if blocks else None
        blocks.append(
            draw_lines(
                local,
                evaluated,
                components if components is not None else BLOCK_SCHEMA.empty_table(),
                plan.id,
                plan.draw,
                index.get("draw", 1 << 20),
            )
        )
    return blocks


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
    draw balances start at `start`. A rule or filter that matches nothing is paid as written
    and reported in `Result.warnings`.

    Tables (`deals`, `people`, `quotas`, `fx_rates`, ...) are read by name from `con`, so the
    same call runs on an in-memory DuckDB, on DuckDB over the store, or inside PostgreSQL.
    `assignments` are `Assignment` models or mappings with payee, plan, from, to.

    >>> result = calculate(ibis.duckdb.connect(), plans, assignments, date(2027, 1, 1), date(2027, 3, 31))  # doctest: +SKIP
    >>> [(ln.payee, ln.period, ln.component, ln.amount) for ln in result.lines]  # doctest: +SKIP
    [('ana', '2027-01', 'commission', Decimal('3500.00'))]
    """
    a_t = assignments_table(assignments)
    lines: list[pa.Table] = []
    warnings: list[str] = []
    deferred = Deferred(con)
    local = duckdb_local()
    try:
        with calculating(), reading(con) as catalog:
            for cp in compile_plans(plans, catalog):
                warnings += plan_warnings(con, cp)
                plan_lines = _plan_lines(con, local, cp, a_t, start, end, deferred)
                if plan_lines is not None:
                    lines.append(plan_lines)
    except BaseException:
        deferred.drop()
        raise
    finally:
        local.close()
    paid = pa.concat_tables(lines) if lines else PAID_SCHEMA.empty_table()
    return Result(paid, deferred, tuple(warnings))


def credit_span(
    con: ibis.BaseBackend, plans: Sequence[Plan] | CompiledPlans
) -> tuple[date, date] | None:
    """Earliest and latest credit date (clawbacks included) of the plans, before assignment.

    This is how a worked case picks its periods; `None` when there are no credits at all.
    """
    lows, highs = [], []
    with reading(con) as catalog:
        for cp in compile_plans(plans, catalog):
            types = source_types(con, cp)
            for cr in cp.rules:
                c = rule_credits(con, cp, cr, types)
                row = c.aggregate(low=c.date.min(), high=c.date.max()).to_pyarrow().to_pylist()[0]
                if row["low"] is not None:
                    lows.append(row["low"])
                    highs.append(row["high"])
    return (min(lows), max(highs)) if lows else None
