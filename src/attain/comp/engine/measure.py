"""Measure: a payee's credits aggregated per window, joined to quotas, divided into attainment.

One row per payee and payout period the payee is evaluated in (its assignment overlaps the
period). Columns: `m:<measure>:<window>` (value, 0 without credits), `ids:<measure>:<window>`
(the credits behind it, in no order), and where attainment is needed `q:...` (quota) and `a:...`.
"""

from __future__ import annotations

from collections.abc import Iterable

import ibis
import ibis.expr.datatypes as dt

from attain.comp.decimals import exact, number
from attain.comp.errors import PlanError
from attain.comp.language.compile import CompiledMeasure, CompiledPlan
from attain.comp.language.to_ibis import Resolver, compile_expression

Need = tuple[str, str]  # (measure, window)


def col(kind: str, measure: str, window: str) -> str:
    return f"{kind}:{measure}:{window}"


def payee_periods(assignments: ibis.Table, plan_id: str, periods: ibis.Table) -> ibis.Table:
    """Each payee in every period its assignment to the plan overlaps (once, however assigned)."""
    a = assignments.filter(assignments.plan == plan_id)
    j = a.join(periods, [a.valid_from <= periods.end, a.valid_to >= periods.start])
    return j.select(
        payee=a.payee,
        period=periods.period,
        start=periods.start,
        end=periods.end,
        year=periods.year,
        year_start=periods.year_start,
        seq=periods.seq,
    ).distinct()


def _contributions(credits: ibis.Table, cm: CompiledMeasure) -> ibis.Table:
    """Each credit's contribution: a clawback counts its source row negated (count: -1)."""
    c = credits
    if cm.measure.credit is not None:
        c = c.filter(c.rule == cm.measure.credit)

    def name(n: str) -> object:
        return exact(c.value * c.sign) if n == "value" else c[n]

    resolve = Resolver(name=name)
    if cm.where is not None:
        c = c.filter(compile_expression(cm.where, resolve).fill_null(False))
        resolve = Resolver(name=lambda n: exact(c.value * c.sign) if n == "value" else c[n])
    if cm.sum is not None:
        contribution = exact(compile_expression(cm.sum, resolve).fill_null(0) * c.sign)
    else:
        contribution = exact(c.sign)
    return c.select(payee=c.payee, date=c.date, credit_id=c.credit_id, contribution=contribution)


def _measure(
    credits: ibis.Table, pp: ibis.Table, cm: CompiledMeasure, window: str, ids: bool
) -> ibis.Table:
    """Per payee and period: the measure's value, or (`ids`) the ids of the credits behind it.

    Each credit finds its period(s) among the few periods by date, then groups by payee and
    period; joining payee-periods on payee and a date range instead would pair every credit with
    every period of its payee before filtering. Groups without a payee-period are dropped by the
    left join in `measure_table`.
    """
    c = _contributions(credits, cm)
    periods = pp.select("period", "start", "end", "year_start").distinct()
    start = periods.start if window == "period" else periods.year_start
    j = c.join(periods, [c.date >= start, c.date <= periods.end])
    j = j.select(
        payee=c.payee, period=periods.period, contribution=c.contribution, credit_id=c.credit_id
    )
    if ids:
        return j.group_by(["payee", "period"]).aggregate(ids=j.credit_id.collect())
    return j.group_by(["payee", "period"]).aggregate(value=exact(j.contribution.sum()))


def measure_table(
    con: ibis.BaseBackend,
    cp: CompiledPlan,
    credits: ibis.Table,
    pp: ibis.Table,
    needs: Iterable[Need],
    quota_needs: Iterable[Need],
    *,
    ids: bool = False,
) -> ibis.Table:
    """Payee-periods with every needed measure value, quota and attainment as columns.

    With `ids`, the columns are the credit ids behind each measure instead of its value: the
    list aggregation over every credit costs more than the rest, so it runs only when asked.
    """
    t = pp
    for m, w in sorted(set(needs)):
        agg = _measure(credits, pp, cp.measures[m], w, ids)
        column = (
            {col("ids", m, w): agg.ids} if ids else {col("m", m, w): agg.value.fill_null(number(0))}
        )
        t = t.left_join(agg, [t.payee == agg.payee, t.period == agg.period]).select(
            *[t[c] for c in t.columns], **column
        )
    quota_needs = sorted(set(quota_needs))
    if quota_needs:
        quotas = con.table("quotas")
        for m, w in quota_needs:
            q = quotas.filter(quotas.measure.cast(dt.string) == m)
            q = q.select(
                payee=q.payee.cast(dt.string), key=q.period.cast(dt.string), amount=exact(q.amount)
            )
            key = t.period if w == "period" else t.year
            t = t.left_join(q, [t.payee == q.payee, key == q.key]).select(
                *[t[c] for c in t.columns], **{col("q", m, w): q.amount}
            )
            if col("m", m, w) not in t.columns:
                continue  # quotas only (what `check_quotas` reads): no attainment
            value, quota = t[col("m", m, w)], t[col("q", m, w)]
            t = t.mutate(
                **{col("a", m, w): ibis.ifelse(quota != 0, exact(value / quota), ibis.null())}
            )
    return t


def check_quotas(t: ibis.Table, cp: CompiledPlan, quota_needs: dict[Need, list[str]]) -> None:
    """A missing or zero quota where attainment is needed is an error, never a silent zero."""
    for (m, w), components in sorted(quota_needs.items()):
        quota = t[col("q", m, w)]
        key = t.period if w == "period" else t.year
        bad = (
            t.filter(quota.isnull() | (quota == 0))
            .select(payee=t.payee, key=key, quota=quota, seq=t.seq)
            .distinct()
            .order_by(["seq", "payee"])
            .limit(5)
            .to_pyarrow()
            .to_pylist()
        )
        if bad:
            first = bad[0]
            problem = "no quota" if first["quota"] is None else "a quota of zero"
            others = "".join(f"; payee {b['payee']}, period {b['key']}" for b in bad[1:])
            raise PlanError(
                f"plan {cp.plan.id}, component {', '.join(components)}: {problem} for payee "
                f"{first['payee']}, measure {m}, period {first['key']} (table quotas; "
                f"attainment({m}) needs it){others}"
            )
