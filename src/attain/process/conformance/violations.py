"""Each rule as an Ibis expression over a log's event steps: the cases that break it, each at
the first event where it does, and the cases the rule speaks of.

All of it runs in the database (windows over each case's events in `step` order); no Python loop
over cases or events. Every `violations` table has the columns `case_id, activity, at, step`,
one row per violating case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from attain.process.conformance.rules import (
    AtMostRule,
    EndsWithRule,
    NeverRule,
    OrderRule,
    RequireRule,
    Rule,
    StartsWithRule,
    WithinRule,
)

COLUMNS = ("case_id", "activity", "at", "step")


@dataclass(frozen=True)
class Judged:
    """A rule's violating cases (`COLUMNS`) and the cases it was checked on (`case_id`; None:
    every case)."""

    violations: ir.Table
    checked: ir.Table | None


def _in_case(t: ir.Table, **frame: Any) -> Any:
    return ibis.window(group_by=t.case_id, order_by=t.step, **frame)


def _first_per_case(t: ir.Table) -> ir.Table:
    """The earliest row of each case (by step)."""
    ranked = t.mutate(_n=ibis.row_number().over(_in_case(t)))
    return ranked.filter(ranked._n == 0).select(*COLUMNS)


def order(steps: ir.Table, rule: OrderRule) -> Judged:
    """An event of a listed activity after a later one was reached (with `allow_back`: only
    when the case reaches that activity for the first time)."""
    acts = rule.activities
    rank = ibis.cases(*[(steps.activity == a, i) for i, a in enumerate(acts)])
    t = steps.filter(steps.activity.isin(acts)).mutate(rank=rank)
    t = t.mutate(reached=t.rank.max().over(_in_case(t, rows=(None, -1))))
    if rule.allow_back:
        t = t.mutate(
            visit=ibis.row_number().over(
                ibis.window(group_by=[t.case_id, t.activity], order_by=t.step)
            )
        )
        t = t.filter((t.rank < t.reached) & (t.visit == 0))
    else:
        t = t.filter(t.rank < t.reached)
    return Judged(_first_per_case(t), None)


def require(steps: ir.Table, rule: RequireRule) -> Judged:
    """`before` set: its first event with no `activity` earlier, checked on the cases that
    have `before`. Otherwise: a case without `activity`, at its last event."""
    hit = ibis.ifelse(steps.activity == rule.activity, 1, 0)
    if rule.before is None:
        t = steps.mutate(seen=hit.sum().over(ibis.window(group_by=steps.case_id)))
        return Judged(t.filter(t.is_end & (t.seen == 0)).select(*COLUMNS), None)
    t = steps.mutate(seen=hit.sum().over(_in_case(steps, rows=(None, 0))))
    late = t.filter((t.activity == rule.before) & (t.seen == 0))
    checked = steps.filter(steps.activity == rule.before).select("case_id").distinct()
    return Judged(_first_per_case(late), checked)


def never(steps: ir.Table, rule: NeverRule) -> Judged:
    """The first event of the forbidden activity."""
    return Judged(_first_per_case(steps.filter(steps.activity == rule.activity)), None)


def at_most(steps: ir.Table, rule: AtMostRule) -> Judged:
    """The event that repeats the activity once more than allowed."""
    t = steps.filter(steps.activity == rule.activity)
    t = t.mutate(_k=ibis.row_number().over(_in_case(t)))
    return Judged(t.filter(t._k == rule.times).select(*COLUMNS), None)


def within(
    steps: ir.Table,
    rule: WithinRule,
    calendars: ir.Table | None,
    business_wait: Callable[[ir.Table], ir.Table] | None,
) -> Judged:
    """The first `target` after the case's first `source`, when it comes later than the limit;
    checked on the cases where such a pair exists. In business hours the wait is counted by
    `business_wait` (which adds `business_wait_s`) over each case's `calendar` column from
    `calendars` (case_id, calendar)."""
    src = steps.filter(steps.activity == rule.source)
    first = src.group_by("case_id").aggregate(source_step=src.step.min(), source_at=src.at.min())
    tgt = steps.filter(steps.activity == rule.target)
    pairs = tgt.join(first, "case_id").filter(lambda p: p.step > p.source_step)
    ranked = pairs.mutate(_n=ibis.row_number().over(_in_case(pairs)))
    pair = ranked.filter(ranked._n == 0)
    checked = pair.select("case_id")
    if rule.business_hours and business_wait is not None and calendars is not None:
        timed = business_wait(
            pair.left_join(calendars, "case_id").select(*COLUMNS, "source_at", "calendar")
        )
        late = timed.filter(timed.business_wait_s > rule.limit_s)
    else:
        late = pair.filter(pair.at > pair.source_at + ibis.interval(seconds=rule.limit_s))
    return Judged(late.select(*COLUMNS), checked)


def starts_with(steps: ir.Table, rule: StartsWithRule) -> Judged:
    """A case whose first event is not one of the activities."""
    t = steps.filter((steps.step == 0) & ~steps.activity.isin(rule.activities))
    return Judged(t.select(*COLUMNS), None)


def ends_with(steps: ir.Table, rule: EndsWithRule) -> Judged:
    """A case whose last event is not one of the activities."""
    t = steps.filter(steps.is_end & ~steps.activity.isin(rule.activities))
    return Judged(t.select(*COLUMNS), None)


def judge(
    steps: ir.Table,
    rule: Rule,
    *,
    calendars: ir.Table | None = None,
    business_wait: Callable[[ir.Table], ir.Table] | None = None,
) -> Judged:
    """The rule's violations and checked cases over `steps` (a log's `event_steps`)."""
    if isinstance(rule, WithinRule):
        return within(steps, rule, calendars, business_wait)
    simple: Mapping[type[Rule], Callable[[ir.Table, Any], Judged]] = {
        OrderRule: order,
        RequireRule: require,
        NeverRule: never,
        AtMostRule: at_most,
        StartsWithRule: starts_with,
        EndsWithRule: ends_with,
    }
    return simple[type(rule)](steps, rule)
