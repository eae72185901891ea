"""Check a log against its process rules: per rule the violating cases, the value at risk and
the months they started in; overall, the share of cases that follow every rule.

A handful of queries whatever the number of rules: every rule's violations are unioned and
grouped once, in the database. Only their results (a row per rule and month, and the listed
cases) come back to Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from attain.process.conformance.activities import unknown_activities
from attain.process.conformance.report import (
    ConformanceReport,
    MonthFigures,
    RuleResult,
    ViolatingCase,
)
from attain.process.conformance.rules import ProcessRules, WithinRule
from attain.process.conformance.violations import COLUMNS, Judged, judge
from attain.process.log import EventLog
from attain.process.transitions import event_steps

UNKNOWN_MONTH = "unknown"
_Counts = dict[tuple[int, str], tuple[int, Decimal | None]]


def check(
    log: EventLog,
    rules: ProcessRules,
    *,
    calendars: Mapping[str, Any] | None = None,
    default_calendar: Any = None,
    limit: int = 200,
) -> ConformanceReport:
    """Every rule of `rules` over every case of `log`; `limit` violating cases listed per rule
    (earliest violation first). `business_hours` rules count the working time of each case's
    calendar (`calendars` by id, `default_calendar` for a case without one).

    >>> report = check(log, load_rules(Path("deals.yaml").read_text()))  # doctest: +SKIP
    >>> report.rule("no win without proposal").violating  # doctest: +SKIP
    3
    """
    warnings = _process_warnings(log, rules)
    present = set(log.events.select("activity").distinct().to_pyarrow().column(0).to_pylist())
    warnings += unknown_activities(rules, present, log.name)
    steps = event_steps(log)
    timed = _business_wait(calendars, default_calendar)
    judged: list[Judged] = []
    for rule in rules.rules:
        hours = isinstance(rule, WithinRule) and rule.business_hours
        if hours and timed is None:
            warnings.append(
                f"{rules.source}:{rule.place.line}:{rule.place.column}: rule {rule.name!r} counts"
                " business hours but no work calendar is given; elapsed time is used"
            )
        case_calendars = log.cases.select("case_id", "calendar") if hours else None
        judged.append(judge(steps, rule, calendars=case_calendars, business_wait=timed))
    money = log.currency is not None
    starts = _case_starts(steps, log.cases)
    everyone = _by_month(
        starts.group_by("month").aggregate(n=starts.count(), value=starts.amount.sum()), money
    )
    violations = ibis.union(
        *[j.violations.mutate(rule=ibis.literal(i, "int64")) for i, j in enumerate(judged)],
        distinct=False,
    )
    found = violations.join(starts, "case_id").select(*COLUMNS, "rule", "month", "amount")
    broken = _by_rule_month(
        found.group_by(["rule", "month"]).aggregate(n=found.count(), value=found.amount.sum()),
        money,
    )
    checked = _checked(judged, starts)
    anyrule = violations.select("case_id").distinct().join(starts, "case_id")
    overall = _by_month(
        anyrule.group_by("month").aggregate(n=anyrule.count(), value=anyrule.amount.sum()), money
    )
    listed = _listed(found, limit, money)
    results = []
    for i, (rule, j) in enumerate(zip(rules.rules, judged, strict=True)):
        months = []
        for month, (n, _) in everyone.items():
            cases = n if j.checked is None else checked.get((i, month), (0, None))[0]
            bad, value = broken.get((i, month), (0, Decimal(0) if money else None))
            if cases or bad:
                months.append(MonthFigures(month, cases, bad, value))
        results.append(
            RuleResult(
                name=rule.name,
                kind=rule.kind,
                meaning=rule.meaning,
                description=rule.description,
                cases_checked=sum(m.cases for m in months),
                violating=sum(m.violating for m in months),
                value_at_risk=_total(m.value_at_risk for m in months) if money else None,
                currency=log.currency,
                by_month=tuple(months),
                cases=tuple(listed.get(i, ())),
            )
        )
    months_all = tuple(
        MonthFigures(
            m,
            n,
            overall.get(m, (0, None))[0],
            overall.get(m, (0, Decimal(0) if money else None))[1],
        )
        for m, (n, _) in everyone.items()
    )
    return ConformanceReport(
        log=log.name,
        case_label=log.case_label,
        process=rules.process,
        cases=sum(n for n, _ in everyone.values()),
        violating=sum(m.violating for m in months_all),
        value_at_risk=_total(m.value_at_risk for m in months_all) if money else None,
        currency=log.currency,
        rules=tuple(results),
        by_month=months_all,
        warnings=tuple(warnings),
    )


def _process_warnings(log: EventLog, rules: ProcessRules) -> list[str]:
    if rules.process == log.name:
        return []
    p = rules.process_place
    return [
        f"{rules.source}:{p.line}:{p.column}: rules are written for {rules.process!r}, checked on log {log.name!r}"
    ]


def _business_wait(
    calendars: Mapping[str, Any] | None, default: Any
) -> Callable[[ir.Table], ir.Table] | None:
    """The work calendars' waiting time, when calendars are given."""
    if not calendars and default is None:
        return None
    from attain.process.calendar import business_wait

    def timed(t: ir.Table) -> ir.Table:
        out: ir.Table = business_wait(
            t,
            calendars or {},
            start="source_at",
            end="at",
            calendar_col="calendar",
            default=default,
        )
        return out

    return timed


def _case_starts(steps: ir.Table, cases: ir.Table) -> ir.Table:
    """case_id, the month of the case's first event, and its amount."""
    first = steps.filter(steps.step == 0)
    first = first.select("case_id", month=first.at.truncate("M"))
    amounts = cases.select("case_id", "amount")
    joined = first.left_join(amounts, first.case_id == amounts.case_id)
    return joined.select(case_id=first.case_id, month=joined.month, amount=amounts.amount)


def _checked(judged: list[Judged], starts: ir.Table) -> _Counts:
    """Cases checked per (rule, month), for the rules that check only some cases."""
    parts = [
        j.checked.mutate(rule=ibis.literal(i, "int64"))
        for i, j in enumerate(judged)
        if j.checked is not None
    ]
    if not parts:
        return {}
    t = ibis.union(*parts, distinct=False).join(starts, "case_id")
    return _by_rule_month(
        t.group_by(["rule", "month"]).aggregate(n=t.count(), value=t.amount.sum()), False
    )


def _month(value: dt.datetime | None) -> str:
    return UNKNOWN_MONTH if value is None else f"{value:%Y-%m}"


def _value(value: Any, money: bool) -> Decimal | None:
    if not money:
        return None
    return Decimal(0) if value is None else Decimal(value)


def _by_month(t: ir.Table, money: bool) -> dict[str, tuple[int, Decimal | None]]:
    rows = t.order_by("month").to_pyarrow().to_pylist()
    return {_month(r["month"]): (int(r["n"]), _value(r["value"], money)) for r in rows}


def _by_rule_month(t: ir.Table, money: bool) -> _Counts:
    rows = t.to_pyarrow().to_pylist()
    return {
        (int(r["rule"]), _month(r["month"])): (int(r["n"]), _value(r["value"], money)) for r in rows
    }


def _listed(found: ir.Table, limit: int, money: bool) -> dict[int, list[ViolatingCase]]:
    """Up to `limit` violating cases per rule, earliest violation first."""
    ranked = found.mutate(
        _r=ibis.row_number().over(group_by=found.rule, order_by=[found.at, found.case_id])
    )
    rows = ranked.filter(ranked._r < limit).order_by(["rule", "_r"]).to_pyarrow().to_pylist()
    out: dict[int, list[ViolatingCase]] = defaultdict(list)
    for r in rows:
        amount = Decimal(r["amount"]) if money and r["amount"] is not None else None
        out[int(r["rule"])].append(
            ViolatingCase(r["case_id"], r["activity"], r["at"], int(r["step"]), amount)
        )
    return out


def _total(values: Any) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))
