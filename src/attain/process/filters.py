"""Filters as process-mining users know them: each keeps whole cases, never parts of one, so a
filtered log's map still shows every case's full path.

- time frame: cases whose first event falls in [since, until] (days, inclusive);
- attribute: cases whose attribute is one of the values (a case column such as segment, owner,
  priority; or an event column such as resource or resource_team, matched by any event);
- variant: cases whose path is exactly that sequence of activities;
- start / end activity: cases whose first / last event is that activity;
- performance: cases whose throughput time is at least `min_duration_s` / at most
  `max_duration_s`.

>>> import datetime as dt
>>> Filter(since=dt.date(2026, 1, 1), attributes={"segment": ("enterprise",)}).since
datetime.date(2026, 1, 1)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import ibis

from attain.process.cases import case_summary
from attain.process.log import EventLog
from attain.process.variants import variant_cases


class FilterError(ValueError):
    """A filter names a column the log does not have."""


@dataclass(frozen=True)
class Filter:
    """Which cases to keep; every criterion given must hold (None or empty: no criterion)."""

    since: dt.date | None = None
    until: dt.date | None = None
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    variant: tuple[str, ...] | None = None
    starts_with: str | None = None
    ends_with: str | None = None
    min_duration_s: float | None = None
    max_duration_s: float | None = None

    @property
    def empty(self) -> bool:
        """Whether the filter keeps every case."""
        return self == Filter()


def _summary_predicates(summary: ibis.Table, f: Filter) -> list[Any]:
    preds: list[Any] = []
    if f.since is not None:
        preds.append(summary.first_at >= ibis.literal(dt.datetime.combine(f.since, dt.time())))
    if f.until is not None:
        day_after = dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time())
        preds.append(summary.first_at < ibis.literal(day_after))
    if f.starts_with is not None:
        preds.append(summary.first_activity == f.starts_with)
    if f.ends_with is not None:
        preds.append(summary.last_activity == f.ends_with)
    if f.min_duration_s is not None:
        preds.append(summary.throughput_s >= f.min_duration_s)
    if f.max_duration_s is not None:
        preds.append(summary.throughput_s <= f.max_duration_s)
    return preds


def kept_cases(log: EventLog, f: Filter) -> ibis.Table | None:
    """The ids (`case_id`) of the cases the filter keeps; None when it keeps all."""
    kept: ibis.Table | None = None

    def narrow(ids: ibis.Table) -> None:
        nonlocal kept
        kept = ids if kept is None else kept.semi_join(ids, "case_id")

    summary = case_summary(log)
    preds = _summary_predicates(summary, f)
    if preds:
        narrow(summary.filter(*preds).select("case_id"))
    for column, values in f.attributes.items():
        if not values:
            continue
        if column in log.cases.columns and column != "case_id":
            c = log.cases
        elif column in log.events.columns and column != "case_id":
            c = log.events
        else:
            raise FilterError(f"log {log.name!r} has no attribute {column!r}")
        narrow(c.filter(c[column].cast("string").isin(list(values))).select("case_id").distinct())
    if f.variant is not None:
        narrow(variant_cases(log, f.variant))
    return kept


def apply_filter(log: EventLog, f: Filter) -> EventLog:
    """The log kept to the cases the filter selects (the same log when it selects all)."""
    ids = kept_cases(log, f)
    if ids is None:
        return log
    return log.for_cases(ids)
