"""The event log's columns and the directly-follows pairs, on a log small enough to check by hand."""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
import pytest

from attain.access.scope import Scope
from attain.process.log import EventLog, EventLogError, from_arrow, visible
from attain.process.transitions import event_steps, transitions

T0 = dt.datetime(2026, 3, 2, 9, 0)


def small_log() -> EventLog:
    """Case a: Open, then Triage and Assign at the same instant (file order decides), then
    Close 90.5 s later; case b: Open, Close. Case a is Ana's, case b is Ben's."""
    events = pa.table(
        {
            "case_id": ["a", "b", "a", "a", "a", "b"],
            "activity": ["Open", "Open", "Triage", "Assign", "Close", "Close"],
            "at": [
                T0,
                T0,
                T0 + dt.timedelta(seconds=10),
                T0 + dt.timedelta(seconds=10),
                T0 + dt.timedelta(seconds=100, milliseconds=500),
                T0 + dt.timedelta(hours=1),
            ],
            "resource": ["ana", "ben", "ana", "cy", "cy", "ben"],
            "lifecycle": ["COMPLETE", None, "Start", "complete", None, None],
        }
    )
    cases = pa.table({"case_id": ["a", "b"], "owner": ["ana", "ben"], "priority": ["high", "low"]})
    return from_arrow("tickets", events, cases, case_label="ticket")


def test_events_have_the_canonical_columns_in_order() -> None:
    log = small_log()
    assert log.events.columns[:7] == (
        "case_id",
        "activity",
        "at",
        "position",
        "resource",
        "lifecycle",
        "resource_team",
    )
    assert log.cases.columns == (
        "case_id",
        "amount",
        "owner",
        "team",
        "territory",
        "calendar",
        "outcome",
        "priority",
    )
    rows = log.events.order_by("position").to_pyarrow().to_pylist()
    assert [r["position"] for r in rows] == [0, 1, 2, 3, 4, 5]
    assert [r["lifecycle"] for r in rows] == ["complete", None, "start", "complete", None, None]


def test_pairs_follow_time_then_file_order() -> None:
    got = transitions(small_log()).order_by("case_id", "step").to_pyarrow().to_pylist()
    assert [(r["case_id"], r["source"], r["target"], r["step"]) for r in got] == [
        ("a", "Open", "Triage", 0),
        ("a", "Triage", "Assign", 1),
        ("a", "Assign", "Close", 2),
        ("b", "Open", "Close", 0),
    ]
    assert [r["wait_s"] for r in got] == [10.0, 0.0, 90.5, 3600.0]
    assert got[2]["source_resource"] == "cy" and got[0]["target_resource"] == "ana"
    assert (got[1]["source_position"], got[1]["target_position"]) == (2, 3)


def test_ties_are_broken_by_position_not_by_name() -> None:
    """Swap the file order of the tied pair: the pairs follow the file, not the alphabet."""
    events = pa.table(
        {
            "case_id": ["a", "a", "a"],
            "activity": ["Open", "Zeta", "Alpha"],
            "at": [T0, T0, T0],
        }
    )
    got = transitions(from_arrow("t", events)).order_by("step").to_pyarrow().to_pylist()
    assert [(r["source"], r["target"]) for r in got] == [("Open", "Zeta"), ("Zeta", "Alpha")]


def test_event_steps_mark_first_and_last() -> None:
    rows = event_steps(small_log()).order_by("case_id", "step").to_pyarrow().to_pylist()
    assert [(r["activity"], r["step"], r["is_start"], r["is_end"]) for r in rows] == [
        ("Open", 0, True, False),
        ("Triage", 1, False, False),
        ("Assign", 2, False, False),
        ("Close", 3, False, True),
        ("Open", 0, True, False),
        ("Close", 1, False, True),
    ]


def test_zoned_timestamps_become_naive_utc() -> None:
    at = pa.array([dt.datetime(2026, 3, 2, 8, 0), dt.datetime(2026, 3, 2, 9, 30)]).cast(
        pa.timestamp("us", tz="UTC")
    )
    events = pa.table(
        {
            "case_id": ["a", "a"],
            "activity": ["x", "y"],
            "at": at.cast(pa.timestamp("ms", tz="Europe/Amsterdam")),
        }
    )
    got = from_arrow("t", events).events.order_by("position").to_pyarrow().to_pylist()
    assert [r["at"] for r in got] == [dt.datetime(2026, 3, 2, 8, 0), dt.datetime(2026, 3, 2, 9, 30)]


def test_cases_without_a_table_have_null_attributes() -> None:
    events = pa.table({"case_id": ["a", "b", "a"], "activity": ["x", "y", "z"], "at": [T0] * 3})
    cases = from_arrow("t", events).cases.order_by("case_id").to_pyarrow().to_pylist()
    assert [c["case_id"] for c in cases] == ["a", "b"]
    assert all(c["owner"] is None and c["amount"] is None for c in cases)


def test_a_log_without_activity_is_refused() -> None:
    with pytest.raises(ValueError, match="activity"):
        from_arrow("t", pa.table({"case_id": ["a"], "at": [T0]}))


def test_a_rep_sees_only_own_cases_and_everyone_sees_all() -> None:
    log = small_log()
    mine = visible(log, Scope(frozenset({"ben"})))
    assert mine.cases.case_id.to_pyarrow().to_pylist() == ["b"]
    assert set(mine.events.case_id.to_pyarrow().to_pylist()) == {"b"}
    assert transitions(mine).count().execute() == 1
    assert visible(log, Scope(None)).events.count().execute() == 6
    assert visible(log, Scope(frozenset())).events.count().execute() == 0


def test_for_cases_keeps_events_and_cases_of_those_cases() -> None:
    log = small_log()
    by_list = log.for_cases(["a"])
    by_table = log.for_cases(log.cases.filter(log.cases.priority == "high"))
    for kept in (by_list, by_table):
        assert kept.events.count().execute() == 4
        assert kept.cases.case_id.to_pyarrow().to_pylist() == ["a"]
    assert log.for_cases([]).events.count().execute() == 0


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            {"case_id": ["a", None], "activity": ["x", "y"], "at": [T0, T0]},
            "log t: events row 2: case_id is empty",
        ),
        (
            {"case_id": ["a", "a"], "activity": ["x", "y"], "at": ["2026-03-02 09:00", "soon"]},
            "log t: events row 2: at 'soon' is not a timestamp",
        ),
        (
            {"case_id": ["a"], "activity": [None], "at": [T0], "position": [7]},
            "log t: event at position 7: activity is empty",
        ),
    ],
)
def test_an_unusable_event_is_named_by_its_row(
    events: dict[str, list[object]], message: str
) -> None:
    with pytest.raises(EventLogError, match="^" + re.escape(message)):
        from_arrow("t", pa.table(events))


def test_text_timestamps_with_offsets_become_utc() -> None:
    events = pa.table(
        {
            "case_id": ["a", "a"],
            "activity": ["x", "y"],
            "at": ["2026-03-02T09:00:00+01:00", "2026-03-02T08:30:00Z"],
        }
    )
    got = from_arrow("t", events).events.order_by("position").at.to_pyarrow().to_pylist()
    assert got == [dt.datetime(2026, 3, 2, 8, 0), dt.datetime(2026, 3, 2, 8, 30)]


def test_timestamps_given_as_text_are_parsed() -> None:
    events = pa.table(
        {
            "case_id": ["a", "a"],
            "activity": ["x", "y"],
            "at": ["2026-03-02 09:00", "2026-03-02T09:00:01.5"],
        }
    )
    got = transitions(from_arrow("t", events)).to_pyarrow().to_pylist()
    assert [r["wait_s"] for r in got] == [1.5]
