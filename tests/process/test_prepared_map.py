"""A prepared log gives the same map as the engine computes from scratch, for the whole log and
for any part of it (a viewer's cases, a filter), and the same cases behind a transition."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pyarrow as pa
import pytest

from attain.access.scope import Scope
from attain.process.discovery import cases_of_transition, process_map
from attain.process.filters import Filter
from attain.process.log import EventLog, from_arrow, visible
from attain.process.prepared import cases_of_transition as kept_cases
from attain.process.prepared import map_of, prepare

T0 = dt.datetime(2026, 3, 2, 9)
ACTIVITIES = ["open", "assign", "wait", "fix", "close"]
OWNERS = ["p1", "p2", "p3"]


def _random_cases(seed: int) -> list[tuple[list[tuple[str, int, str | None]], str]]:
    """Cases of random paths (loops, repeats, equal timestamps, start/complete pairs)."""
    r = random.Random(seed)
    return [
        (
            [
                (
                    r.choice(ACTIVITIES),
                    r.choice([0, 60, r.randint(0, 5 * 86_400)]),
                    r.choice([None, "start", "complete"]),
                )
                for _ in range(r.randint(1, 7))
            ],
            r.choice(OWNERS),
        )
        for _ in range(r.randint(5, 15))
    ]


def _log(cases: list[tuple[list[tuple[str, int, str | None]], str]]) -> EventLog:
    ids, acts, ats, cycles, owners, amounts, case_ids = [], [], [], [], [], [], []
    for i, (events, owner) in enumerate(cases):
        at = T0 + dt.timedelta(days=i)
        for activity, gap, lifecycle in events:
            at += dt.timedelta(seconds=gap)
            ids.append(f"c{i}")
            acts.append(activity)
            ats.append(at)
            cycles.append(lifecycle)
        case_ids.append(f"c{i}")
        owners.append(owner)
        amounts.append(Decimal(1000 + i))
    events_table = pa.table(
        {"case_id": ids, "activity": acts, "at": ats, "lifecycle": pa.array(cycles, pa.string())}
    )
    cases_table = pa.table(
        {"case_id": case_ids, "owner": owners, "amount": pa.array(amounts, pa.decimal128(24, 6))}
    )
    return from_arrow("tickets", events_table, cases_table, case_label="ticket", currency="USD")


@pytest.mark.parametrize("seed", [1])
def test_a_prepared_map_is_the_engines_map(seed: int) -> None:
    source = _log(_random_cases(seed))
    prepared = prepare(source)
    assert map_of(prepared, prepared.log) == process_map(source)
    for part in (
        visible(prepared.log, Scope(frozenset({"p1", "p3"}))),
        prepared.log.filtered(Filter(min_duration_s=86_400.0)),
    ):
        assert map_of(prepared, part) == process_map(part)
        for t in process_map(part).transitions[:2]:
            assert kept_cases(prepared, part, t.source, t.target) == cases_of_transition(
                part, t.source, t.target
            )


def test_nothing_to_see_is_an_empty_map() -> None:
    prepared = prepare(_log([([("open", 0, None), ("close", 60, None)], "p1")]))
    empty = map_of(prepared, visible(prepared.log, Scope(frozenset())))
    assert (empty.cases, empty.events, empty.activities, empty.transitions) == (0, 0, (), ())


def test_many_requests_read_one_prepared_log_at_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    prepared = prepare(_log(_random_cases(3)))
    parts = [visible(prepared.log, Scope(frozenset({o}))) for o in OWNERS] * 2
    alone = [map_of(prepared, p) for p in parts]
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(lambda p: map_of(prepared, p), parts))
    assert together == alone
