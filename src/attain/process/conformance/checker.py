"""Check a log against its process rules: per rule the violating cases, the value at risk and
the months they started in; overall, the share of cases that follow every rule.

A handful of queries whatever the number of rules: every rule's violations are unioned and
grouped once, in the database. Only their results (a row per rule and month, and the listed
cases) come back to Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from attain.process.calendar import WorkCalendar, business_wait
from attain.process.conformance.activities import unknown_activities
from attain.process.conformance.report import (
    ConformanceReport,
    MonthFigures,
    RuleResult,
    ViolatingCase,
)
from attain.process.conformance.rules import ProcessRules, Rule, WithinRule
from attain.process.conformance.violations import COLUMNS, Judged, judge
from attain.process.log import EventLog
from attain.process.transitions import event_steps

UNKNOWN_MONTH = "unknown"
_Counts = dict[tuple[int, str], tuple[int, Decimal | None]]


def check(
    log: EventLog,
    rules: ProcessRules,
    *,
    calendars: Mapping[str, WorkCalendar] | None = None,
    default_calendar: WorkCalendar | None = None,
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
    timed = _business_wait(calendars, default_calendar)
    for rule in rules.rules:
        if isinstance(rule, WithinRule) and rule.business_hours and timed is None:
            warnings.append(
                f"{rules.source}:{rule.place.line}:{rule.place.column}: rule {rule.name!r} counts"
                " business hours but no work calendar is given; elapsed time is used"
            )
    money = log.currency is not None
    with ExitStack() as held:
        # Small tables kept for the queries below: each case's windows run once, and each
        # query compiles over a plain table.
        steps = held.enter_context(event_steps(log).cache())
        starts = held.enter_context(_case_starts(steps, log.cases).cache())
        judged = [_judge(steps, log, rule, timed) for rule in rules.rules]
        violations = ibis.union(
            *[j.violations.mutate(rule=ibis.literal(i, "int64")) for i, j in enumerate(judged)],
            distinct=False,
        )
        found = violations.join(starts, "case_id").select(*COLUMNS, "rule", "month", "amount")
        found = held.enter_context(found.cache())
        figures = _figures(starts, found, judged, money, limit)
    everyone, broken, checked, overall, listed = figures
    zero = Decimal(0) if money else None
    results = []
    for i, (rule, j) in enumerate(zip(rules.rules, judged, strict=True)):
        months = []
        for month, (n, _) in everyone.items():
            cases = n if j.checked is None else checked.get((i, month), (0, None))[0]
            bad, value = broken.get((i, month), (0, zero))
            if cases or bad:
                months.append(MonthFigures(month, cases, bad, value))
        results.append(_rule_result(rule, months, listed.get(i, []), log.currency))
    months_all = tuple(
        MonthFigures(month, n, *overall.get(month, (0, zero))) for month, (n, _) in everyone.items()
    )
    return ConformanceReport(
        log=log.name,
        case_label=log.case_label,
        process=rules.process,
        cases=sum(m.cases for m in months_all),
        violating=sum(m.violating for m in months_all),
        value_at_risk=_total(months_all, money),
        currency=log.currency,
        rules=tuple(results),
        by_month=months_all,
        warnings=tuple(warnings),
    )


def _rule_result(
    rule: Rule, months: list[MonthFigures], listed: list[ViolatingCase], currency: str | None
) -> RuleResult:
    return RuleResult(
        name=rule.name,
        kind=rule.kind,
        meaning=rule.meaning,
        description=rule.description,
        cases_checked=sum(m.cases for m in months),
        violating=sum(m.violating for m in months),
        value_at_risk=_total(months, currency is not None),
        currency=currency,
        by_month=tuple(months),
        cases=tuple(listed),
    )


def _judge(
    steps: ir.Table, log: EventLog, rule: Rule, timed: Callable[[ir.Table], ir.Table] | None
) -> Judged:
    hours = isinstance(rule, WithinRule) and rule.business_hours
    case_calendars = log.cases.select("case_id", "calendar") if hours else None
    return judge(steps, rule, calendars=case_calendars, business_wait=timed)


def _figures(
    starts: ir.Table, found: ir.Table, judged: list[Judged], money: bool, limit: int
) -> tuple[
    dict[str, tuple[int, Decimal | None]],
    _Counts,
    _Counts,
    dict[str, tuple[int, Decimal | None]],
    dict[int, list[ViolatingCase]],
]:
    """Cases per month; violating per rule and month; checked per rule and month; violating
    any rule per month; the listed cases."""
    everyone = _by_month(
        starts.group_by("month").aggregate(n=starts.count(), value=starts.amount.sum()), money
    )
    broken = _by_rule_month(
        found.group_by(["rule", "month"]).aggregate(n=found.count(), value=found.amount.sum()),
        money,
    )
    anyrule = found.select("case_id", "month", "amount").distinct()
    overall = _by_month(
        anyrule.group_by("month").aggregate(n=anyrule.count(), value=anyrule.amount.sum()), money
    )
    return everyone, broken, _checked(judged, starts), overall, _listed(found, limit, money)


def _process_warnings(log: EventLog, rules: ProcessRules) -> list[str]:
    if rules.process == log.name:
        return []
    p = rules.process_place
    where = f"{rules.source}:{p.line}:{p.column}"
    return [f"{where}: rules are written for {rules.process!r}, checked on log {log.name!r}"]


def _business_wait(
    calendars: Mapping[str, WorkCalendar] | None, default: WorkCalendar | None
) -> Callable[[ir.Table], ir.Table] | None:
    """The work calendars' waiting time from the first `from` to `at`, when calendars are given."""
    if not calendars and default is None:
        return None
    known = dict(calendars or {})

    def timed(t: ir.Table) -> ir.Table:
        return business_wait(
            t, known, start="source_at", end="at", calendar_col="calendar", default=default
        )

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


def _total(months: Iterable[MonthFigures], money: bool) -> Decimal | None:
    """The months' value at risk together (None for a log without amounts)."""
    if not money:
        return None
    return sum((m.value_at_risk for m in months if m.value_at_risk is not None), Decimal(0))
