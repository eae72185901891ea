"""Repeated activities, loops and stage regressions, on logs worked out by hand and on random
ones checked against a count written out in Python."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from analysis_logs import make_log
from handmade_log import handmade_log
from hypothesis import given, settings
from hypothesis import strategies as st

from attain.data.stages import StageCatalog
from attain.process.rework import rework, rework_by_activity

FUNNEL = StageCatalog(
    (
        ("prospecting", "open"),
        ("qualification", "open"),
        ("proposal", "open"),
        ("won", "won"),
        ("lost", "lost"),
    )
)


def _log(  # type: ignore[no-untyped-def]
    sequences: dict[str, list[str]],
    owners: dict[str, str] | None = None,
    teams: dict[str, str] | None = None,
):
    events = [
        (case, activity, float(j), None, None)
        for case, steps in sequences.items()
        for j, activity in enumerate(steps)
    ]
    return make_log(events, owners=owners, teams=teams)


def test_repeats_loops_and_self_loops_per_case() -> None:
    log = _log({"c1": ["a", "b", "c", "b", "d"], "c2": ["a", "a", "b"], "c3": ["a", "b", "c"]})
    found = rework(log, by="case")
    assert [(r.key, r.repeated_activities, r.loops, r.self_loops) for r in found] == [
        ("c1", 1, 1, 0),
        ("c2", 1, 1, 1),
    ]
    assert all(r.regressions is None for r in found)


def test_a_start_and_its_completion_are_one_activity_done() -> None:
    """In the map's hand-made log c1 is reviewed, fixed and reviewed again (each review a start
    and a completion): one loop back to Review, nothing else; c3's one review is no rework."""
    found = rework(handmade_log(), by="case")
    assert [(r.key, r.repeated_activities, r.loops, r.self_loops) for r in found] == [
        ("c1", 1, 1, 0)
    ]
    by_owner = {r.key: (r.cases, r.cases_with_rework) for r in rework(handmade_log(), by="owner")}
    assert by_owner == {"ana": (2, 1), "ben": (2, 0)}


def test_where_the_rework_happens() -> None:
    log = _log({"c1": ["a", "b", "c", "b", "b"], "c2": ["a", "a", "b"], "c3": ["a", "b", "c"]})
    found = [(r.activity, r.cases, r.cases_repeating, r.repeats) for r in rework_by_activity(log)]
    # b: again twice in c1; a: again once in c2; c is never repeated.
    assert found == [("b", 3, 1, 2), ("a", 3, 1, 1)]
    assert rework_by_activity(log)[0].share == pytest.approx(1 / 3)


def test_per_owner_counts_cases_with_rework() -> None:
    log = _log(
        {"c1": ["a", "b", "a", "b"], "c2": ["a", "a"], "c3": ["a", "b"], "c4": ["a"]},
        owners={"c1": "ann", "c2": "ann", "c3": "bob"},
    )
    found = {r.key: r for r in rework(log, by="owner")}
    assert set(found) == {"ann", "bob", None}
    ann = found["ann"]
    assert (ann.cases, ann.cases_with_rework, ann.share) == (2, 2, 1.0)
    assert (ann.repeated_activities, ann.loops, ann.self_loops) == (3, 3, 1)
    assert (found["bob"].cases, found["bob"].cases_with_rework, found["bob"].share) == (1, 0, 0.0)
    assert found[None].cases == 1


def test_per_team() -> None:
    log = _log(
        {"c1": ["a", "b", "a"], "c2": ["a", "b"], "c3": ["b", "b"]},
        teams={"c1": "east", "c2": "east", "c3": "west"},
    )
    found = {
        r.key: (r.cases, r.cases_with_rework, r.loops, r.self_loops) for r in rework(log, by="team")
    }
    assert found == {"east": (2, 1, 1, 0), "west": (1, 1, 1, 1)}


def test_stage_regressions_are_moves_back_into_an_earlier_open_stage() -> None:
    log = _log(
        {
            # proposal -> qualification falls back; qualification and proposal come again.
            "d1": ["prospecting", "qualification", "proposal", "qualification", "proposal", "won"],
            # a lost deal reopened at qualification falls back too.
            "d2": ["prospecting", "proposal", "lost", "qualification"],
            # won -> lost is no regression: lost is not an open stage.
            "d3": ["prospecting", "won", "lost"],
        }
    )
    found = {r.key: r for r in rework(log, by="case", stages=FUNNEL)}
    assert set(found) == {"d1", "d2"}
    assert (found["d1"].regressions, found["d1"].loops) == (1, 2)
    assert (found["d2"].regressions, found["d2"].loops) == (1, 0)


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="case, owner or team"):
        rework(_log({"c1": ["a"]}), by="region")  # type: ignore[arg-type]


STAGES = [name for name, _ in FUNNEL.stages]
POSITION = {name: i for i, name in enumerate(STAGES)}


@settings(max_examples=10, deadline=None)
@given(st.lists(st.lists(st.sampled_from(STAGES), min_size=1, max_size=7), min_size=1, max_size=8))
def test_counts_match_a_direct_count(paths: list[list[str]]) -> None:
    sequences = {f"c{i}": path for i, path in enumerate(paths)}
    expected = {}
    for case, path in sequences.items():
        counts = Counter(path)
        pairs = list(itertools.pairwise(path))
        loops = len(path) - len(counts)
        regressions = sum(
            1
            for s, t in pairs
            if t in ("prospecting", "qualification", "proposal") and POSITION[t] < POSITION[s]
        )
        if loops or regressions:
            expected[case] = (
                sum(1 for n in counts.values() if n > 1),
                loops,
                sum(1 for s, t in pairs if s == t),
                regressions,
            )
    found = {
        r.key: (r.repeated_activities, r.loops, r.self_loops, r.regressions)
        for r in rework(_log(sequences), by="case", stages=FUNNEL)
    }
    assert found == expected
