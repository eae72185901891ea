"""A plain-Python reading of the conformance rules, one case at a time: the oracle the
database checker is compared with. Deliberately naive and independent of the checker's code."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from attain.process.conformance import (
    AtMostRule,
    EndsWithRule,
    NeverRule,
    OrderRule,
    RequireRule,
    Rule,
    StartsWithRule,
    WithinRule,
)


@dataclass(frozen=True)
class Verdict:
    """The violating cases (case -> index of the first violating event) and the cases checked."""

    violating: dict[str, int]
    checked: set[str]


def traces(events: Iterable[Mapping[str, Any]]) -> dict[str, list[tuple[dt.datetime, int, str]]]:
    """Each case's (at, position, activity), ordered by time then position."""
    out: dict[str, list[tuple[dt.datetime, int, str]]] = defaultdict(list)
    for e in events:
        out[e["case_id"]].append((e["at"], e["position"], e["activity"]))
    return {case: sorted(evs) for case, evs in out.items()}


def judge_case(rule: Rule, acts: list[str], times: list[dt.datetime]) -> tuple[bool, int | None]:
    """(checked, index of the first violating event or None) for one case."""
    if isinstance(rule, StartsWithRule):
        return True, None if acts[0] in rule.activities else 0
    if isinstance(rule, EndsWithRule):
        return True, None if acts[-1] in rule.activities else len(acts) - 1
    if isinstance(rule, NeverRule):
        return True, acts.index(rule.activity) if rule.activity in acts else None
    if isinstance(rule, AtMostRule):
        seen = 0
        for i, a in enumerate(acts):
            seen += a == rule.activity
            if seen > rule.times:
                return True, i
        return True, None
    if isinstance(rule, RequireRule):
        if rule.before is None:
            return True, None if rule.activity in acts else len(acts) - 1
        if rule.before not in acts:
            return False, None
        for i, a in enumerate(acts):
            if a == rule.activity:
                return True, None
            if a == rule.before:
                return True, i
        raise AssertionError("unreachable")
    if isinstance(rule, OrderRule):
        rank = {a: i for i, a in enumerate(rule.activities)}
        best, visited = -1, set()
        for i, a in enumerate(acts):
            if a not in rank:
                continue
            back = rank[a] < best
            if back and (not rule.allow_back or a not in visited):
                return True, i
            best, _ = max(best, rank[a]), visited.add(a)
        return True, None
    if isinstance(rule, WithinRule):
        if rule.source not in acts:
            return False, None
        first = acts.index(rule.source)
        later = [i for i in range(first + 1, len(acts)) if acts[i] == rule.target]
        if not later:
            return False, None
        late = (times[later[0]] - times[first]).total_seconds() > rule.limit_s
        return True, later[0] if late else None
    raise AssertionError(f"no oracle for {rule!r}")


def judge(rule: Rule, cases: Mapping[str, list[tuple[dt.datetime, int, str]]]) -> Verdict:
    violating: dict[str, int] = {}
    checked: set[str] = set()
    for case, evs in cases.items():
        was_checked, at = judge_case(rule, [a for _, _, a in evs], [t for t, _, _ in evs])
        if was_checked:
            checked.add(case)
        if at is not None:
            violating[case] = at
    return Verdict(violating, checked)
