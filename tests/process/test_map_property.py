"""Property: on any log, the map's counts are what a plain count of each case's events in
`(at, position)` order gives (the count below is the oracle, written without the package)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.process.discovery import process_map
from attain.process.log import from_arrow
from attain.process.variants import variants

T0 = dt.datetime(2026, 1, 1)
CON = ibis.duckdb.connect()

event = st.tuples(
    st.sampled_from(["c1", "c2", "c3", "c4"]),
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 5),  # few instants: many ties, broken by the file order
)


def oracle(
    events: list[tuple[str, str, int]],
) -> tuple[
    Counter[tuple[str, str]],
    dict[tuple[str, str], set[str]],
    Counter[str],
    Counter[str],
    Counter[tuple[str, ...]],
]:
    by_case: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for position, (case, activity, minute) in enumerate(events):
        by_case[case].append((minute, position, activity))
    pairs: Counter[tuple[str, str]] = Counter()
    cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    paths: Counter[tuple[str, ...]] = Counter()
    for case, evs in by_case.items():
        path = [a for _, _, a in sorted(evs)]
        starts[path[0]] += 1
        ends[path[-1]] += 1
        paths[tuple(path)] += 1
        for s, t in itertools.pairwise(path):
            pairs[(s, t)] += 1
            cases[(s, t)].add(case)
    return pairs, cases, starts, ends, paths


@settings(max_examples=25, deadline=None)
@given(st.lists(event, min_size=1, max_size=30))
def test_map_counts_equal_a_plain_count(events: list[tuple[str, str, int]]) -> None:
    table = pa.table(
        {
            "case_id": [e[0] for e in events],
            "activity": [e[1] for e in events],
            "at": [T0 + dt.timedelta(minutes=e[2]) for e in events],
        }
    )
    log = from_arrow("random", table, con=CON)
    pairs, cases, starts, ends, paths = oracle(events)
    m = process_map(log)
    assert {(t.source, t.target): t.events for t in m.transitions} == dict(pairs)
    assert {(t.source, t.target): t.cases for t in m.transitions} == {
        k: len(v) for k, v in cases.items()
    }
    assert m.starts == dict(starts) and m.ends == dict(ends)
    assert m.events == len(events)
    assert {v.activities: v.cases for v in variants(log).variants} == dict(paths)
