"""Pay: each component as column expressions over the measure table.

Rate, tiers (marginal or retroactive, on amounts or on attainment), curve, bonus; then cap and
gate. A `window: period` component is rounded to cents here; a `window: year` component's
year-to-date earning goes to the settle stage, which pays the increment.

Tier boundaries on attainment are `from × quota` (no division). Below zero, a measure is paid at
the first tier's rate when that tier starts at 0 (returns and clawbacks net out); otherwise
nothing below the first tier is paid.
"""

from __future__ import annotations

import itertools
from typing import Any

import ibis
import ibis.expr.datatypes as dt

from attain.comp.decimals import exact, number
from attain.comp.engine.measure import col
from attain.comp.engine.quota_check import QUOTA_CHECK
from attain.comp.language import ast
from attain.comp.language.compile import CompiledComponent
from attain.comp.language.model import Component
from attain.comp.language.to_ibis import Resolver, compile_expression

NULL_MONEY = ibis.null(dt.Decimal(38, 12))


def _boundaries(c: Component, t: ibis.Table, quota: Any) -> list[Any]:
    assert c.tiers is not None
    if c.tier_basis == "attainment":
        return [exact(number(tier.from_) * quota) for tier in c.tiers]
    return [number(tier.from_) for tier in c.tiers]


def _marginal(c: Component, measure: Any, bounds: list[Any]) -> tuple[Any, dict[str, Any]]:
    assert c.tiers is not None
    cols: dict[str, Any] = {}
    total = number(0)
    for i, tier in enumerate(c.tiers):
        top = ibis.least(measure, bounds[i + 1]) if i + 1 < len(bounds) else measure
        quantity = exact(top - bounds[i])
        if not (i == 0 and tier.from_ == 0):
            quantity = exact(ibis.greatest(quantity, number(0)))
        pay = exact(quantity * number(tier.rate))
        cols[f"tier_lower_{i}"] = bounds[i]
        cols[f"tier_quantity_{i}"] = quantity
        cols[f"tier_pay_{i}"] = pay
        total = exact(total + pay)
    return total, cols


def _retroactive(c: Component, measure: Any, bounds: list[Any]) -> tuple[Any, dict[str, Any]]:
    assert c.tiers is not None
    first_open = c.tiers[0].from_ == 0
    rate: Any = number(c.tiers[0].rate) if first_open else number(0)
    reached: Any = ibis.literal(0 if first_open else -1, type=dt.int64)
    for i, tier in enumerate(c.tiers):
        at = measure >= bounds[i]
        rate = ibis.ifelse(at, number(tier.rate), rate)
        reached = ibis.ifelse(at, ibis.literal(i, type=dt.int64), reached)
    cols = {f"tier_lower_{i}": b for i, b in enumerate(bounds)}
    cols["tier_reached"] = reached
    return exact(measure * rate), cols


def _curve(c: Component, measure: Any, quota: Any) -> tuple[Any, dict[str, Any]]:
    """Linear between points, flat before the first and after the last; one division."""
    assert c.curve is not None and c.target is not None
    points = c.curve
    multiple: Any = number(points[0][1])
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        rise = exact(number(y1 - y0) * exact(measure - exact(number(x0) * quota)))
        run = exact(number(x1 - x0) * quota)
        multiple = ibis.ifelse(
            measure >= exact(number(x0) * quota), exact(number(y0) + exact(rise / run)), multiple
        )
    last_x, last_y = points[-1]
    multiple = ibis.ifelse(measure >= exact(number(last_x) * quota), number(last_y), multiple)
    return exact(number(c.target) * multiple), {"curve_multiple": multiple}


def component_table(t: ibis.Table, cc: CompiledComponent) -> ibis.Table:
    """One row per payee-period: earned, cap, gate, amount (period window) and trace columns."""
    c = cc.component
    w = c.window
    name = c.measure or ""
    measure = t[col("m", name, w)] if c.measure else NULL_MONEY
    has_quota = c.measure is not None and c.measure in cc.attainment_of
    quota = t[col("q", name, w)] if has_quota else NULL_MONEY
    attainment = t[col("a", name, w)] if has_quota else NULL_MONEY
    extra: dict[str, Any] = {}
    if c.rate is not None:
        earned = exact(measure * number(c.rate))
    elif c.tiers is not None:
        bounds = _boundaries(c, t, quota)
        if c.tier_mode == "marginal":
            earned, extra = _marginal(c, measure, bounds)
        else:
            earned, extra = _retroactive(c, measure, bounds)
    elif c.curve is not None:
        earned, extra = _curve(c, measure, quota)
    else:
        assert c.amount is not None
        earned = number(c.amount)
    if cc.gate is not None:
        resolve = Resolver(name=lambda n: t[col("m", n, w)], attainment=lambda n: t[col("a", n, w)])
        gate = compile_expression(cc.gate, resolve).fill_null(False)
        for node in ast.walk(cc.gate):
            if isinstance(node, ast.Name):
                extra[f"gate_input:{node.name}"] = t[col("m", node.name, w)]
            elif isinstance(node, ast.Call) and node.name == "attainment":
                m = node.args[0].name  # type: ignore[attr-defined]
                extra[f"gate_input:attainment({m})"] = t[col("a", m, w)]
    else:
        gate = ibis.literal(True)
    capped = exact(ibis.least(earned, number(c.cap))) if c.cap is not None else earned
    if w == "period":
        amount = exact(ibis.ifelse(gate, capped, number(0))).round(2)
    else:
        amount = ibis.null(dt.Decimal(38, 2))
    checks = {f"{QUOTA_CHECK}{m}": t[col("q", m, w)] for m in sorted(cc.attainment_of)}
    for m in sorted(cc.attainment_of):
        if col("qc", m, w) in t.columns:  # the quota's currency: checked by `check_quotas`
            checks[f"{QUOTA_CHECK}{m}:currency"] = t[col("qc", m, w)]
            checks[f"{QUOTA_CHECK}{m}:rate"] = t[col("qr", m, w)]
            checks[f"{QUOTA_CHECK}{m}:month"] = t[col("qm", m, w)]
    if has_quota and col("qc", name, w) in t.columns:  # the quota as written, for the trace
        converted = t[col("qr", name, w)].notnull()
        extra["quota_amount"] = ibis.ifelse(converted, t[col("qa", name, w)], NULL_MONEY)
        extra["quota_currency"] = ibis.ifelse(
            converted, t[col("qc", name, w)], ibis.null(dt.string)
        )
        extra["quota_rate"] = t[col("qr", name, w)]
        extra["quota_rate_month"] = ibis.ifelse(
            converted, t[col("qm", name, w)], ibis.null(dt.string)
        )
    rows = t.select(
        payee=t.payee,
        period=t.period,
        seq=t.seq,
        year=t.year,
        measure=measure,
        quota=quota,
        attainment=attainment,
        earned=earned,
        capped=capped,
        gate=gate,
        amount=amount,
        credit_ids=ibis.null(dt.Array(dt.string)),  # filled on demand: see `credit_id_rows`
        paid_before=ibis.null(dt.Decimal(38, 2)),
        **extra,
        **checks,
    )
    if w == "year" and c.cap is None:
        rows = year_increments(rows)
    return rows


def year_increments(rows: ibis.Table) -> ibis.Table:
    """Each period pays the year-to-date earning (in cents) less what the year paid before.

    What the year paid before a period is the year-to-date earning, in cents, of the last earlier
    period whose gate was open (periods with a closed gate pay nothing and are caught up later).
    Window functions only: `opened` numbers the gate-open periods so far; each such period starts
    a group whose first row holds its year-to-date; the row before a period belongs to the
    previous group. (With a cap, what was paid depends on earlier caps: see `settle`.)
    """
    year = ibis.window(group_by=["payee", "year"], order_by="seq")
    so_far = ibis.window(group_by=["payee", "year"], order_by="seq", rows=(None, 0))
    rows = rows.mutate(_ytd=rows.earned.round(2))
    rows = rows.mutate(_opened=ibis.ifelse(rows.gate, 1, 0).sum().over(so_far))
    group = ibis.window(group_by=["payee", "year", "_opened"])
    rows = rows.mutate(_group_ytd=ibis.ifelse(rows.gate, rows._ytd, ibis.null()).max().over(group))
    rows = rows.mutate(
        paid_before=rows._group_ytd.lag().over(year).fill_null(0).cast(dt.Decimal(38, 2))
    )
    rows = rows.mutate(
        amount=ibis.ifelse(rows.gate, rows._ytd - rows.paid_before, 0).cast(dt.Decimal(38, 2))
    )
    return rows.drop("_ytd", "_opened", "_group_ytd")


def credit_id_rows(t: ibis.Table, cc: CompiledComponent, first: int) -> ibis.Table:
    """The credits behind each of a component's payee-periods (`seq >= first`), unexecuted.

    `t` is a measure table with ids (`measure_table(..., ids=True)`): its own measure's ids, and
    for a gate the ids of each measure the gate reads (a bonus lists those when it has none).
    """
    c = cc.component
    w = c.window
    own = t[col("ids", c.measure, w)] if c.measure else ibis.null(dt.Array(dt.string))
    gates: dict[str, Any] = {}
    if cc.gate is not None:
        for node in ast.walk(cc.gate):
            if isinstance(node, ast.Name):
                gates[f"gate_ids:{node.name}"] = t[col("ids", node.name, w)]
    t = t.filter(t.seq >= first)
    return t.select(payee=t.payee, period=t.period, credit_ids=own, **gates)
