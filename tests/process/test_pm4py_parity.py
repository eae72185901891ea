"""attain's process map and variants of two real logs equal pm4py's on the same XES files.

pm4py (AGPL-3.0) is never imported here: its figures were produced once, in an environment of
its own, by `bench/pm4py_reference.py` and kept in tests/fixtures/process/pm4py/. The logs are
BPI Challenge 2012 (262,200 events, many of them sharing a timestamp within their case) and the
Italian helpdesk log, read from ../shared. A reader that dropped or reordered events, a
directly-follows graph ordered otherwise than (timestamp, file order), a median taken
approximately, or a timestamp offset ignored changes counts or seconds here.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from attain.process.discovery import ProcessMap, process_map
from attain.process.files import open_log_file
from attain.process.log import EventLog
from attain.process.variants import VariantSet, variants

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "process" / "pm4py"
LOGS = {
    "helpdesk": DATA / "helpdesk" / "helpdesk.xes.gz",
    "bpic2012": DATA / "bpic2012" / "bpic2012.xes.gz",
}


def _pm4py(name: str) -> dict[str, Any]:
    with gzip.open(FIXTURES / f"{name}.json.gz", "rt", encoding="utf-8") as f:
        figures: dict[str, Any] = json.load(f)
    return figures


class Mined:
    """One log read by attain and mined once, beside pm4py's figures for it."""

    def __init__(self, name: str) -> None:
        path = LOGS[name]
        if not path.is_file():
            pytest.skip(f"../shared is absent (looked for data/{path.parent.name}/{path.name})")
        self.pm4py = _pm4py(name)
        self.log: EventLog = open_log_file(path)
        self.map: ProcessMap = process_map(self.log)
        self.variants: VariantSet = variants(self.log)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("helpdesk", marks=pytest.mark.shared),
        pytest.param("bpic2012", marks=[pytest.mark.shared, pytest.mark.slow]),
    ],
)
def mined(request: pytest.FixtureRequest) -> Iterator[Mined]:
    yield Mined(request.param)


def test_the_fixtures_were_made_by_pm4py_with_its_defaults() -> None:
    for name in LOGS:
        ref = _pm4py(name)
        assert ref["pm4py"].startswith("2.7.")
        assert ref["defaults"] == {
            "case": "case:concept:name",
            "activity": "concept:name",
            "timestamp": "time:timestamp",
        }


def test_cases_events_and_activity_counts(mined: Mined) -> None:
    ref = mined.pm4py
    assert (mined.map.cases, mined.map.events) == (ref["cases"], ref["events"])
    assert {a.name: a.events for a in mined.map.activities} == ref["activities"]


def test_every_directly_follows_count(mined: Mined) -> None:
    ours = {(t.source, t.target): t.events for t in mined.map.transitions}
    assert ours == {(a, b): n for a, b, n in mined.pm4py["dfg"]}


def test_start_and_end_activity_counts(mined: Mined) -> None:
    assert mined.map.starts == mined.pm4py["start_activities"]
    assert mined.map.ends == mined.pm4py["end_activities"]


def test_every_variant_and_its_cases(mined: Mined) -> None:
    ref = {tuple(acts): n for acts, n in mined.pm4py["variants"]}
    ours = {v.activities: v.cases for v in mined.variants.variants}
    assert mined.variants.total_cases == mined.pm4py["cases"]
    assert mined.variants.total_variants == len(ref)
    assert ours == ref


def test_mean_and_median_waiting_per_transition_to_the_second(mined: Mined) -> None:
    ours = {(t.source, t.target): t for t in mined.map.transitions}
    ref = mined.pm4py["performance"]
    assert {(a, b) for a, b, _, _ in ref} == set(ours)
    for source, target, mean_s, median_s in ref:
        t = ours[(source, target)]
        assert t.wait_mean_s == pytest.approx(mean_s, abs=1e-6), (source, target)
        assert t.wait_median_s == pytest.approx(median_s, abs=1e-6), (source, target)


def test_the_same_events_share_a_timestamp_as_in_pm4py(mined: Mined) -> None:
    """Ties are where the order is decided by file position (25,369 events of BPIC 2012 share
    their timestamp with another of their case): timestamps read coarser, or shifted by an
    ignored offset, would tie other events than pm4py's."""
    e = mined.log.events
    per_instant = e.group_by("case_id", "at").aggregate(n=e.count())
    tied = per_instant.filter(per_instant.n > 1).n.sum().to_pyarrow().as_py() or 0
    assert tied == mined.pm4py["ordering"]["events_sharing_a_timestamp_in_their_case"]
    assert mined.pm4py["ordering"]["same_in_time_order"] == {
        "dfg": True,
        "start_activities": True,
        "end_activities": True,
        "variants": True,
    }
