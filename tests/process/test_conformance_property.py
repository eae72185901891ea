"""Invariants of the checker on generated logs: a log built to follow the rules conforms
fully, and breaking one rule in k of its cases makes exactly those k cases violating."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attain.process.conformance import check, load_rules
from attain.process.log import from_arrow

RULES = load_rules(
    """\
process: generated
rules:
  - {name: in order, order: [a, b, c]}
  - {name: c needs a, require: a, before: c}
  - {name: never x, never: x}
  - {name: b at most twice, at_most: {activity: b, times: 2}}
  - {name: c within a day, within: 1d, from: a, to: c}
  - {name: starts with a, starts_with: a}
  - {name: ends with d, ends_with: d}
"""
)
T0 = dt.datetime(2026, 1, 5, 8)
BREAKS = ("x", "third b", "late c", "back to b", "starts with d", "ends with b", "c without a")
"""Each breaks at least one rule of RULES in the case it is applied to."""

Case = list[tuple[str, int]]
"""A case's events: (activity, seconds after the case's start), in order."""


@st.composite
def conforming_case(draw: st.DrawFn) -> Case:
    """a, one or two b, maybe c (within hours of a), d; gaps may be zero (ties in time)."""
    gap = st.integers(0, 3 * 3600)
    acts = ["a", *["b"] * draw(st.integers(1, 2)), *(["c"] if draw(st.booleans()) else []), "d"]
    at, case = 0, []
    for act in acts:
        at += draw(gap) if case else 0
        case.append((act, at))
    return case


def broken(case: Case, how: str) -> Case:
    """The case with one rule broken."""
    acts = [a for a, _ in case]
    end = case[-1][1]
    if how == "x":
        return [case[0], ("x", case[0][1]), *case[1:]]
    if how == "third b":
        i = acts.index("b")
        return case[: i + 1] + [("b", case[i][1])] * (3 - acts.count("b")) + case[i + 1 :]
    if how == "late c":
        late = 86_400 + 1
        return [(a, t) for a, t in case if a not in ("c", "d")] + [("c", late), ("d", late + end)]
    if how == "back to b":
        return [*case[:-1], ("c", end), ("b", end), case[-1]]
    if how == "starts with d":
        return [("d", 0), *case]
    if how == "ends with b":
        return [*case, ("b", end)]
    assert how == "c without a"
    return [*[(a, t) for a, t in case[1:] if a != "c"][:-1], ("c", end), ("d", end)]


def log_of(cases: list[Case]) -> Any:
    rows = [
        (f"c{i:03d}", act, T0 + dt.timedelta(days=i, seconds=t))
        for i, case in enumerate(cases)
        for act, t in case
    ]
    events = pa.table(
        {
            "case_id": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "at": pa.array([r[2] for r in rows], pa.timestamp("us")),
        }
    )
    return from_arrow("generated", events)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cases=st.lists(conforming_case(), min_size=1, max_size=60),
    breaks=st.data(),
)
def test_breaking_k_conforming_cases_gives_exactly_k_violating(
    cases: list[Case], breaks: st.DataObject
) -> None:
    clean = check(log_of(cases), RULES)
    assert clean.share_conforming == 1.0
    assert clean.violating == 0 and all(r.violating == 0 for r in clean.rules)

    chosen = breaks.draw(st.sets(st.integers(0, len(cases) - 1)))
    how = {i: breaks.draw(st.sampled_from(BREAKS)) for i in sorted(chosen)}
    mixed = [broken(c, how[i]) if i in how else c for i, c in enumerate(cases)]
    report = check(log_of(mixed), RULES, limit=len(cases))
    assert report.violating == len(chosen)
    assert report.cases == len(cases)
    hit = {c.case_id for r in report.rules for c in r.cases}
    assert hit == {f"c{i:03d}" for i in chosen}
