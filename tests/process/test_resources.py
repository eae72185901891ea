"""Who performs each activity, hand-offs and concentration, on a log worked out by hand."""

from __future__ import annotations

import itertools

import pytest
from analysis_logs import make_log
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.process.resources import concentration, handoffs, resources

# ann and cat are in team t1, bob in t2.
EVENTS = [
    ("c1", "a", 0, "ann", "t1"),
    ("c1", "b", 2, "bob", "t2"),
    ("c1", "c", 3, "bob", "t2"),
    ("c1", "d", 7, "cat", "t1"),
    ("c2", "a", 0, "ann", "t1"),
    ("c2", "b", 1, "ann", "t1"),
    ("c2", "c", 5, "bob", "t2"),
    ("c3", "a", 0, "ann", "t1"),
    ("c3", "b", 1, None, None),
    ("c3", "c", 2, "bob", "t2"),
]


@pytest.fixture(scope="module")
def log():  # type: ignore[no-untyped-def]
    return make_log(EVENTS)


def test_who_performs_each_activity(log) -> None:  # type: ignore[no-untyped-def]
    found = {(r.activity, r.resource): (r.events, r.cases, r.share) for r in resources(log)}
    assert found == {
        ("a", "ann"): (3, 3, 1.0),
        # c3's b has no known resource: the share is over the two known events.
        ("b", "ann"): (1, 1, 0.5),
        ("b", "bob"): (1, 1, 0.5),
        ("c", "bob"): (3, 3, 1.0),
        ("d", "cat"): (1, 1, 1.0),
    }


def test_by_team(log) -> None:  # type: ignore[no-untyped-def]
    found = {(r.activity, r.resource): r.events for r in resources(log, by="team")}
    assert found == {("a", "t1"): 3, ("b", "t1"): 1, ("b", "t2"): 1, ("c", "t2"): 3, ("d", "t1"): 1}


def test_handoffs_between_people(log) -> None:  # type: ignore[no-untyped-def]
    found = handoffs(log)
    # ann -> bob: c1 a->b (2 h), c2 b->c (4 h); bob -> cat: c1 c->d (4 h). bob -> bob in c1 and
    # ann -> ann in c2 are not hand-offs; c3 passes through an unknown resource.
    assert [(h.source, h.target, h.handoffs, h.cases) for h in found] == [
        ("ann", "bob", 2, 2),
        ("bob", "cat", 1, 1),
    ]
    ann_bob = found[0]
    assert ann_bob.wait_median_s == pytest.approx(3 * 3600)
    assert ann_bob.wait_mean_s == pytest.approx(3 * 3600)
    assert ann_bob.wait_total_s == pytest.approx(6 * 3600)


def test_handoffs_between_teams(log) -> None:  # type: ignore[no-untyped-def]
    found = handoffs(log, by="team")
    assert [(h.source, h.target, h.handoffs) for h in found] == [("t1", "t2", 2), ("t2", "t1", 1)]


def test_concentration_lists_activities_one_person_carries(log) -> None:  # type: ignore[no-untyped-def]
    found = concentration(log, threshold=0.5)
    assert [(c.activity, c.resource, c.share, c.resources) for c in found] == [
        ("a", "ann", 1.0, 1),
        ("c", "bob", 1.0, 1),
        ("d", "cat", 1.0, 1),
        # a tie at one half: the first name is the top resource; it meets a threshold of 0.5.
        ("b", "ann", 0.5, 2),
    ]
    assert [c.activity for c in concentration(log, threshold=0.6)] == ["a", "c", "d"]
    # d (one event) is too rare to depend on anyone; b has two known events.
    assert [c.activity for c in concentration(log, threshold=0.5, min_events=2)] == ["a", "c", "b"]


def test_concentration_threshold_must_be_a_share(log) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="above 0 and at most 1"):
        concentration(log, threshold=1.5)


PEOPLE = st.sampled_from(["ann", "bob", "cat", None])


@settings(max_examples=10, deadline=None)
@given(st.lists(st.lists(PEOPLE, min_size=1, max_size=6), min_size=1, max_size=8))
def test_handoffs_count_every_change_of_known_hands(cases: list[list[str | None]]) -> None:
    events = [
        (f"c{i}", f"step{j}", float(j), who, None)
        for i, hands in enumerate(cases)
        for j, who in enumerate(hands)
    ]
    expected: dict[tuple[str, str], int] = {}
    for hands in cases:
        for giver, taker in itertools.pairwise(hands):
            if giver is not None and taker is not None and giver != taker:
                expected[(giver, taker)] = expected.get((giver, taker), 0) + 1
    found = {(h.source, h.target): h.handoffs for h in handoffs(make_log(events))}
    assert found == expected
