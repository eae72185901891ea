"""The reporting hierarchy: who reports to whom, on a day, over a period, or ever.

People are effective-dated: the row in force on a day has valid_from <= day <= valid_to (an
open valid_to runs on). The engine's `manager_of(...)` joins `people` with the same rule on the
credit date, so "as of" means the same here and in a run. Every Python walk of the hierarchy
(who a manager sees, whose statement they may read, whom live recalculation widens to) is
written once, here.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, or_, select

from attain.data.schema import Person

Tree = dict[str, list[str]]
"""Manager -> direct reports."""

Links = dict[str, set[str]]
"""Person -> the people one step away (up to managers, or down to reports)."""

Version = tuple[str, str | None, dt.date | None, dt.date | None]
"""One version of a person's manager link: (person, manager, valid_from, valid_to); an empty
bound is open."""

_TREE_TTL = 30.0
_trees: dict[tuple[str, dt.date], tuple[float, Tree]] = {}
_lock = threading.Lock()


def in_force(versions: Iterable[Version], day: dt.date) -> Tree:
    """Manager -> direct reports, from the versions in force on `day`: the rule the engine's
    `manager_of` applies on a credit's date."""
    tree: Tree = defaultdict(list)
    for pid, manager, valid_from, valid_to in versions:
        if (
            manager
            and (valid_from is None or valid_from <= day)
            and (valid_to is None or valid_to >= day)
        ):
            tree[manager].append(pid)
    return dict(tree)


def reports_as_of(engine: Engine, day: dt.date) -> Tree:
    """Manager -> direct reports, from the hierarchy in force on `day` (cached briefly)."""
    key = (str(engine.url), day)
    now = time.monotonic()
    with _lock:
        hit = _trees.get(key)
    if hit is not None and now - hit[0] < _TREE_TTL:
        return hit[1]
    with engine.connect() as conn:
        rows = conn.execute(
            select(Person.id, Person.manager, Person.valid_from, Person.valid_to).where(
                Person.valid_from <= day, or_(Person.valid_to.is_(None), Person.valid_to >= day)
            )
        ).all()
    tree = in_force(rows, day)
    with _lock:
        _trees[key] = (now, tree)
    return tree


def forget_hierarchy() -> None:
    """Drop the cached hierarchy (after people are imported)."""
    with _lock:
        _trees.clear()


def closure(start: Iterable[str], links: Links | Tree) -> set[str]:
    """`start` and everyone reached from it through `links`, at any depth."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for nxt in links.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def team_of(engine: Engine, manager: str, day: dt.date) -> frozenset[str]:
    """Everyone under `manager` on `day`, at any depth, and the manager."""
    return frozenset(closure([manager], reports_as_of(engine, day)))


def _up(tree: Tree) -> Links:
    up: Links = defaultdict(set)
    for manager, reports in tree.items():
        for pid in reports:
            up[pid].add(manager)
    return up


def managers_above(engine: Engine, payee: str, day: dt.date) -> set[str]:
    """Every manager above `payee` on `day`, at any depth (not the payee)."""
    return closure([payee], _up(reports_as_of(engine, day))) - {payee}


def _changes(rows: Sequence[Version], start: dt.date, end: dt.date) -> list[dt.date]:
    """The days of [start, end] on which the hierarchy can differ from the day before."""
    days = {start}
    for _pid, _manager, valid_from, valid_to in rows:
        if valid_from is not None and start < valid_from <= end:
            days.add(valid_from)
        if valid_to is not None and start <= valid_to < end:
            days.add(valid_to + dt.timedelta(days=1))
    return sorted(days)


def _period_rows(engine: Engine, start: dt.date, end: dt.date) -> Sequence[Version]:
    with engine.connect() as conn:
        return [
            (r[0], r[1], r[2], r[3])
            for r in conn.execute(
                select(Person.id, Person.manager, Person.valid_from, Person.valid_to).where(
                    Person.valid_from <= end,
                    or_(Person.valid_to.is_(None), Person.valid_to >= start),
                )
            ).all()
        ]


def managers_over(engine: Engine, payee: str, start: dt.date, end: dt.date) -> set[str]:
    """Every manager above `payee` on any day of [start, end], at any depth (on that day)."""
    rows = _period_rows(engine, start, end)
    above: set[str] = set()
    for day in _changes(rows, start, end):
        above |= closure([payee], _up(in_force(rows, day)))
    return above - {payee}


def trees_over(engine: Engine, start: dt.date, end: dt.date) -> list[Tree]:
    """The hierarchy on each day of [start, end] on which it can differ from the day before,
    in day order: enough to answer who was above whom on any day of the period."""
    rows = _period_rows(engine, start, end)
    return [in_force(rows, day) for day in _changes(rows, start, end)]


def reports_over(engine: Engine, manager: str, start: dt.date, end: dt.date) -> set[str]:
    """Everyone under `manager` on any day of [start, end], at any depth (not the manager)."""
    rows = _period_rows(engine, start, end)
    below: set[str] = set()
    for day in _changes(rows, start, end):
        below |= closure([manager], in_force(rows, day))
    return below - {manager}


def all_links(engine: Engine) -> tuple[Links, Links]:
    """Every manager link ever, across all versions: (person -> managers, manager -> reports).

    Live recalculation widens a change to everyone it could reach at any time, since a run
    credits managers as of each credit's date."""
    up: Links = defaultdict(set)
    down: Links = defaultdict(set)
    with engine.connect() as conn:
        for pid, manager in conn.execute(select(Person.id, Person.manager)).all():
            if manager:
                up[pid].add(manager)
                down[manager].add(pid)
    return up, down
