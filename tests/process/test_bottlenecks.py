"""Bottlenecks on a log worked out by hand: time added over the typical wait, value-days, the
ranking and the cases behind each one."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from decimal import Decimal

import pytest
from analysis_logs import make_log
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.process.bottlenecks import bottlenecks, cases_of_bottleneck

H = 3600.0
# Five cases a -> b -> c. Waits (hours): a->b 1, 1, 1, 1, 2; b->c 10, 10, 1, 1, 1.
# All ten waits have median 1 h: that is the typical wait.
WAITS = {"c1": (1, 10), "c2": (1, 10), "c3": (1, 1), "c4": (1, 1), "c5": (2, 1)}
AMOUNTS = {
    "c1": Decimal("1000"),
    "c2": Decimal("2000"),
    "c3": Decimal("500"),
    "c5": Decimal("1000000"),
}


@pytest.fixture(scope="module")
def log():  # type: ignore[no-untyped-def]
    events = []
    for case, (ab, bc) in WAITS.items():
        events += [
            (case, "a", 0.0, None, None),
            (case, "b", float(ab), None, None),
            (case, "c", float(ab + bc), None, None),
        ]
    return make_log(events, amounts=AMOUNTS)


def test_time_added_is_the_wait_above_the_typical_wait(log) -> None:  # type: ignore[no-untyped-def]
    top, second = bottlenecks(log)
    assert (top.source, top.target) == ("b", "c")
    assert top.typical_wait_s == pytest.approx(1 * H)
    assert top.time_added_s == pytest.approx(18 * H)  # 9 h above typical, twice
    assert (top.events, top.cases) == (5, 5)
    assert top.wait_median_s == pytest.approx(1 * H)
    assert top.wait_mean_s == pytest.approx(23 / 5 * H)
    assert top.wait_total_s == pytest.approx(23 * H)
    assert (second.source, second.target, second.time_added_s) == ("a", "b", pytest.approx(1 * H))


def test_value_waiting_is_in_the_log_currency_to_cents(log) -> None:  # type: ignore[no-untyped-def]
    top, second = bottlenecks(log)
    assert top.currency == "USD"
    assert top.value == Decimal("1003500.00")  # c4 has no amount
    # 1000 x 10/24 + 2000 x 10/24 + 500 x 1/24 + 1,000,000 x 1/24 days (days to the microday)
    assert top.value_days == Decimal("42937.83")
    assert second.value_days == Decimal("83478.83")


def test_ranked_by_value_the_big_case_leads(log) -> None:  # type: ignore[no-untyped-def]
    assert [(b.source, b.target) for b in bottlenecks(log, rank="value")] == [
        ("a", "b"),
        ("b", "c"),
    ]


def test_by_activity_the_source_is_any(log) -> None:  # type: ignore[no-untyped-def]
    found = bottlenecks(log, by="activity")
    assert [(b.source, b.target) for b in found] == [(None, "c"), (None, "b")]


def test_no_amounts_no_value() -> None:
    log = make_log([("c1", "a", 0.0, None, None), ("c1", "b", 5.0, None, None)])
    (only,) = bottlenecks(log)
    assert (only.value, only.value_days, only.currency) == (None, None, None)
    assert only.time_added_s == 0.0  # its wait is the typical wait


def test_cases_behind_a_bottleneck_longest_wait_first(log) -> None:  # type: ignore[no-untyped-def]
    top = bottlenecks(log, limit=1)[0]
    found = cases_of_bottleneck(log, top, limit=3)
    assert [(r["case_id"], r["wait_s"]) for r in found] == [
        ("c1", 10 * H),
        ("c2", 10 * H),
        ("c3", 1 * H),
    ]
    assert found[0]["amount"] == Decimal("1000.00")


def test_limit_keeps_the_top(log) -> None:  # type: ignore[no-untyped-def]
    assert len(bottlenecks(log, limit=1)) == 1


def test_business_waiting_leaves_out_the_weekend() -> None:
    calendar = pytest.importorskip("attain.process.calendar")
    office = calendar.WorkCalendar("office", "UTC", frozenset(range(5)), dt.time(9), dt.time(17))
    # From Monday 09:00: w waits Friday 16:00 -> Monday 10:00 (66 h; 2 working hours), x waits
    # Tuesday 09:00 -> 12:00 (3 h either way).
    log = make_log(
        [
            ("w", "a", 4 * 24 + 7, None, None),
            ("w", "b", 7 * 24 + 1, None, None),
            ("x", "a", 24, None, None),
            ("x", "b", 27, None, None),
        ],
        calendars={"w": "office", "x": "office"},
    )
    assert bottlenecks(log)[0].wait_total_s == pytest.approx(69 * H)
    (only,) = bottlenecks(log, waiting="business", calendars={"office": office})
    assert only.waiting == "business"
    assert only.wait_total_s == pytest.approx(5 * H)
    assert only.typical_wait_s == pytest.approx(2.5 * H)
    assert only.time_added_s == pytest.approx(0.5 * H)
    found = cases_of_bottleneck(log, only, calendars={"office": office})
    assert [(r["case_id"], r["wait_s"]) for r in found] == [("x", 3 * H), ("w", 2 * H)]


WAIT_HOURS = st.integers(min_value=0, max_value=48)


@settings(max_examples=10, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from("abc"), WAIT_HOURS), min_size=1, max_size=6),
        min_size=1,
        max_size=8,
    )
)
def test_time_added_matches_a_direct_count(paths: list[list[tuple[str, int]]]) -> None:
    events, waits = [], []
    for i, path in enumerate(paths):
        at = 0.0
        for j, (activity, hours) in enumerate(path):
            at += hours if j else 0
            events.append((f"c{i}", activity, at, None, None))
        waits += [(s[0], t[0], float(t[1] * H)) for s, t in itertools.pairwise(path)]
    found = bottlenecks(make_log(events), limit=None)
    if not waits:
        assert found == []
        return
    typical = statistics.median(w for _, _, w in waits)
    expected: dict[tuple[str, str], tuple[int, float]] = {}
    for source, target, wait in waits:
        n, added = expected.get((source, target), (0, 0.0))
        expected[(source, target)] = (n + 1, added + max(0.0, wait - typical))
    assert {(b.source, b.target): (b.events, b.time_added_s) for b in found} == {
        k: (n, pytest.approx(added)) for k, (n, added) in expected.items()
    }
    assert all(b.typical_wait_s == pytest.approx(typical) for b in found)
    ranked = [b.time_added_s for b in found]
    assert ranked == sorted(ranked, reverse=True)
