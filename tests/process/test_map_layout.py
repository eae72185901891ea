"""The map's layered layout: the main flow runs down, loops are the rare way round, boxes of a
layer never overlap, and the same map is always drawn the same way."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.process.map_layout import NODE_GAP, back_edges, layered_layout

NAMES = [f"act {i}" for i in range(12)]

graphs = st.dictionaries(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.integers(min_value=1, max_value=500),
    min_size=1,
    max_size=40,
)


def test_a_stage_that_falls_back_is_the_loop_not_the_main_flow() -> None:
    weights = {
        ("Lead", "Qualify"): 100,
        ("Qualify", "Proposal"): 80,
        ("Proposal", "Qualify"): 10,  # a deal falls back a stage
        ("Proposal", "Won"): 70,
        ("Qualify", "Lost"): 20,
    }
    lay = layered_layout({n for e in weights for n in e}, weights, {"Lead": 100})
    assert lay.back_edges == {("Proposal", "Qualify")}
    layers = {n: b.layer for n, b in lay.boxes.items()}
    assert layers == {"Lead": 0, "Qualify": 1, "Proposal": 2, "Lost": 2, "Won": 3}


def test_the_busier_way_round_stays_forward() -> None:
    # B -> C is taken 90 times, C -> B 5 times: the walk follows the busiest edge first
    weights = {("A", "B"): 100, ("B", "C"): 90, ("C", "B"): 5, ("C", "D"): 90}
    assert back_edges(["A", "B", "C", "D"], weights, {"A": 100}) == {("C", "B")}
    # the other way round, C -> B is the main flow
    weights = {("A", "C"): 100, ("C", "B"): 90, ("B", "C"): 5, ("B", "D"): 90}
    assert back_edges(["A", "B", "C", "D"], weights, {"A": 100}) == {("B", "C")}


def test_self_loops_are_loops() -> None:
    lay = layered_layout(["A", "B"], {("A", "A"): 3, ("A", "B"): 5}, {"A": 5})
    assert ("A", "A") in lay.back_edges
    assert lay.boxes["B"].layer == 1


@settings(max_examples=60, deadline=None)
@given(graphs, st.sets(st.sampled_from(NAMES), min_size=1, max_size=3))
def test_forward_edges_go_down_and_boxes_never_overlap(
    weights: dict[tuple[str, str], int], starts: set[str]
) -> None:
    counts = dict.fromkeys(starts, 10)
    nodes = {n for e in weights for n in e} | starts
    lay = layered_layout(nodes, weights, counts)
    assert set(lay.boxes) == nodes
    for s, t in weights:
        if (s, t) not in lay.back_edges:
            assert lay.boxes[t].layer > lay.boxes[s].layer, (s, t)
    # anything below the first layer hangs from a way in just above it
    for n, box in lay.boxes.items():
        if box.layer > 0:
            ways_in = [
                (w, s) for (s, t), w in weights.items() if t == n and (s, t) not in lay.back_edges
            ]
            assert any(lay.boxes[s].layer == box.layer - 1 for _, s in ways_in), n
    rows: dict[int, list[tuple[float, float]]] = {}
    for b in lay.boxes.values():
        rows.setdefault(b.layer, []).append((b.x - b.width / 2, b.x + b.width / 2))
        assert b.x - b.width / 2 >= 0 and b.x + b.width / 2 <= lay.width
        assert b.y >= 0 and b.y + b.height <= lay.height
    for spans in rows.values():
        spans.sort()
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert left - right >= NODE_GAP - 1e-6
    assert layered_layout(sorted(nodes), dict(sorted(weights.items())), counts) == lay


def test_a_rare_detour_does_not_push_the_main_flow_down() -> None:
    weights = {
        ("Assign", "Take in charge"): 4000,
        ("Take in charge", "Resolve"): 3500,
        ("Take in charge", "Schedule"): 5,
        ("Schedule", "Resolve"): 5,
        ("Resolve", "Closed"): 4500,
    }
    lay = layered_layout({n for e in weights for n in e}, weights, {"Assign": 4000})
    layers = {n: b.layer for n, b in lay.boxes.items()}
    assert layers == {"Assign": 0, "Take in charge": 1, "Resolve": 2, "Schedule": 2, "Closed": 3}
    assert ("Schedule", "Resolve") in lay.back_edges  # same layer: drawn on the side
