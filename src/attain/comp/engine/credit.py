"""Credit: credit rules turn source rows into one columnar table of credits per plan.

Each rule filters its source, resolves the payee (`manager_of` as of the credit date), applies
splits, converts currency at the credit month's rate, adds clawback reversals, and keeps only
credits whose payee is assigned to the plan on the credit's date. All of it is Ibis: no Python
loop per row.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.datatypes as dt

from attain.comp.decimals import MONEY, SCALE, exact
from attain.comp.engine.tables import table
from attain.comp.errors import PlanError
from attain.comp.language import ast
from attain.comp.language.compile import CREDIT_FIELDS, CompiledPlan, CompiledRule
from attain.comp.language.to_ibis import Resolver, compile_expression

CREDIT_COLUMNS = (
    "credit_id",
    "plan",
    "rule",
    "payee",
    "date",
    "value",
    "sign",
    "kind",
    "source_table",
    "source_id",
)
FX_COLUMNS = ("_fx_currency", "_fx_month", "_fx_missing")
"""Why a credit may lack an exchange rate (read by `check_fx`)."""


def resolver(t: ibis.Table, managers: dict[int, str]) -> Resolver:
    return Resolver(name=lambda n: t[n], manager=lambda call: t[managers[id(call)]])


def with_managers(
    con: ibis.BaseBackend, cr: CompiledRule, t: ibis.Table
) -> tuple[ibis.Table, dict[int, str]]:
    """Join `people` once per `manager_of(...)` call, the version in force on the credit date."""
    calls = [
        n
        for e in (cr.where, cr.to, cr.value)
        if e is not None
        for n in ast.walk(e)
        if isinstance(n, ast.Call) and n.name == "manager_of"
    ]
    managers: dict[int, str] = {}
    if not calls:
        return t, managers
    for i, call in enumerate(reversed(calls)):  # innermost first: walk lists parents first
        people = table(con, "people").view()  # one copy per level: each join its own
        person = compile_expression(call.args[0], resolver(t, managers))
        day = t[cr.rule.date].cast(dt.date)
        preds = [people.id.cast(dt.string) == person.cast(dt.string)]
        if "valid_from" in people.columns:
            vf = people.valid_from.cast(dt.date)
            preds.append(vf.isnull() | (vf <= day))
        if "valid_to" in people.columns:
            vt = people.valid_to.cast(dt.date)
            preds.append(vt.isnull() | (vt >= day))
        column = f"_manager_{i}"
        t = t.left_join(people, preds).select(
            *[t[c] for c in t.columns], **{column: people.manager.cast(dt.string)}
        )
        managers[id(call)] = column
    return t, managers


def _exact_value(value: Any) -> Any:
    """A credit's value: a decimal column as it is (summing its own scale is exact and cheaper
    than widening every credit), anything else cast to DECIMAL(38, 12) per credit (a float
    is made exact before it is summed, never after)."""
    typ = value.type()
    if typ.is_decimal() and typ.scale is not None and typ.scale <= SCALE:
        return value
    return exact(value)


def rule_credits(
    con: ibis.BaseBackend, cp: CompiledPlan, cr: CompiledRule, types: dict[str, Any]
) -> ibis.Table:
    """The credits of one rule (not yet filtered by assignment), in the plan's credit shape."""
    rule = cr.rule
    src = table(con, rule.from_)
    source_cols = list(src.columns)
    t, managers = with_managers(con, cr, src)
    if cr.where is not None:
        t = t.filter(compile_expression(cr.where, resolver(t, managers)).fill_null(False))
    r = resolver(t, managers)
    base = t.select(
        *[t[c] for c in source_cols],
        _payee=compile_expression(cr.to, r).cast(dt.string),
        _value=_exact_value(compile_expression(cr.value, r)),
        _date=t[rule.date].cast(dt.date),
        _source_id=t["id"].cast(dt.string) if "id" in t.columns else ibis.null(dt.string),
    )
    if rule.splits is not None:
        sp = rule.splits
        s = table(con, sp.from_)
        key = s[sp.key].cast(dt.string)
        j = base.left_join(s, base._source_id == key)
        base = j.select(
            *[base[c] for c in base.columns],
            _split_key=key,
            _split_payee=s[sp.payee].cast(dt.string),
            _share=s[sp.share],
        )
        split = base._split_key.notnull()
        base = base.mutate(
            _payee=ibis.ifelse(split, base._split_payee, base._payee),
            _value=ibis.ifelse(split, exact(base._value * base._share), exact(base._value)),
        ).drop("_split_key", "_split_payee", "_share")
    if rule.currency is not None:
        fx = table(con, "fx_rates")
        cur = base[rule.currency].cast(dt.string)
        month = base._date.strftime("%Y-%m")
        j = base.left_join(
            fx, [fx.currency.cast(dt.string) == cur, fx.month.cast(dt.string) == month]
        )
        base = j.select(*[base[c] for c in base.columns], _fx_rate=fx.rate)
        cur = base[rule.currency].cast(dt.string)
        same = cur.isnull() | (cur == cp.plan.currency)
        base = base.mutate(
            _fx_currency=cur,
            _fx_month=base._date.strftime("%Y-%m"),
            _fx_missing=~same & base._fx_rate.isnull(),
            _value=ibis.ifelse(same, exact(base._value), exact(base._value * base._fx_rate)),
        ).drop("_fx_rate")
    else:
        base = base.mutate(
            _fx_currency=ibis.null(dt.string),
            _fx_month=ibis.null(dt.string),
            _fx_missing=ibis.literal(False),
        )
    credits = base.mutate(_kind=ibis.literal("credit"), _sign=ibis.literal(1, type=dt.int64))
    if rule.clawback is not None:
        cancelled = base[rule.clawback.date].cast(dt.date)
        after = cancelled.delta(base._date, unit="day")
        reversal = base.filter(
            cancelled.notnull() & (after >= 0) & (after <= rule.clawback.within_days)
        )
        reversal = reversal.mutate(
            _date=reversal[rule.clawback.date].cast(dt.date),
            _value=-reversal._value,
            _kind=ibis.literal("clawback"),
            _sign=ibis.literal(-1, type=dt.int64),
        )
        credits = credits.union(reversal)
    credits = credits.filter(credits._payee.notnull())
    c = credits
    own = {
        "credit_id": ibis.literal(f"{rule.id}:")
        + c._source_id.fill_null("")
        + ":"
        + c._payee
        + ibis.ifelse(c._kind == "clawback", ":clawback", ""),
        "plan": ibis.literal(cp.plan.id),
        "rule": ibis.literal(rule.id),
        "payee": c._payee,
        "date": c._date,
        "value": c._value,
        "sign": c._sign,
        "kind": c._kind,
        "source_table": ibis.literal(rule.from_),
        "source_id": c._source_id,
    }
    extra = {
        name: (c[name].cast(typ) if name in source_cols else ibis.null(typ))
        for name, typ in types.items()
    }
    return c.select(**own, **{f: c[f] for f in FX_COLUMNS}, **extra)


def source_types(con: ibis.BaseBackend, cp: CompiledPlan) -> dict[str, Any]:
    """One Ibis type per source column across the plan's rules (numbers mixed: DECIMAL)."""
    out: dict[str, Any] = {}
    for cr in cp.rules:
        for name, typ in table(con, cr.rule.from_).schema().items():
            if name in CREDIT_FIELDS or name in CREDIT_COLUMNS:
                continue
            if name not in out or out[name] == typ:
                out[name] = typ
            elif out[name].is_numeric() and typ.is_numeric():
                out[name] = MONEY
            else:
                out[name] = dt.string
    return out


def plan_credits(con: ibis.BaseBackend, cp: CompiledPlan, assignments: ibis.Table) -> ibis.Table:
    """Every credit of the plan whose payee is assigned to the plan on the credit's date."""
    types = source_types(con, cp)
    parts = [rule_credits(con, cp, cr, types) for cr in cp.rules]
    if len({p.schema()["value"] for p in parts}) > 1:  # rules of different scales
        parts = [p.mutate(value=exact(p.value)) for p in parts]
    credits = parts[0]
    for part in parts[1:]:
        credits = credits.union(part)
    a = assignments.filter(assignments.plan == cp.plan.id)
    return credits.semi_join(
        a,
        [credits.payee == a.payee, a.valid_from <= credits.date, credits.date <= a.valid_to],
    )


def check_fx(credits: ibis.Table, cp: CompiledPlan) -> None:
    """A credit in a currency with no rate for its month is an error, never a guess."""
    missing = (
        credits.filter(credits._fx_missing)
        .group_by(["_fx_currency", "_fx_month"])
        .aggregate(rows=credits.source_id.collect(), rule=credits.rule.min())
        .order_by(["_fx_month", "_fx_currency"])
        .limit(5)
        .to_pyarrow()
        .to_pylist()
    )
    if missing:
        gaps = "; ".join(
            f"{m['_fx_currency']} in {m['_fx_month']} (credit rule {m['rule']}, rows "
            f"{', '.join(sorted(str(x) for x in m['rows'])[:5])})"
            for m in missing
        )
        raise PlanError(
            f"plan {cp.plan.id}: no FX rate into {cp.plan.currency} in table fx_rates for {gaps}"
        )
