"""The process map of the hand-made log: every figure below is worked out in handmade_log.py."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from handmade_log import at, handmade_log

from attain.process.discovery import ActivityStats, ProcessMap, cases_of_transition, process_map
from attain.process.log import from_arrow


@pytest.fixture(scope="module")
def pmap() -> ProcessMap:
    return process_map(handmade_log())


def test_counts_starts_and_ends(pmap: ProcessMap) -> None:
    assert (pmap.log, pmap.case_label, pmap.cases, pmap.events) == ("handmade", "ticket", 4, 15)
    assert pmap.starts == {"Open": 4}
    assert pmap.ends == {"Close": 4}
    assert pmap.waiting == "elapsed"


def test_activities_with_service_time_from_start_complete_pairs(pmap: ProcessMap) -> None:
    by_name = {a.name: a for a in pmap.activities}
    # Review: c1 09:10-09:40 and 10:00-10:30 (30 min each), c3 08:00-09:00 (60 min)
    assert by_name["Review"] == ActivityStats("Review", 6, 2, 0, 0, 1800.0, 2400.0)
    assert by_name["Open"] == ActivityStats("Open", 4, 4, 4, 0, None, None)
    assert by_name["Close"] == ActivityStats("Close", 4, 4, 0, 4, None, None)
    assert by_name["Fix"] == ActivityStats("Fix", 1, 1, 0, 0, None, None)
    assert [a.name for a in pmap.activities] == ["Review", "Close", "Open", "Fix"]


def test_transitions_with_interpolated_waits(pmap: ProcessMap) -> None:
    got = {
        (t.source, t.target): (
            t.events,
            t.cases,
            t.wait_mean_s,
            t.wait_median_s,
            round(t.wait_p90_s, 6),
            t.wait_total_s,
        )
        for t in pmap.transitions
    }
    assert got == {
        # c1 10 min, c3 0 (a tie at 08:00)
        ("Open", "Review"): (2, 2, 300.0, 300.0, 540.0, 600.0),
        # c1 twice 30 min, c3 60 min: p90 = 1800 + 0.8 * 1800
        ("Review", "Review"): (3, 2, 2400.0, 1800.0, 3240.0, 7200.0),
        ("Review", "Fix"): (1, 1, 1200.0, 1200.0, 1200.0, 1200.0),
        # Fix and Review start at the same instant: file order puts Fix first
        ("Fix", "Review"): (1, 1, 0.0, 0.0, 0.0, 0.0),
        ("Review", "Close"): (2, 2, 4500.0, 4500.0, 5220.0, 9000.0),
        ("Open", "Close"): (2, 2, 46800.0, 46800.0, 78480.0, 93600.0),
    }
    assert (pmap.transitions[0].source, pmap.transitions[0].target) == ("Review", "Review")


def test_cases_of_a_transition_slowest_first() -> None:
    log = handmade_log()
    rows = cases_of_transition(log, "Review", "Review")
    assert [(r["case_id"], r["wait_s"]) for r in rows] == [("c3", 3600.0), ("c1", 1800.0)]
    assert rows[0]["source_at"] == at(1, 8) and rows[0]["target_at"] == at(1, 9)
    assert rows[0]["amount"] is None and rows[1]["amount"] == 100
    assert rows[1]["owner"] == "ana"
    assert cases_of_transition(log, "Open", "Close", limit=1)[0]["case_id"] == "c2"
    assert cases_of_transition(log, "Close", "Open") == []


def test_an_unknown_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="waiting"):
        process_map(handmade_log(), waiting="wall")  # type: ignore[arg-type]


def test_a_start_pairs_with_the_complete_right_after_it_of_its_activity() -> None:
    """A: start, start, complete, complete: only the second start is paired (20 min); B's
    schedule is no start: its start pairs with its complete (15 min), the wait between them
    counts as no service."""
    t0 = dt.datetime(2026, 3, 2, 9)
    rows = [
        ("A", 0, "start"),
        ("B", 0, "schedule"),
        ("B", 5, "start"),
        ("A", 10, "start"),
        ("B", 20, "complete"),
        ("A", 30, "complete"),
        ("A", 40, "complete"),
    ]
    log = from_arrow(
        "t",
        pa.table(
            {
                "case_id": ["x"] * len(rows),
                "activity": [r[0] for r in rows],
                "at": [t0 + dt.timedelta(minutes=r[1]) for r in rows],
                "lifecycle": [r[2] for r in rows],
            }
        ),
    )
    by_name = {a.name: a for a in process_map(log).activities}
    assert (by_name["A"].service_median_s, by_name["A"].service_mean_s) == (1200.0, 1200.0)
    assert (by_name["B"].service_median_s, by_name["B"].service_mean_s) == (900.0, 900.0)
