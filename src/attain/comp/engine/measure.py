"""Measure: a payee's credits aggregated per window, joined to quotas, divided into attainment.

One row per payee and payout period the payee is evaluated in (its assignment overlaps the
period). Columns: `m:<measure>:<window>` (value, 0 without credits), `ids:<measure>:<window>`
(the credits behind it, in no order), and where attainment is needed `q:...` (quota) and `a:...`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops

from attain.comp.decimals import MONEY, exact, number
from attain.comp.engine.tables import schemas_of, table
from attain.comp.language import ast
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


def _contributions(credits: ibis.Table, cm: CompiledMeasure, signed: bool) -> ibis.Table:
    """Each credit's contribution: a clawback counts its source row negated (count: -1).

    Without clawbacks every sign is 1, so no multiplication is emitted for it (one less
    128-bit product per credit)."""
    c = credits
    if cm.measure.credit is not None:
        c = c.filter(c.rule == cm.measure.credit)

    def value(t: ibis.Table) -> Any:
        return exact(t.value * t.sign) if signed else t.value

    resolve = Resolver(name=lambda n: value(c) if n == "value" else c[n])
    if cm.where is not None:
        c = c.filter(compile_expression(cm.where, resolve).fill_null(False))
        resolve = Resolver(name=lambda n: value(c) if n == "value" else c[n])
    if cm.sum is not None:
        summed = compile_expression(cm.sum, resolve)
        # SUM skips NULLs and an all-NULL group is filled with 0 by `measure_table`.
        contribution = exact(summed.fill_null(0) * c.sign) if signed else summed
    else:
        contribution = exact(c.sign) if signed else number(1)
    return c.select(payee=c.payee, date=c.date, credit_id=c.credit_id, contribution=contribution)


def _period_start(date: Any, kind: str) -> Any:
    """The first day of the payout period that contains `date` (weeks start on Monday, ISO)."""
    truncated = date.truncate(_UNITS[kind])
    return ops.Cast(truncated.op(), to=dt.date).to_expr()  # PostgreSQL truncates to timestamps


_UNITS = {"week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def _measure(
    credits: ibis.Table,
    pp: ibis.Table,
    cm: CompiledMeasure,
    window: str,
    ids: bool,
    kind: str,
    signed: bool,
) -> ibis.Table:
    """Per payee and period: the measure's value, or (`ids`) the ids of the credits behind it.

    Credits are grouped by payee and the first day of their own period (two narrow keys: the
    cheapest grouping of millions of rows), and only those sums meet the periods table, by
    equality; a join on a date range would compare every credit with every period. A
    year-to-date window then adds up the payee's periods of the year so far, over those few
    sums rather than over the credits. Groups without a payee-period are dropped by the left
    join in `measure_table`.
    """
    c = _contributions(credits, cm, signed)
    periods = pp.select("period", "start", "end", "year", "year_start", "seq").distinct()
    if ids and window == "year":  # every credit of the year so far (no array flattening)
        y = c.join(periods, [c.date >= periods.year_start, c.date <= periods.end])
        y = y.select(payee=c.payee, period=periods.period, credit_id=c.credit_id)
        return y.group_by(["payee", "period"]).aggregate(ids=y.credit_id.collect())
    c = c.mutate(_start=_period_start(c.date, kind))
    if ids:
        g = c.group_by(["payee", "_start"]).aggregate(ids=c.credit_id.collect())
        j = g.join(periods, g._start == periods.start)
        return j.select(payee=g.payee, period=periods.period, ids=g.ids)
    g = c.group_by(["payee", "_start"]).aggregate(value=c.contribution.sum())
    own = g.join(periods, g._start == periods.start)
    own = own.select(
        payee=g.payee, period=periods.period, year=periods.year, seq=periods.seq, value=g.value
    )
    if window == "period":
        return own.select(own.payee, own.period, value=exact(own.value))
    later = periods.view()
    ytd = own.join(later, [own.year == later.year, own.seq <= later.seq])
    ytd = ytd.select(payee=own.payee, period=later.period, value=own.value)
    return ytd.group_by(["payee", "period"]).aggregate(value=exact(ytd.value.sum()))


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
    signed = any(cr.rule.clawback is not None for cr in cp.rules)
    for m, w in sorted(set(needs)):
        agg = _measure(credits, pp, cp.measures[m], w, ids, cp.plan.period, signed)
        column = (
            {col("ids", m, w): agg.ids} if ids else {col("m", m, w): agg.value.fill_null(number(0))}
        )
        t = t.left_join(agg, [t.payee == agg.payee, t.period == agg.period]).select(
            *[t[c] for c in t.columns], **column
        )
    quota_needs = sorted(set(quota_needs))
    if quota_needs:
        quotas = table(con, "quotas")
        priced = "currency" in quotas.columns
        fx = table(con, "fx_rates") if priced and "fx_rates" in schemas_of(con) else None
        for m, w in quota_needs:
            t = _with_quota(t, quotas, fx, cp, m, w)
            if col("m", m, w) not in t.columns:
                continue  # quotas only (what `check_quotas` reads): no attainment
            value, quota = t[col("m", m, w)], t[col("q", m, w)]
            t = t.mutate(
                **{col("a", m, w): ibis.ifelse(quota != 0, exact(value / quota), ibis.null())}
            )
    return t


def in_money(cm: CompiledMeasure) -> bool:
    """A measure is money when it sums the credits' `value` (in the plan currency); a count, or
    a sum of another column (units), is not, and its quota has no currency."""
    if cm.sum is None:
        return False
    return any(isinstance(n, ast.Name) and n.name == "value" for n in ast.walk(cm.sum))


def quota_month(t: ibis.Table, window: str) -> Any:
    """The month whose rate converts a quota: the first month of its period (for a week, the
    month of its Monday), or January of its year."""
    if window == "year":
        return t.year + "-01"
    return t.start.strftime("%Y-%m")


def _with_quota(
    t: ibis.Table, quotas: ibis.Table, fx: ibis.Table | None, cp: CompiledPlan, m: str, w: str
) -> ibis.Table:
    """`q:` (the quota in the plan currency) and, when the quotas table has a currency column,
    `qa:`/`qc:`/`qr:`/`qm:` (the quota as written, its currency, the rate and its month)."""
    q = quotas.filter(quotas.measure.cast(dt.string) == m)
    fields = {
        "payee": q.payee.cast(dt.string),
        "key": q.period.cast(dt.string),
        "amount": exact(q.amount),
    }
    if "currency" in quotas.columns:
        code = q.currency.cast(dt.string).strip()
        fields["currency"] = ibis.ifelse(code == "", ibis.null(dt.string), code.upper())
    q = q.select(**fields)
    key = t.period if w == "period" else t.year
    keep = [t[c] for c in t.columns]
    if "currency" not in q.columns:
        return t.left_join(q, [t.payee == q.payee, key == q.key]).select(
            *keep, **{col("q", m, w): q.amount}
        )
    t = t.left_join(q, [t.payee == q.payee, key == q.key]).select(
        *keep, **{col("qa", m, w): q.amount, col("qc", m, w): q.currency}
    )
    t = t.mutate(**{col("qm", m, w): quota_month(t, w)})
    currency, month = t[col("qc", m, w)], t[col("qm", m, w)]
    if fx is None or not in_money(cp.measures[m]):
        rate = ibis.null(MONEY)  # no rates (a foreign quota is then an error), or not money
        t = t.mutate(**{col("qr", m, w): rate})
    else:
        f = fx.view()
        j = t.left_join(
            f, [f.currency.cast(dt.string) == currency, f.month.cast(dt.string) == month]
        )
        t = j.select(*[t[c] for c in t.columns], **{col("qr", m, w): exact(f.rate)})
    amount, currency = t[col("qa", m, w)], t[col("qc", m, w)]
    foreign = currency.notnull() & (currency != cp.plan.currency)
    rate = t[col("qr", m, w)]
    return t.mutate(
        **{
            col("q", m, w): ibis.ifelse(foreign, exact(amount * rate), amount),
            col("qr", m, w): ibis.ifelse(foreign, rate, ibis.null(MONEY)),
        }
    )
