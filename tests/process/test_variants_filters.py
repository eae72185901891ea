"""Variants, filters and side-by-side maps of the hand-made log (see handmade_log.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from handmade_log import handmade_log

from attain.process.compare import compare_maps
from attain.process.discovery import process_map
from attain.process.filters import Filter, FilterError
from attain.process.variants import Variant, cases_of_variant, variants

C1_PATH = ("Open", "Review", "Review", "Fix", "Review", "Review", "Close")
C3_PATH = ("Open", "Review", "Review", "Close")


def test_variants_with_share_throughput_and_value() -> None:
    got = variants(handmade_log())
    assert (got.log, got.total_cases, got.total_variants, got.currency) == (
        "handmade",
        4,
        3,
        "USD",
    )
    assert got.variants[0] == Variant(
        ("Open", "Close"), 2, 0.5, 46800.0, 46800.0, Decimal("75.500000")
    )
    rest = {v.activities: (v.cases, v.throughput_median_s, v.value) for v in got.variants[1:]}
    assert rest == {
        C1_PATH: (1, 3 * 3600.0, Decimal("100")),
        C3_PATH: (1, 2 * 3600.0, Decimal("0")),  # no amount: nothing at stake
    }


def test_a_limit_keeps_the_most_frequent_and_the_totals() -> None:
    got = variants(handmade_log(), limit=1)
    assert [v.activities for v in got.variants] == [("Open", "Close")]
    assert (got.total_cases, got.total_variants) == (4, 3)


def test_cases_of_a_variant_slowest_first() -> None:
    rows = cases_of_variant(handmade_log(), ("Open", "Close"))
    assert [(r["case_id"], r["throughput_s"]) for r in rows] == [("c2", 86400.0), ("c4", 7200.0)]
    assert rows[1]["amount"] == Decimal("25.5") and rows[1]["owner"] == "ben"
    assert cases_of_variant(handmade_log(), ("Open",)) == []


def kept(f: Filter) -> list[str]:
    return sorted(handmade_log().filtered(f).cases.case_id.to_pyarrow().to_pylist())


@pytest.mark.parametrize(
    ("f", "cases"),
    [
        (Filter(), ["c1", "c2", "c3", "c4"]),
        (Filter(since=dt.date(2026, 3, 3)), ["c3", "c4"]),
        (Filter(until=dt.date(2026, 3, 3)), ["c1", "c2", "c3"]),
        (Filter(since=dt.date(2026, 3, 3), until=dt.date(2026, 3, 3)), ["c3"]),
        (Filter(attributes={"owner": ("ben",)}), ["c2", "c4"]),
        (Filter(attributes={"segment": ("enterprise", "smb"), "owner": ("ana",)}), ["c1", "c3"]),
        (Filter(attributes={"resource": ("dee",)}), ["c3"]),
        (Filter(attributes={"owner": ()}), ["c1", "c2", "c3", "c4"]),
        (Filter(variant=C3_PATH), ["c3"]),
        (Filter(starts_with="Open", ends_with="Close"), ["c1", "c2", "c3", "c4"]),
        (Filter(ends_with="Review"), []),
        (Filter(min_duration_s=10_000), ["c1", "c2"]),
        (Filter(max_duration_s=7200), ["c3", "c4"]),
        (
            Filter(min_duration_s=7200, max_duration_s=10_800, attributes={"owner": ("ana",)}),
            ["c1", "c3"],
        ),
    ],
)
def test_filters_keep_whole_cases(f: Filter, cases: list[str]) -> None:
    assert kept(f) == cases


def test_a_filtered_map_keeps_every_event_of_the_kept_cases() -> None:
    m = process_map(handmade_log().filtered(Filter(attributes={"resource": ("dee",)})))
    assert (m.cases, m.events) == (1, 4)
    assert {(t.source, t.target) for t in m.transitions} == {
        ("Open", "Review"),
        ("Review", "Review"),
        ("Review", "Close"),
    }


def test_an_unknown_attribute_is_named() -> None:
    with pytest.raises(FilterError, match="'colour'"):
        kept(Filter(attributes={"colour": ("red",)}))


def test_compare_maps_side_by_side() -> None:
    log = handmade_log()
    first_day = process_map(log.filtered(Filter(until=dt.date(2026, 3, 2))))  # c1, c2
    later = process_map(log.filtered(Filter(since=dt.date(2026, 3, 3))))  # c3, c4
    deltas = {(d.source, d.target): d for d in compare_maps(first_day, later)}
    assert set(deltas) == {
        ("Open", "Review"),
        ("Review", "Review"),
        ("Review", "Fix"),
        ("Fix", "Review"),
        ("Review", "Close"),
        ("Open", "Close"),
    }
    open_close = deltas[("Open", "Close")]
    assert open_close.median_change_s == 7200.0 - 86400.0
    assert (open_close.a_case_share, open_close.b_case_share, open_close.events_change) == (
        0.5,
        0.5,
        0,
    )
    fix = deltas[("Review", "Fix")]
    assert (fix.only_in, fix.median_change_s, fix.events_change) == ("a", None, -1)
    rr = deltas[("Review", "Review")]
    assert (rr.events_change, rr.median_change_s) == (-1, 3600.0 - 1800.0)
    busiest = compare_maps(first_day, later)[0]
    assert (busiest.source, busiest.target) == ("Review", "Review")
