"""Resources: who performs each activity, where work passes from one person (or team) to
another, and which activities depend on one person.

Events whose resource is unknown are left out of every figure here: an unknown resource is
neither a person to depend on nor one side of a hand-off. A hand-off is two consecutive events of
a case done by different known resources; its wait is the time between them.

>>> [c.activity for c in concentration(log, threshold=0.5)]  # doctest: +SKIP
['proposal', 'negotiation']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import ibis
from ibis import _

from attain.process.log import EventLog
from attain.process.transitions import transitions

By = Literal["person", "team"]
EVENT_COLUMN = {"person": "resource", "team": "resource_team"}
STEP_COLUMNS = {
    "person": ("source_resource", "target_resource"),
    "team": ("source_team", "target_team"),
}


@dataclass(frozen=True)
class ActivityResource:
    """One resource's part in one activity."""

    activity: str
    resource: str
    events: int
    cases: int
    share: float
    """This resource's events / the activity's events with a known resource."""


@dataclass(frozen=True)
class Handoff:
    """Work passed from one resource to another: consecutive events of a case."""

    source: str
    target: str
    handoffs: int
    cases: int
    wait_median_s: float
    wait_mean_s: float
    wait_total_s: float


@dataclass(frozen=True)
class Concentration:
    """An activity that depends on one resource: its top resource's share is at least the
    threshold."""

    activity: str
    resource: str
    events: int
    activity_events: int
    """The activity's events with a known resource."""
    share: float
    resources: int
    """How many different resources performed the activity."""


def _column(by: By) -> str:
    if by not in EVENT_COLUMN:
        raise ValueError(f"resources are counted by person or team, not {by!r}")
    return EVENT_COLUMN[by]


def _performers(log: EventLog, by: By) -> ibis.Table:
    """Per (activity, resource): events, cases, share of the activity's known-resource events."""
    ev = log.events
    known = ev.filter(ev[_column(by)].notnull()).mutate(who=ev[_column(by)].cast("string"))
    per = known.group_by(["activity", "who"]).aggregate(events=_.count(), cases=_.case_id.nunique())
    totals = per.group_by("activity").aggregate(activity_events=_.events.sum(), resources=_.count())
    joined = per.join(totals, "activity").select(per, "activity_events", "resources")
    return joined.mutate(share=joined.events.cast("float64") / joined.activity_events)


def resources(log: EventLog, *, by: By = "person") -> list[ActivityResource]:
    """Who performs each activity (by person or team), busiest first within each activity."""
    table = _performers(log, by).order_by(["activity", ibis.desc("events"), "who"])
    return [
        ActivityResource(r["activity"], r["who"], int(r["events"]), int(r["cases"]), r["share"])
        for r in table.to_pyarrow().to_pylist()
    ]


def handoffs(log: EventLog, *, by: By = "person", limit: int | None = None) -> list[Handoff]:
    """Hand-offs between people (or teams), the most frequent first."""
    _column(by)
    source, target = STEP_COLUMNS[by]
    steps = transitions(log)
    passed = steps.filter(
        steps[source].notnull() & steps[target].notnull() & (steps[source] != steps[target])
    ).mutate(giver=steps[source].cast("string"), taker=steps[target].cast("string"))
    table = (
        passed.group_by(["giver", "taker"])
        .aggregate(
            handoffs=_.count(),
            cases=_.case_id.nunique(),
            wait_median_s=_.wait_s.median(),
            wait_mean_s=_.wait_s.mean(),
            wait_total_s=_.wait_s.sum(),
        )
        .order_by([ibis.desc("handoffs"), "giver", "taker"])
    )
    if limit is not None:
        table = table.limit(limit)
    return [
        Handoff(
            r["giver"],
            r["taker"],
            int(r["handoffs"]),
            int(r["cases"]),
            float(r["wait_median_s"]),
            float(r["wait_mean_s"]),
            float(r["wait_total_s"]),
        )
        for r in table.to_pyarrow().to_pylist()
    ]


def concentration(
    log: EventLog, *, threshold: float = 0.5, by: By = "person", min_events: int = 1
) -> list[Concentration]:
    """Activities with at least `min_events` known-resource events where one resource does at
    least `threshold` of them (0 < threshold <= 1), the most concentrated first: "tasks overly
    dependent on specific individuals"."""
    if not 0 < threshold <= 1:
        raise ValueError(
            f"the concentration threshold is a share above 0 and at most 1, not {threshold}"
        )
    per = _performers(log, by)
    top = per.mutate(
        rank=ibis.row_number().over(
            group_by=per.activity, order_by=[ibis.desc(per.events), per.who]
        )
    )
    kept = (top["rank"] == 0) & (top.share >= threshold) & (top.activity_events >= min_events)
    table = top.filter(kept).order_by([ibis.desc("share"), ibis.desc("events"), "activity"])
    return [
        Concentration(
            r["activity"],
            r["who"],
            int(r["events"]),
            int(r["activity_events"]),
            r["share"],
            int(r["resources"]),
        )
        for r in table.to_pyarrow().to_pylist()
    ]
