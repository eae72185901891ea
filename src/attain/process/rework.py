"""Rework: work done again. Activities a case repeats, loops back to an activity it has already
been through, and, for deals, falls back to an earlier stage of the funnel.

Counted in the database from the case's events and its directly-follows transitions, then
summed per case, per owner (the rep) or per team, so a manager sees whose deals keep slipping.
An activity done once is one event, so where a log records start and complete events only the
completions (and events without a lifecycle) count: a start then its completion is no repeat.

>>> rework(log, by="owner")[0]  # doctest: +SKIP
ReworkRow(key='P0012', cases=41, cases_with_rework=9, share=0.2195..., repeated_activities=9,
          loops=11, self_loops=0, regressions=7)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import ibis
import pyarrow as pa
from ibis import _

from attain.data.stages import StageCatalog
from attain.process.log import EventLog
from attain.process.transitions import transitions

ReworkBy = Literal["case", "owner", "team"]
BY_COLUMN = {"owner": "owner", "team": "team"}


@dataclass(frozen=True)
class ReworkRow:
    """Rework of one case, or summed over the cases of one owner or team.

    `key` is the case id, owner or team (None: cases with no owner or team); `regressions` is
    None unless a stage catalog was given (deals)."""

    key: str | None
    cases: int
    cases_with_rework: int
    share: float
    """cases_with_rework / cases."""
    repeated_activities: int
    """(case, activity) pairs where the activity happens more than once in the case."""
    loops: int
    """Events that return to an activity already seen earlier in the case (a self-loop too)."""
    self_loops: int
    """Loops straight back to the same activity (A then A again)."""
    regressions: int | None
    """Moves into an open stage of lower position than the stage the deal came from."""


def rework(
    log: EventLog,
    *,
    by: ReworkBy = "case",
    stages: StageCatalog | None = None,
    limit: int | None = None,
) -> list[ReworkRow]:
    """Rework per case (only cases with some rework, most first), or per owner / team (every
    owner or team with cases, most cases with rework first). Give `stages` for a deal log to
    count stage regressions."""
    if by not in ("case", "owner", "team"):
        raise ValueError(f"rework is counted by case, owner or team, not {by!r}")
    per_case = case_rework(log, stages)
    if by == "case":
        found = per_case.filter(_.has_rework == 1).order_by(
            [ibis.desc("loops"), ibis.desc("regressions"), "case_id"]
        )
        if limit is not None:
            found = found.limit(limit)
        table = found.mutate(key=_.case_id, cases=ibis.literal(1, "int64")).rename(
            cases_with_rework="has_rework"
        )
    else:
        column = BY_COLUMN[by]
        owners = log.cases.select("case_id", key=log.cases[column].cast("string"))
        joined = per_case.join(owners, "case_id", how="left")
        table = (
            joined.group_by("key")
            .aggregate(
                cases=_.case_id.count(),
                cases_with_rework=_.has_rework.sum(),
                repeated_activities=_.repeated_activities.sum(),
                loops=_.loops.sum(),
                self_loops=_.self_loops.sum(),
                regressions=_.regressions.sum(),
            )
            .order_by([ibis.desc("cases_with_rework"), ibis.desc("cases"), "key"])
        )
        if limit is not None:
            table = table.limit(limit)
    return _rows(table.to_pyarrow(), counted=stages is not None)


@dataclass(frozen=True)
class ActivityRework:
    """How often one activity is done again: where the rework happens."""

    activity: str
    cases: int
    """Cases with the activity."""
    cases_repeating: int
    """Cases where it happens more than once."""
    repeats: int
    """Its events after the first in each case (the loops back to it)."""
    share: float
    """cases_repeating / cases."""


def done(log: EventLog) -> EventLog:
    """The log kept to one event per activity done: completions and events without a lifecycle
    (start, schedule and the like are left out)."""
    ev = log.events
    return replace(log, events=ev.filter(ev.lifecycle.isnull() | (ev.lifecycle == "complete")))


def rework_by_activity(log: EventLog) -> list[ActivityRework]:
    """Per activity, how many of its cases do it again and how many times; activities that are
    repeated somewhere, the most repeats first."""
    per_case = done(log).events.group_by(["case_id", "activity"]).aggregate(n=_.count())
    table = (
        per_case.group_by("activity")
        .aggregate(
            cases=_.count(),
            cases_repeating=_count_if(_.n > 1).sum(),
            repeats=(_.n - 1).sum(),
        )
        .filter(_.repeats > 0)
        .order_by([ibis.desc("repeats"), "activity"])
    )
    return [
        ActivityRework(
            r["activity"],
            int(r["cases"]),
            int(r["cases_repeating"]),
            int(r["repeats"]),
            int(r["cases_repeating"]) / int(r["cases"]),
        )
        for r in table.to_pyarrow().to_pylist()
    ]


def case_rework(log: EventLog, stages: StageCatalog | None = None) -> ibis.Table:
    """One row per case: repeated_activities, loops, self_loops, regressions, has_rework (0/1).

    A case's loops are its events minus its distinct activities: every event of an activity
    after the first is a return to it."""
    log = done(log)
    ev = log.events
    per_activity = ev.group_by(["case_id", "activity"]).aggregate(n=_.count())
    repeats = per_activity.group_by("case_id").aggregate(
        repeated_activities=_count_if(_.n > 1).sum(),
        loops=(_.n - 1).sum(),
    )
    steps = transitions(log)
    moves = steps.mutate(
        self_loop=_count_if(steps.source == steps.target),
        regression=_regression(steps, stages),
    )
    per_move = moves.group_by("case_id").aggregate(
        self_loops=_.self_loop.sum(), regressions=_.regression.sum()
    )
    joined = repeats.join(per_move, "case_id", how="left").select(
        "case_id",
        "repeated_activities",
        "loops",
        self_loops=ibis.coalesce(_.self_loops, 0),
        regressions=ibis.coalesce(_.regressions, 0),
    )
    return joined.mutate(has_rework=_count_if((_.loops > 0) | (_.regressions > 0)))


def _regression(steps: ibis.Table, stages: StageCatalog | None) -> ibis.Value:
    """1 for a move into an open stage listed before the stage it leaves, else 0."""
    if stages is None:
        return ibis.literal(0, "int64")
    listed = [(name, category) for name, category in stages.stages if name not in stages.unlisted]
    position = {name: i for i, (name, _category) in enumerate(listed)}
    open_position = {name: position[name] for name, category in listed if category == "open"}
    if not open_position:
        return ibis.literal(0, "int64")
    source_position = steps.source.substitute(position, else_=ibis.null("int64"))
    target_position = steps.target.substitute(open_position, else_=ibis.null("int64"))
    return _count_if(target_position < source_position)


def _count_if(condition: Any) -> Any:
    """1 where the condition holds, else 0 (null counts 0); PostgreSQL cannot cast a boolean to
    a bigint."""
    return ibis.ifelse(condition, 1, 0)


def _rows(found: pa.Table, *, counted: bool) -> list[ReworkRow]:
    rows = []
    for r in found.to_pylist():
        cases = int(r["cases"])
        with_rework = int(r["cases_with_rework"] or 0)
        rows.append(
            ReworkRow(
                key=r["key"],
                cases=cases,
                cases_with_rework=with_rework,
                share=with_rework / cases if cases else 0.0,
                repeated_activities=int(r["repeated_activities"] or 0),
                loops=int(r["loops"] or 0),
                self_loops=int(r["self_loops"] or 0),
                regressions=int(r["regressions"] or 0) if counted else None,
            )
        )
    return rows
