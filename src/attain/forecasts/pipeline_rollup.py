"""The hierarchy a pipeline forecast rolls up: who is under whom on the as-of day, by the rule
pay uses (attain.hierarchy.in_force), cut down to the part that sells B2B."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from attain.hierarchy import in_force

UNPLACED = ""
"""The node of deals whose owner is not in the hierarchy on the day (left, or never a person)."""


@dataclass(frozen=True)
class Hierarchy:
    """Manager -> direct reports among the people that matter to the forecast, and names."""

    reports: dict[str, list[str]]
    roots: list[str]
    names: dict[str, str]

    def under(self, node: str) -> list[str]:
        """`node` and everyone below it, the node first."""
        out, todo = [], [node]
        while todo:
            person = todo.pop()
            out.append(person)
            todo.extend(reversed(self.reports.get(person, [])))
        return out


def hierarchy_on(people: pd.DataFrame, day: dt.date, sellers: set[str]) -> Hierarchy:
    """The tree on `day` keeping only branches that hold a seller (an owner of a deal or a
    holder of a bookings quota)."""
    versions = [
        (
            r.id,
            r.manager if isinstance(r.manager, str) else None,
            _day(r.valid_from),
            _day(r.valid_to),
        )
        for r in people.itertuples(index=False)
    ]
    tree = in_force(versions, day)
    live = {
        r.id: r
        for r in people.itertuples(index=False)
        if (_day(r.valid_from) or dt.date.min) <= day <= (_day(r.valid_to) or dt.date.max)
    }
    managed = {p for reports in tree.values() for p in reports}
    keep: dict[str, bool] = {}

    def holds(person: str) -> bool:
        if person not in keep:
            keep[person] = person in sellers or any(holds(p) for p in tree.get(person, []))
        return keep[person]

    reports = {m: sorted(p for p in rs if holds(p)) for m, rs in tree.items() if holds(m)}
    roots = sorted(p for p in live if p not in managed and holds(p))
    names = {p: (r.name or p) for p, r in live.items()}
    return Hierarchy({m: rs for m, rs in reports.items() if rs}, roots, names)


def _day(value: object) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    day: dt.date = pd.Timestamp(value).date()
    return day
