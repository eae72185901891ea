"""The map's SVG: one box per activity with its count, one link per transition carrying its
source and target, thickness by volume, colour by waiting with a legend in time units, names
escaped, and a drawing a browser can parse."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from attain.process.discovery import ActivityStats, ProcessMap, TransitionStats
from attain.process.render_svg import PALETTE, band_of, drawn_transitions, render_map, wait_bands

NS = {"s": "http://www.w3.org/2000/svg"}
HOUR = 3600.0
DAY = 86_400.0


def _t(source: str, target: str, events: int, median: float) -> TransitionStats:
    return TransitionStats(
        source, target, events, events, median, median, median * 2, median * events
    )


def _a(name: str, events: int, starts: int = 0, ends: int = 0) -> ActivityStats:
    return ActivityStats(name, events, events, starts, ends, None, None)


def sample() -> ProcessMap:
    return ProcessMap(
        log="tickets",
        case_label="ticket",
        cases=100,
        events=330,
        activities=(
            _a("Opened", 100, starts=100),
            _a("Assigned <L2> & co", 90),
            _a("Waiting on customer", 40),
            _a("Closed", 100, ends=100),
        ),
        transitions=(
            _t("Opened", "Assigned <L2> & co", 90, 2 * HOUR),
            _t("Assigned <L2> & co", "Waiting on customer", 40, 3 * DAY),
            _t("Waiting on customer", "Assigned <L2> & co", 30, 5 * DAY),
            _t("Assigned <L2> & co", "Closed", 90, 30 * 60),
            _t("Opened", "Closed", 10, 60),
        ),
        starts={"Opened": 100},
        ends={"Closed": 100},
        waiting="elapsed",
    )


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_one_box_per_activity_and_one_link_per_transition() -> None:
    pm = sample()
    root = _parse(render_map(pm))
    boxes = root.findall(".//s:g[@class='activity']", NS)
    assert [b.get("data-activity") for b in boxes] == [a.name for a in pm.activities]
    links = root.findall(".//s:a[@class='transition']", NS)
    assert sorted((a.get("data-source"), a.get("data-target")) for a in links) == sorted(
        (t.source, t.target) for t in pm.transitions
    )
    counts = [b.find("s:text[@class='activity-count']", NS) for b in boxes]
    assert [c.text for c in counts if c is not None] == ["100", "90", "40", "100"]
    assert root.findall(".//s:circle[@class='start']", NS)
    assert root.findall(".//s:circle[@class='end']", NS)


def test_names_are_escaped_not_injected() -> None:
    svg = render_map(sample())
    assert "<L2>" not in svg
    assert "Assigned &lt;L2&gt; &amp; co" in svg


def _stroke(root: ET.Element, source: str, target: str) -> tuple[float, str]:
    for a in root.findall(".//s:a[@class='transition']", NS):
        if (a.get("data-source"), a.get("data-target")) == (source, target):
            path = a.find("s:path", NS)
            assert path is not None
            return float(path.get("stroke-width", "0")), path.get("stroke", "")
    raise AssertionError((source, target))


def test_thickness_follows_volume_and_colour_follows_waiting() -> None:
    root = _parse(render_map(sample()))
    busy, fast_colour = _stroke(root, "Assigned <L2> & co", "Closed")
    rare, _ = _stroke(root, "Opened", "Closed")
    assert busy > rare
    _, slow_colour = _stroke(root, "Waiting on customer", "Assigned <L2> & co")
    assert slow_colour == PALETTE[-1]  # the longest wait is in the red band
    _, quickest = _stroke(root, "Opened", "Closed")
    assert quickest == PALETTE[0]
    assert fast_colour != slow_colour


def test_the_legend_says_its_units() -> None:
    svg = render_map(sample())
    bands = re.findall(r'class="legend-band"[^>]*>([^<]+)<', svg)
    assert len(bands) == 5
    assert bands[0].startswith("0 s – ")
    assert any(" d" in b for b in bands) and any(" h" in b or " min" in b for b in bands)


def test_performance_labels_are_median_waits() -> None:
    freq = re.findall(r'class="edge-label"[^>]*>([^<]+)<', render_map(sample()))
    perf = re.findall(r'class="edge-label"[^>]*>([^<]+)<', render_map(sample(), mode="performance"))
    assert sorted(freq) == sorted(["90", "40", "30", "90", "10"])
    assert sorted(perf) == sorted(["2 h", "3 d", "5 d", "30 min", "1 min"])
    with pytest.raises(ValueError, match="mode"):
        render_map(sample(), mode="colour")


def test_the_loop_back_is_drawn_dashed() -> None:
    root = _parse(render_map(sample()))
    for a in root.findall(".//s:a[@class='transition']", NS):
        path = a.find("s:path", NS)
        assert path is not None
        loop = (a.get("data-source"), a.get("data-target")) == (
            "Waiting on customer",
            "Assigned <L2> & co",
        )
        assert (path.get("stroke-dasharray") is not None) == loop


def test_bands_split_the_maps_own_waits() -> None:
    waits = [60.0, 600.0, HOUR, DAY, 10 * DAY]
    bounds = wait_bands(waits)
    assert [band_of(w, bounds) for w in waits] == [0, 1, 2, 3, 4]
    assert wait_bands([]) == []
    assert [band_of(w, wait_bands([5.0, 5.0])) for w in (5.0, 1.0)] == [1, 0]


def test_an_empty_map_still_draws() -> None:
    empty = ProcessMap("deals", "deal", 0, 0, (), (), {}, {}, "elapsed")
    root = _parse(render_map(empty))
    assert root.findall(".//s:g[@class='activity']", NS) == []


def test_fewer_paths_keep_every_activity_connected() -> None:
    pm = sample()
    drawn = drawn_transitions(pm, 1)
    assert drawn[0] == min(pm.transitions, key=lambda t: (-t.events, t.source, t.target))
    touched = {n for t in drawn for n in (t.source, t.target)}
    assert touched == {a.name for a in pm.activities}
    assert len(drawn) < len(pm.transitions)
    svg = render_map(pm, paths=1)
    assert svg.count('class="transition"') == len(drawn)
    assert f"{len(pm.transitions) - len(drawn)} rarer transitions not drawn" in svg
    assert drawn_transitions(pm, None) == drawn_transitions(pm, 99)
